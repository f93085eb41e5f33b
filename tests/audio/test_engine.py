"""The engine process through the real miniaudio into ALSA's file plugin, paced like a sound card."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from companion.audio.client import AudioEngine
from companion.audio.protocol import Ended, Failed, Started
from tests.audio.alsa import (
    CAPTURE_RATE,
    capture_fixture,
    retry_on_dropout,
    envelope,
    first_sound,
    max_step,
    rms,
    silent_gaps,
    sine_step_limit,
    wait_for,
    write_tone_wav,
    zero_crossing_hz,
)

capture = capture_fixture()

AMP = 0.37
FULL_RMS = AMP / np.sqrt(2)
PERIOD_MS = 10


def start_engine(capture, output: str = "miniaudio", **options) -> AudioEngine:
    engine = AudioEngine(env=capture.env, period_ms=PERIOD_MS, **options)
    info = engine.start(output)
    assert info.backend == output
    engine.set_volume(100, ramp_s=0.0)
    return engine


def running(pid: int) -> bool:
    """Whether `pid` runs (a zombie left for a reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def seconds(frames: int) -> float:
    return frames / CAPTURE_RATE


def at(x: np.ndarray, t: float, span: float = 0.05) -> np.ndarray:
    """The captured samples from `t` to `t + span` seconds into `x`."""
    a = int(t * CAPTURE_RATE)
    return x[a:a + int(span * CAPTURE_RATE)]


@pytest.mark.realtime
@retry_on_dropout
def test_tone_plays_at_its_level_with_fade_in_and_fade_out(capture, tmp_path):
    wav = write_tone_wav(tmp_path / "a.wav", 1.2, 440, AMP)
    engine = start_engine(capture)
    engine.play(file=wav, fade_in=0.3, fade_out=0.3)
    wait_for(engine, Ended)
    engine.close(0.1)
    x = capture.sound()
    assert seconds(len(x)) == pytest.approx(1.2, abs=0.03)
    middle = at(x, 0.45, 0.3)
    assert rms(middle) == pytest.approx(FULL_RMS, rel=0.03)
    assert zero_crossing_hz(middle) == pytest.approx(440, abs=1)
    env = envelope(x, 0.02)
    fade_in = env[:15]  # the first 0.3 s
    assert fade_in[0] < 0.1 * FULL_RMS
    assert np.all(np.diff(fade_in) > -0.01 * FULL_RMS), "fade-in must rise steadily"
    assert fade_in[7] == pytest.approx(FULL_RMS * 7.5 / 15, rel=0.25)  # about half way at half time
    fade_out = env[-15:]
    assert np.all(np.diff(fade_out) < 0.01 * FULL_RMS), "fade-out must fall steadily"
    assert fade_out[-1] < 0.1 * FULL_RMS
    assert max_step(x) <= sine_step_limit(AMP, 440)
    assert silent_gaps(x) == []


@pytest.mark.realtime
@retry_on_dropout
def test_pause_and_resume_fade_without_click_and_continue(capture, tmp_path):
    wav = write_tone_wav(tmp_path / "a.wav", 3.0, 440, AMP)
    engine = start_engine(capture)
    engine.play(file=wav, fade_in=0.05)
    time.sleep(0.5)
    engine.pause(0.2)
    time.sleep(0.5)
    engine.resume(0.2)
    time.sleep(0.5)
    engine.stop(fade_s=0.2)
    time.sleep(0.35)
    engine.close(0.1)
    x = capture.sound()
    env = envelope(x, 0.01)
    quiet = np.flatnonzero(env < 1e-3)
    assert quiet.size >= 15, "the pause held the sound still"
    # The pause fades out over ~0.2 s, and the resume fades back in over ~0.2 s.
    before, after = quiet[0], quiet[-1]
    assert 0.3 * FULL_RMS < env[before - 10] < 0.8 * FULL_RMS
    assert 0.3 * FULL_RMS < env[after + 10] < 0.8 * FULL_RMS
    assert rms(at(x, (after + 30) / 100, 0.1)) == pytest.approx(FULL_RMS, rel=0.03)
    assert max_step(x) <= sine_step_limit(AMP, 440)
    assert zero_crossing_hz(x[(after + 25) * 441:(after + 45) * 441]) == pytest.approx(440, abs=2)


@pytest.mark.realtime
@retry_on_dropout
def test_two_tracks_crossfade_smoothly(capture, tmp_path):
    a = write_tone_wav(tmp_path / "a.wav", 1.2, 440, AMP)
    b = write_tone_wav(tmp_path / "b.wav", 1.0, 660, AMP)
    engine = start_engine(capture)
    first = engine.play(file=a, fade_in=0.05)
    second = engine.queue(file=b, fade_in=0.5, overlap=0.5, fade_out=0.1)
    seen: list = []
    started = wait_for(engine, Started, seen=seen, id=second)
    wait_for(engine, Ended, seen=seen, id=second)
    engine.close(0.1)
    assert any(isinstance(e, Ended) and e.id == first for e in seen)
    x = capture.sound()
    # 1.2 s + 1.0 s overlapping by 0.5 s.
    assert seconds(len(x)) == pytest.approx(1.7, abs=0.04)
    assert zero_crossing_hz(at(x, 0.2, 0.4)) == pytest.approx(440, abs=1)
    assert zero_crossing_hz(at(x, 1.25, 0.3)) == pytest.approx(660, abs=1)
    env = envelope(x, 0.02)
    overlap = env[int(0.72 / 0.02):int(1.18 / 0.02)]
    # Equal-power crossfade of two unrelated tones: the level holds through the join.
    assert overlap.min() > 0.8 * FULL_RMS and overlap.max() < 1.2 * FULL_RMS
    assert max_step(x) <= sine_step_limit(AMP, np.hypot(440, 660))  # both tones while they overlap
    assert silent_gaps(x) == []
    assert started.seconds == pytest.approx(1.0)


@pytest.mark.realtime
@retry_on_dropout
def test_skip_to_another_track_crossfades_without_click(capture, tmp_path):
    a = write_tone_wav(tmp_path / "a.wav", 3.0, 440, AMP)
    b = write_tone_wav(tmp_path / "b.wav", 3.0, 550, AMP)
    engine = start_engine(capture)
    engine.play(file=a, fade_in=0.05)
    time.sleep(0.6)
    engine.play(file=b, fade_in=0.3, overlap=0.3)
    time.sleep(0.7)
    engine.stop(fade_s=0.3)
    time.sleep(0.45)
    engine.close(0.1)
    x = capture.sound()
    assert silent_gaps(x) == []
    assert max_step(x) <= sine_step_limit(AMP, np.hypot(440, 550))  # both tones while they overlap
    assert zero_crossing_hz(x[-int(0.8 * CAPTURE_RATE):-int(0.35 * CAPTURE_RATE)]) == pytest.approx(550, abs=1)
    tail = envelope(x[-int(0.3 * CAPTURE_RATE):], 0.02)
    assert tail[-1] < 0.15 * FULL_RMS and np.all(np.diff(tail) < 0.01 * FULL_RMS)


@pytest.mark.realtime
@retry_on_dropout
def test_bad_file_is_reported_and_the_sound_goes_on(capture, tmp_path):
    good = write_tone_wav(tmp_path / "good.wav", 0.8, 440, AMP)
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF\x24\x00\x00\x00WAVEjunkjunkjunk")
    engine = start_engine(capture)
    engine.play(file=good, fade_in=0.05, fade_out=0.05)
    failed_id = engine.queue(file=bad)
    seen: list = []
    failed = wait_for(engine, Failed, seen=seen, id=failed_id)
    assert "bad.wav" in failed.path and failed.reason
    wait_for(engine, Ended, seen=seen)
    engine.close(0.1)
    x = capture.sound()
    assert seconds(len(x)) == pytest.approx(0.8, abs=0.03)
    assert rms(at(x, 0.3, 0.2)) == pytest.approx(FULL_RMS, rel=0.03)


@pytest.mark.realtime
@retry_on_dropout
def test_cues_sound_on_the_sample_for_the_monotonic_times_given(capture, tmp_path):
    beep = write_tone_wav(tmp_path / "beep.wav", 0.1, 1000, 0.3)
    engine = start_engine(capture)
    engine.play(builtin="brown-noise", seed=3, gain_db=-40.0)  # keeps the card running, far under the cues
    wait_for(engine, Started)
    time.sleep(0.3)
    target = time.monotonic() + 0.3
    engine.cue(file=beep, at=target)
    engine.cue(file=beep, at=target + 0.5)
    time.sleep(1.0)
    engine.close(0.1)
    x = capture.card.samples()
    loud = np.flatnonzero(np.abs(x[:, 0]) > 0.05)
    onsets = [loud[0], loud[np.flatnonzero(np.diff(loud) > CAPTURE_RATE // 10)[0] + 1]]
    # Placed on the sample clock: 0.5 s apart to within a few samples, whatever the UI did.
    assert (onsets[1] - onsets[0]) / CAPTURE_RATE == pytest.approx(0.5, abs=0.001)
    # Heard when asked, give or take what the rig holds beyond a real card's buffer
    # (a pipe of up to 46 ms here).
    heard = capture.card.time_of_frame(onsets[0])
    assert -0.01 < heard - target < 0.06


@pytest.mark.realtime
@retry_on_dropout
def test_withdrawn_cues_sent_ahead_never_sound(capture, tmp_path):
    beep = write_tone_wav(tmp_path / "beep.wav", 0.1, 1000, 0.3)
    engine = start_engine(capture)
    engine.play(builtin="brown-noise", seed=3, gain_db=-40.0)  # keeps the card running, far under the cues
    wait_for(engine, Started)
    engine.cue(file=beep)                                     # sounds now
    engine.cue(file=beep, at=time.monotonic() + 0.8)          # sent ahead, as the pacer does
    time.sleep(0.3)
    engine.withdraw_cues()                                    # the sitter paused
    time.sleep(1.0)
    engine.close(0.1)
    loud = np.flatnonzero(np.abs(capture.card.samples()[:, 0]) > 0.05)
    assert len(loud) and (loud[-1] - loud[0]) / CAPTURE_RATE < 0.15  # the first beep only


@pytest.mark.realtime
@retry_on_dropout
def test_engine_fades_out_and_exits_when_its_parent_is_killed(capture, tmp_path):
    wav = write_tone_wav(tmp_path / "a.wav", 10.0, 440, AMP)
    script = f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
from companion.audio.client import AudioEngine
if __name__ == "__main__":
    engine = AudioEngine(env={capture.env!r}, period_ms={PERIOD_MS}, orphan_fade_s=0.8)
    engine.start("miniaudio")
    engine.set_volume(100, ramp_s=0.0)
    engine.play(file={str(wav)!r}, fade_in=0.05)
    print(engine.pid, flush=True)
    time.sleep(60)
"""
    (tmp_path / "parent.py").write_text(script)
    parent = subprocess.Popen([sys.executable, str(tmp_path / "parent.py")], stdout=subprocess.PIPE, text=True)
    child_pid = int(parent.stdout.readline())
    capture.card.wait_seconds(0.5)
    killed_at = time.monotonic()
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    while time.monotonic() - killed_at < 3.0:
        if not running(child_pid):
            break
        time.sleep(0.02)
    else:
        os.kill(child_pid, signal.SIGKILL)
        pytest.fail("the engine outlived its parent by 3 s")
    gone_after = time.monotonic() - killed_at
    assert 0.8 <= gone_after < 1.8
    time.sleep(0.2)
    x = capture.sound()
    assert max_step(x) <= sine_step_limit(AMP, 440)
    kill_frame = int((killed_at - capture.card.started_at) * CAPTURE_RATE) - first_sound(capture.card.samples())
    env = envelope(x[kill_frame:], 0.05)
    assert env[0] > 0.7 * FULL_RMS
    assert np.all(np.diff(env) < 0.02 * FULL_RMS), "the sound fades down, never jumps"
    assert rms(x[-int(0.01 * CAPTURE_RATE):]) < 0.02 * FULL_RMS, "the fade ends in silence, then the engine stops"
    assert seconds(len(x) - kill_frame) == pytest.approx(0.8 + 0.1, abs=0.25)


@pytest.mark.realtime
@retry_on_dropout
def test_holding_crossfades_over_and_back_to_the_same_place(capture, tmp_path):
    music = write_tone_wav(tmp_path / "music.wav", 3.0, 440, AMP)
    hold = write_tone_wav(tmp_path / "hold.wav", 3.0, 660, AMP)
    engine = start_engine(capture)
    engine.play(file=music, fade_in=0.05)
    time.sleep(0.5)
    engine.suspend("music", 0.2)
    engine.play("holding", file=hold, fade_in=0.2)
    time.sleep(0.6)
    engine.stop("holding", 0.2)
    engine.unsuspend("music", 0.2)
    time.sleep(0.5)
    engine.stop("music", 0.2)
    seen: list = []
    wait_for(engine, Ended, seen=seen, slot="music")
    position = [e for e in seen if isinstance(e, Ended)][-1].position
    engine.close(0.1)
    x = capture.sound()
    assert silent_gaps(x) == []
    assert max_step(x) <= sine_step_limit(AMP, np.hypot(440, 660))
    assert zero_crossing_hz(at(x, 0.75, 0.25)) == pytest.approx(660, abs=1)
    assert zero_crossing_hz(at(x, len(x) / CAPTURE_RATE - 0.45, 0.2)) == pytest.approx(440, abs=1)
    # The music held still while the holding track played: it played ~0.5 + 0.2 + 0.5 + 0.2 s.
    assert position == pytest.approx(1.4, abs=0.15)


@pytest.mark.realtime
@retry_on_dropout
def test_a_truncated_file_is_refused_with_the_reason_and_nothing_sounds(capture, tmp_path):
    whole = write_tone_wav(tmp_path / "whole.wav", 1.0, 440, AMP)
    truncated = tmp_path / "truncated.wav"
    truncated.write_bytes(whole.read_bytes()[:44 + int(0.4 * 48000) * 4])  # the header still says 1 s
    after = write_tone_wav(tmp_path / "after.wav", 0.5, 660, AMP)
    engine = start_engine(capture)
    first = engine.play(file=truncated, fade_in=0.05)
    seen: list = []
    failed = wait_for(engine, Failed, seen=seen, id=first)
    assert "truncated" in failed.reason
    second = engine.play(file=after, fade_in=0.05, fade_out=0.05)
    wait_for(engine, Ended, seen=seen, id=second)
    engine.close(0.1)
    x = capture.sound()
    assert seconds(len(x)) == pytest.approx(0.5, abs=0.03)
    assert zero_crossing_hz(at(x, 0.1, 0.3)) == pytest.approx(660, abs=1)


class _Failing:
    """A source that decodes 0.3 s, then fails (a file corrupt in the middle)."""

    seconds = 2.0

    def __init__(self) -> None:
        self.given = 0

    def read(self, frames: int) -> np.ndarray:
        if self.given >= 14400:
            raise OSError("bad block at 0.3 s")
        self.given += frames
        return np.full((frames, 2), 0.1, dtype=np.float32)

    def close(self) -> None:
        pass


def test_a_source_failing_mid_stream_plays_what_was_decoded_then_ends():
    from companion.audio.streams import Stream, StreamInfo

    stream = Stream(_Failing(), StreamInfo("x", "music", "/music/x.flac"))
    stream.prefill(1.0)
    assert stream.error == "bad block at 0.3 s"
    assert stream.remaining() == stream.produced  # the end moved to what was decoded
    played = sum(len(stream.read(480)) for _ in range(40))
    assert played == stream.produced
    assert len(stream.read(480)) == 0 and stream.underruns == 0


def test_a_late_reader_means_silence_and_a_counted_underrun_not_a_wait():
    from companion.audio.streams import Stream, StreamInfo

    stream = Stream(_Failing(), StreamInfo("x", "music", None))
    stream.fill(480)
    assert np.all(stream.read(480) == 0.1)
    block = stream.read(480)  # nothing decoded yet: silence, full length
    assert len(block) == 480 and np.all(block == 0) and stream.underruns == 1
