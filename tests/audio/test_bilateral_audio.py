"""Bilateral sound: the source in the mixer (sample-exact), and the real output captured like a sound card."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from companion.audio.bilateral import (LEVEL, BilateralSource, MusicSway, PassClock,
                                       open_bilateral)
from companion.audio.protocol import Bls, BlsEnded, BlsOnset, Ended, Started
from tests.audio.alsa import (CAPTURE_RATE, FILE_PLUGIN_PERIODS, capture_fixture, max_step,
                              sine_step_limit, wait_for, write_tone_wav)

RATE = 48000
_capture = capture_fixture()


@pytest.fixture
def capture(request, tmp_path):
    """The paced card, one BLS capture at a time across xdist workers (a busy machine glitches it)."""
    import fcntl
    import tempfile

    with open(Path(tempfile.gettempdir()) / "companion-bls-realtime.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield request.getfixturevalue("_capture")


def drain(source: BilateralSource, block: int = 480, limit_s: float = 30.0) -> np.ndarray:
    """Everything the source plays, read in device-sized blocks."""
    blocks = []
    for _ in range(int(limit_s * RATE / block)):
        data = source.read(block)
        blocks.append(data.copy())
        if len(data) < block:
            break
    return np.concatenate(blocks)


def bursts(x: np.ndarray, rate: int, threshold: float = 0.02) -> list[tuple[int, int, int]]:
    """(first frame, end frame, channel) of each burst of sound in either ear, in order."""
    found = []
    for channel in (0, 1):
        loud = np.abs(x[:, channel]) > threshold
        edges = np.flatnonzero(np.diff(np.concatenate([[0], loud.astype(np.int8), [0]])))
        mine: list[tuple[int, int, int]] = []
        for a, b in zip(edges[::2], edges[1::2]):
            if mine and a - mine[-1][1] < 0.02 * rate:  # a dip inside one note is no new burst
                mine[-1] = (mine[-1][0], int(b), channel)
            else:
                mine.append((int(a), int(b), channel))
        found += mine
    return sorted(found)


# -- the source on its own (exact) ----------------------------------------------------------------


@pytest.mark.parametrize("speed, passes", [(1.0, 8), (0.2, 3), (2.0, 10), (0.7, 5)])
def test_onsets_fall_on_exact_samples_and_alternate(speed, passes):
    source = BilateralSource(speed=speed, passes=passes)
    drain(source)
    onsets = source.drain_onsets()
    assert [o.number for o in onsets] == list(range(1, passes + 1))
    assert [o.side for o in onsets] == ["left", "right"] * (passes // 2) + ["left"] * (passes % 2)
    expected = [int(np.ceil(k * RATE / (2 * speed) - 1e-6)) for k in range(passes)]
    assert [o.frame for o in onsets] == expected
    assert source.reason == "end"


def test_hard_alternation_keeps_the_other_ear_silent_and_has_no_step():
    x = drain(BilateralSource(speed=1.0, passes=4))
    for k in range(4):
        note = x[k * 24000:(k + 1) * 24000]
        sounding, silent = note[:, k % 2], note[:, 1 - k % 2]
        assert np.max(np.abs(sounding)) == pytest.approx(LEVEL, rel=0.01)
        assert not np.any(silent)
    assert max_step(x) <= sine_step_limit(LEVEL, 500, RATE)
    assert np.max(np.abs(x[:3])) < 1e-3 and np.max(np.abs(x[-3:])) < 1e-3, "starts and ends at zero"


def test_set_ends_by_easing_out_after_the_last_pass_never_mid_tone():
    source = BilateralSource(speed=1.0, passes=3)
    x = drain(source)
    last_onset = 2 * 24000
    assert len(x) > last_onset + int(0.2 * RATE), "the last note is played out"
    tail = x[-int(0.03 * RATE):]
    assert np.max(np.abs(tail[-10:])) < 0.01 * LEVEL
    assert np.all(np.diff(np.abs(tail).max(axis=1)[::48]) <= 1e-3), "the release only falls"


def test_until_stopped_runs_on_and_stop_is_immediate_but_soft():
    source = BilateralSource(speed=1.0, passes=None)
    x = np.concatenate([source.read(480) for _ in range(int(0.55 * RATE / 480))])
    assert len(x) == int(0.55 * RATE / 480) * 480  # still going
    source.stop()
    rest = drain(source)
    assert 0.05 * RATE <= len(rest) <= 0.07 * RATE, "stops within the 60 ms fade"
    assert max_step(np.concatenate([x, rest])) <= sine_step_limit(LEVEL, 500, RATE)
    assert source.reason == "stopped" and source.passes_done == 2


def test_seconds_limit_sets_how_many_passes_begin():
    source = BilateralSource(speed=1.0, passes=None, seconds=2.2)
    drain(source)
    assert [o.frame for o in source.drain_onsets()] == [0, 24000, 48000, 72000, 96000]


def test_speed_change_continues_the_phase_without_a_jump():
    source = BilateralSource(speed=1.0, passes=8)
    head = np.concatenate([source.read(480) for _ in range(60)])  # 0.6 s: inside pass 2
    source.set_speed(2.0)
    x = np.concatenate([head, drain(source)])
    frames = [o.frame for o in source.drain_onsets()]
    # Phase at 0.6 s is 1.2 passes; at 4 passes/s pass 3 comes 0.8 / 4 s later, then every 0.25 s.
    assert frames[:2] == [0, 24000]
    assert frames[2] == 28800 + 9600
    assert np.diff(frames[2:]).tolist() == [12000] * 5
    assert max_step(x) <= sine_step_limit(LEVEL, 500, RATE)


def test_pass_clock_changes_speed_without_moving_the_phase():
    clock = PassClock(1.0, RATE)
    before = clock.phase_at(30000)
    clock.set_speed(0.3, 30000)
    assert clock.phase_at(30000) == pytest.approx(before)
    assert clock.phase_at(30000 + RATE) == pytest.approx(before + 0.6)


def test_smooth_panning_follows_the_equal_power_curve():
    x = drain(BilateralSource(speed=1.0, passes=4, pan="smooth"))
    window = 480
    for start in range(int(0.2 * RATE), int(1.5 * RATE), 4800):
        seg = x[start:start + window]
        left, right = np.sqrt(np.mean(seg ** 2, axis=0))
        phase = 2.0 * (start + window / 2) / RATE
        theta = (1 - np.cos(np.pi * phase)) * np.pi / 4
        assert np.arctan2(right, left) == pytest.approx(theta, abs=0.03)
        assert left ** 2 + right ** 2 == pytest.approx((LEVEL / np.sqrt(2)) ** 2, rel=0.03)
    assert max_step(x) <= sine_step_limit(LEVEL, 500, RATE)


def test_click_and_sample_sounds_alternate_without_a_step():
    for fields in ({"sound": "click"},):
        source = open_bilateral(Bls("set", **fields, speed=2.0, passes=4))
        x = drain(source)
        found = bursts(x, RATE, 0.01)
        assert [c for _a, _b, c in found] == [0, 1, 0, 1]
        assert max_step(x) < 0.2
    sample = np.sin(np.linspace(0, 300, RATE)).astype(np.float32)  # 1 s, longer than a pass
    source = BilateralSource(sound="sample", sample=sample, speed=2.0, passes=3)
    x = drain(source)
    assert [c for _a, _b, c in bursts(x, RATE, 0.01)] == [0, 1, 0]
    assert max_step(x) < 0.05, "a sample longer than a pass is faded, not cut"


def test_the_clinicians_own_sample_is_read_from_a_file(tmp_path):
    wav = write_tone_wav(tmp_path / "beep.wav", 0.1, 800, 0.2, channels=1)
    source = open_bilateral(Bls("set", sound="sample", file=str(wav), speed=1.0, passes=2))
    x = drain(source)
    assert [c for _a, _b, c in bursts(x, RATE, 0.05)] == [0, 1]
    assert np.max(np.abs(x)) == pytest.approx(LEVEL, rel=0.02), "brought to the tone's level"
    assert max_step(x) <= sine_step_limit(LEVEL, 800, RATE), "its abrupt ends are softened"


def test_a_sample_that_cannot_be_read_is_an_audio_error(tmp_path):
    from companion.errors import AudioError

    (tmp_path / "bad.wav").write_bytes(b"not audio")
    with pytest.raises(AudioError):
        open_bilateral(Bls("set", sound="sample", file=str(tmp_path / "bad.wav")))


def test_music_sway_keeps_loudness_steady_and_ends_in_the_centre():
    t = np.arange(4 * RATE) / RATE
    music = np.repeat((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)[:, None], 2, axis=1)
    x = music.copy()
    sway = MusicSway(depth=1.0, speed=1.0, passes=4)
    sway.start_frame = 4800
    for start in range(0, int(3.5 * RATE), 480):  # as the mixer calls it, block by block
        sway(x[start:start + 480], start)
    power = (x ** 2).sum(axis=1).reshape(-1, 2400).mean(axis=1)
    assert np.allclose(power, 0.09, rtol=0.02), "equal power: the loudness holds"
    onsets = sway.drain_onsets()
    assert [o.side for o in onsets] == ["left", "right", "left", "right"]
    assert [o.frame for o in onsets] == [12000, 36000, 60000, 84000]
    at_left = x[4800 + 12000 - 240:4800 + 12000 + 240]
    assert np.sqrt(np.mean(at_left[:, 1] ** 2)) < 0.01, "full depth: the music is all in one ear"
    assert sway.finished and sway.reason == "end"
    assert np.array_equal(x[4800 + 96000:], music[4800 + 96000:]), "back in the centre, untouched"
    assert max_step(x) <= sine_step_limit(0.3 * np.sqrt(2), 220, RATE)


def test_sway_stop_eases_back_to_the_centre():
    music = np.full((RATE, 2), 0.2, dtype=np.float32)
    sway = MusicSway(depth=1.0, speed=1.0, passes=None)
    for start in range(0, 12000, 480):
        sway(music[start:start + 480], start)
    sway.stop()
    for start in range(12000, RATE, 480):
        sway(music[start:start + 480], start)
    assert sway.finished and sway.reason == "stopped"
    assert np.allclose(music[12000 + 24000:], 0.2), "the centre again, half a second later"
    assert max_step(music) < 0.002, "no jump"


# -- the real output, captured like a sound card -----------------------------------------------


def run_headless(capture, *args: str, timeout: float = 20.0) -> subprocess.CompletedProcess:
    root = Path(os.path.abspath(__file__)).parents[2]
    env = dict(os.environ, HOME=str(capture.home), COMPANION_DATA_DIR=str(capture.tmp / "data"),
               PYTHONPATH=str(root))
    return subprocess.run([sys.executable, "-m", "companion", "bls", "--headless", *args],
                          env=env, capture_output=True, text=True, timeout=timeout, cwd=root)


@pytest.mark.realtime
def test_headless_set_alternates_exactly_half_a_second_apart(capture):
    """The done-when: `companion bls --headless --speed 1 --passes 8` from the real output."""
    result = run_headless(capture, "--speed", "1", "--passes", "8", "--audio", "miniaudio")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("pass ")]
    assert len(lines) == 8 and "LEFT" in lines[0] and "RIGHT" in lines[1]
    time.sleep(0.1)
    x = capture.card.samples()
    found = bursts(x, CAPTURE_RATE)
    assert [c for _a, _b, c in found] == [0, 1] * 4, "8 passes, left then right"
    starts = np.array([a for a, _b, _c in found])
    error_ms = np.abs(starts - starts[0] - np.arange(8) * 0.5 * CAPTURE_RATE) / CAPTURE_RATE * 1000
    assert error_ms.max() <= 1.0, f"onset timing error {error_ms.max():.3f} ms"
    separations = []
    for a, b, c in found:
        on, off = x[a:b, c], x[a:b, 1 - c]
        separations.append(20 * np.log10(np.sqrt(np.mean(on ** 2)) /
                                         max(np.sqrt(np.mean(off ** 2)), 1e-9)))
    assert min(separations) >= 30
    peak = float(np.max(np.abs(x)))
    assert max_step(x) <= sine_step_limit(peak, 500), "no step at any onset or release"
    print(f"\nonset error max {error_ms.max():.3f} ms; separation min {min(separations):.0f} dB")


def start_engine(capture):
    from companion.audio.client import AudioEngine

    engine = AudioEngine(env=capture.env, period_ms=10)
    assert engine.start("miniaudio").backend == "miniaudio"
    engine.set_volume(100, ramp_s=0.0)
    return engine


@pytest.mark.realtime
def test_speed_change_mid_set_continues_without_a_jump(capture):
    engine = start_engine(capture)
    try:
        set_id = engine.bls(speed=1.0, passes=7, at=time.monotonic() + 0.2)
        seen: list = []
        wait_for(engine, BlsOnset, seen=seen, number=2)
        engine.bls_speed(set_id, 2.0)
        wait_for(engine, BlsEnded, seen=seen, timeout=6)
    finally:
        engine.close(0.05)
    frames = [e.frame for e in seen if isinstance(e, BlsOnset)]
    x = capture.card.samples()
    found = bursts(x, CAPTURE_RATE)
    starts = np.array([a for a, _b, _c in found]) / CAPTURE_RATE
    assert len(found) == 7 and [c for *_x, c in found] == [0, 1] * 3 + [0]
    gaps = np.diff(starts)
    assert gaps[0] == pytest.approx(0.5, abs=0.001)
    assert 0.25 <= gaps[1] <= 0.5, "the pass under way when the speed changed"
    assert np.allclose(gaps[2:], 0.25, atol=0.001)
    assert np.allclose(np.diff(frames)[2:], 12000), "reported on the sample clock"
    heard = [e.at for e in seen if isinstance(e, BlsOnset)]
    played = [capture.card.time_of_frame(a) for a, _b, _c in found]
    # The file plugin holds 3 extra periods that a real card would not (TESTING.md).
    late = np.array(played) - np.array(heard) - FILE_PLUGIN_PERIODS * 0.010
    print(f"\ncard time minus reported time: {np.round(late * 1000, 1)} ms")
    assert np.all(np.abs(late) < 0.025), "the counter shows what is heard, within two periods"
    assert max_step(x) <= sine_step_limit(float(np.max(np.abs(x))), 500)


@pytest.mark.realtime
def test_smooth_panning_follows_its_curve_from_the_real_output(capture):
    engine = start_engine(capture)
    try:
        engine.bls(speed=1.0, passes=4, pan="smooth", at=time.monotonic() + 0.2)
        wait_for(engine, BlsEnded, timeout=6)
    finally:
        engine.close(0.05)
    x = capture.sound(threshold=1e-4)
    window = int(0.01 * CAPTURE_RATE)
    for t in np.arange(0.2, 1.5, 0.1):
        seg = x[int(t * CAPTURE_RATE):int(t * CAPTURE_RATE) + window]
        left, right = np.sqrt(np.mean(seg ** 2, axis=0))
        theta = (1 - np.cos(np.pi * 2 * (t + 0.005))) * np.pi / 4
        assert np.arctan2(right, left) == pytest.approx(theta, abs=0.05), f"at {t:.1f} s"
    assert max_step(x) <= sine_step_limit(float(np.max(np.abs(x))), 500)


@pytest.mark.realtime
def test_music_sway_keeps_the_music_loudness_steady(capture, tmp_path):
    wav = write_tone_wav(tmp_path / "music.wav", 4.0, 330, 0.3)
    engine = start_engine(capture)
    try:
        engine.play(file=wav, fade_in=0.05)
        wait_for(engine, Started)
        engine.bls(sound="music", depth=1.0, speed=1.0, passes=4, at=time.monotonic() + 0.3)
        seen: list = []
        wait_for(engine, BlsEnded, seen=seen, timeout=6)
        wait_for(engine, Ended, timeout=4)
    finally:
        engine.close(0.05)
    assert [e.side for e in seen if isinstance(e, BlsOnset)] == ["left", "right"] * 2
    x = capture.sound()
    body = x[int(0.2 * CAPTURE_RATE):int(3.7 * CAPTURE_RATE)]
    power = (body ** 2).sum(axis=1)
    per = power[:len(power) // 2205 * 2205].reshape(-1, 2205).mean(axis=1)  # 50 ms windows
    assert 10 * np.log10(per.max() / per.min()) < 0.5, f"loudness steady within 0.5 dB: {np.round(10 * np.log10(per / per.max()), 2)}"
    usable = body[:len(body) // 2205 * 2205]
    left, right = (np.sqrt(np.mean(usable[:, c].reshape(-1, 2205) ** 2, axis=1)) for c in (0, 1))
    assert (left / np.maximum(right, 1e-6)).max() > 10, "it sways fully to the left..."
    assert (right / np.maximum(left, 1e-6)).max() > 10, "...and to the right"
    assert max_step(x) <= sine_step_limit(0.3 * np.sqrt(2), 330)
