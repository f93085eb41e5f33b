"""A voice pack spoken in time: captured playback through the real engine and a paced fake card.

Music (a 200 Hz tone) plays; the pacer's steps are sent ahead as the pacer screen sends
them, and each step's take (a burst of band-limited noise, levelled like a real take) must be heard when
its step starts, within 20 ms, with the music dipped by the set dB under it; a take
longer than its step fades out as the step ends.

Timing is measured against the music's own start, placed by the same engine at a known
monotonic time: that cancels the test rig's latency (the file plugin's buffer and the
pipe hold 3-5 periods that a sound card would not, TESTING.md), which varies by run.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from scipy import signal

from companion.audio.client import AudioEngine
from companion.audio.protocol import Started
from companion.audio.take_files import read_audio, save_take
from companion.audio.takes import process_take
from companion.breathing import Pacer, Pattern, Step
from companion.voice import Speaker, VoiceGuide, VoicePack, step_key
from tests.audio.alsa import CAPTURE_RATE, capture_fixture, wait_for, write_tone_wav

capture = capture_fixture()

DUCK_DB = -8.0
LEAD = 0.8  # as the pacer screen's CUE_LEAD
PATTERN = Pattern("test", "Test", (Step("inhale", 1.2, "In"), Step("exhale", 1.5, "Out")),
                  builtin=False)


def burst(seed: int, seconds: float) -> np.ndarray:
    """Band-limited noise (1-3 kHz) with soft edges: it correlates at one lag only."""
    noise = np.random.default_rng(seed).standard_normal(int(seconds * 48000))
    sos = signal.butter(4, [1000, 3000], "bandpass", fs=48000, output="sos")
    shaped = signal.sosfilt(sos, noise)
    shaped *= 0.1 / np.sqrt(np.mean(shaped ** 2))
    gap = np.zeros(12000)
    return np.concatenate([gap, shaped, gap]).astype(np.float32)


def make_pack(folder: Path) -> VoicePack:
    pack = VoicePack.open(folder, create=True)
    for index, (seed, seconds) in enumerate([(1, 0.7), (2, 2.2)]):
        key = step_key(PATTERN, index)
        take = process_take(burst(seed, seconds), 48000, pack.loudness_lufs)
        pack.keep(key, save_take(take, pack.file_for(key)), PATTERN.steps[index].words, take.seconds)
    return pack


def band(x: np.ndarray, low: float | None, high: float | None) -> np.ndarray:
    if low and high:
        sos = signal.butter(4, [low, high], "bandpass", fs=CAPTURE_RATE, output="sos")
    elif low:
        sos = signal.butter(4, low, "highpass", fs=CAPTURE_RATE, output="sos")
    else:
        sos = signal.butter(4, high, "lowpass", fs=CAPTURE_RATE, output="sos")
    return signal.sosfiltfilt(sos, x)


def rms_db(x: np.ndarray) -> float:
    return 20 * np.log10(np.sqrt(np.mean(x * x)))


@pytest.mark.realtime
def test_each_take_starts_with_its_step_over_dipped_music(capture, tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack")
    music = write_tone_wav(tmp_path / "music.wav", 2.0, 200.0, 0.2)
    engine = AudioEngine(env=capture.env, period_ms=10)
    assert engine.start("miniaudio").backend == "miniaudio"
    engine.set_volume(100, ramp_s=0.0)
    music_at = time.monotonic() + 0.4
    engine.play(file=music, loop=True, at=music_at)
    wait_for(engine, Started)
    time.sleep(0.6)
    guide = VoiceGuide(Speaker(engine, pack, duck_db=DUCK_DB, cache=tmp_path / "cache"), PATTERN)
    pacer = Pacer(PATTERN, time.monotonic, cycles=2, lead_in=0.8)
    sent: list[tuple[int, float]] = []
    while (upcoming := pacer.upcoming()) is not None:
        role, at = upcoming
        if sent and sent[-1][1] == at:
            time.sleep(0.01)
            continue
        time.sleep(max(0.0, at - LEAD - time.monotonic()))
        state = pacer.state()
        index = -1 if role == "end" else (0 if state.phase == "ready"
                                           else (state.step_index + 1) % len(PATTERN.steps))
        guide.step(pacer, index, at)
        sent.append((index, at))
    time.sleep(0.6)
    engine.close(0.05)
    x = capture.card.samples()[:, 0].astype(np.float64)
    assert [i for i, _ in sent] == [0, 1, 0, 1, -1]
    assert np.abs(x).max() < 0.99  # never clipped

    music_start = int(np.flatnonzero(np.abs(x) > 0.01)[0])
    rig_s = capture.card.time_of_frame(music_start) - music_at  # the rig's own latency
    voice = band(x, 700.0, None)
    music_only = band(x, None, 400.0)
    report = []
    for index, at in sent[:-1]:
        take, _ = read_audio(pack.take_path(step_key(PATTERN, index)))
        ref = band(signal.resample_poly(take, 147, 160).astype(np.float64), 700.0, None)
        expected = int(round((at - capture.card.started_at) * CAPTURE_RATE))
        lo = expected - int(0.1 * CAPTURE_RATE)
        window = voice[lo:lo + len(ref) + int(0.2 * CAPTURE_RATE)]
        n = min(len(ref), int(1.0 * CAPTURE_RATE))
        lag = int(np.argmax(signal.correlate(window, ref[:n], mode="valid", method="fft")))
        heard = capture.card.time_of_frame(lo + lag) - rig_s
        step_s = PATTERN.steps[index].seconds
        s = lo + lag
        if not report:  # the music at its own level, before anything is said
            before = music_only[s - int(0.6 * CAPTURE_RATE):s - int(0.3 * CAPTURE_RATE)]
        under = music_only[s + int(0.3 * CAPTURE_RATE):s + int(0.55 * CAPTURE_RATE)]
        dip = rms_db(under) - rms_db(before)
        report.append((index, round((heard - at) * 1000, 1), round(dip, 2)))
        assert abs(heard - at) <= 0.020, report
        assert dip == pytest.approx(DUCK_DB, abs=0.5), report
        if len(take) / 48000 > step_s:
            # Too long for its step: faded out by the step's end (and the next take's start).
            end = s + int(step_s * CAPTURE_RATE)
            tail = voice[end - int(0.05 * CAPTURE_RATE):end]
            body = voice[s + int(0.2 * CAPTURE_RATE):s + int(0.5 * CAPTURE_RATE)]
            assert np.sqrt(np.mean(tail ** 2)) < 0.2 * np.sqrt(np.mean(body ** 2)), report
    print(f"rig latency {rig_s * 1000:.1f} ms; take start vs step (ms), music dip (dB):", report)
