"""Audio outputs: miniaudio, simpleaudio and none, opened by the engine process; auto's fallback."""

from __future__ import annotations

import time

import numpy as np
import pytest

from companion.audio.client import AudioEngine
from companion.audio.outputs import open_output
from companion.audio.protocol import Closed, Ended, Started
from companion.errors import AudioDeviceError
from tests.audio.alsa import (
    CAPTURE_RATE,
    LATENCY_PIPE_BYTES,
    Capture,
    PacedCard,
    make_alsa_home,
    max_step,
    rms,
    sine_step_limit,
    silent_gaps,
    wait_for,
    write_tone_wav,
    zero_crossing_hz,
)

AMP = 0.37
BROKEN_ASOUNDRC = 'pcm.!default { type hw; card 99 }\n'  # a card that does not exist


@pytest.fixture
def small_pipe_capture(tmp_path):
    """A capture whose FIFO holds only 4 KB (23 ms), so simpleaudio's gaps are not hidden."""
    home, fifo = make_alsa_home(tmp_path)
    card = PacedCard(fifo, pipe_bytes=LATENCY_PIPE_BYTES)
    card.start()
    capture = Capture(home, fifo, card, tmp_path)
    try:
        yield capture
    finally:
        capture.card.stop()


@pytest.fixture
def no_device_home(tmp_path):
    home = tmp_path / "nodevice"
    home.mkdir()
    (home / ".asoundrc").write_text(BROKEN_ASOUNDRC)
    return {"HOME": str(home)}


def test_unknown_output_is_refused():
    with pytest.raises(AudioDeviceError, match="unknown audio output 'speakers'"):
        open_output("speakers")
    with pytest.raises(AudioDeviceError, match="unknown audio output"):
        AudioEngine().start("speakers")


def test_auto_falls_back_to_none_with_a_reason_and_no_alsa_noise(no_device_home, capfd):
    engine = AudioEngine(env=no_device_home)
    info = engine.start("auto")
    try:
        assert info.backend == "none"
        assert "no audio device could be opened" in info.reason
        assert "silent" not in info.reason  # the technical reason only: the screen says the rest
    finally:
        engine.close(0.05)
    assert "ALSA lib" not in capfd.readouterr().err


@pytest.mark.parametrize("output", ["miniaudio", "simpleaudio"])
def test_a_named_output_that_cannot_open_raises(no_device_home, output, capfd):
    with pytest.raises(AudioDeviceError, match="no audio device could be opened"):
        AudioEngine(env=no_device_home).start(output)
    assert "ALSA lib" not in capfd.readouterr().err


@pytest.mark.realtime
def test_none_output_keeps_real_time(tmp_path, no_device_home):
    wav = write_tone_wav(tmp_path / "a.wav", 1.0)
    engine = AudioEngine(env=no_device_home)
    assert engine.start("none").backend == "none"
    engine.play(file=wav)
    started = wait_for(engine, Started)
    wait_for(engine, Ended)
    took = time.monotonic() - started.at + engine.latency_s
    engine.close(0.05)
    assert took == pytest.approx(1.0, abs=0.1)


@pytest.mark.realtime
def test_simpleaudio_plays_the_tone_with_short_gaps_between_buffers(small_pipe_capture, tmp_path):
    capture = small_pipe_capture
    chunk_s = 0.25
    wav = write_tone_wav(tmp_path / "a.wav", 1.5, 450, AMP)  # 450 Hz: buffers end mid-cycle
    engine = AudioEngine(env=capture.env, chunk_ms=int(chunk_s * 1000))
    assert engine.start("simpleaudio").backend == "simpleaudio"
    engine.set_volume(100, ramp_s=0.0)
    engine.play(file=wav, fade_in=0.05, fade_out=0.05)
    wait_for(engine, Ended, timeout=6)
    engine.close(0.05)
    closed = wait_for(engine, Closed)
    x = capture.sound()
    gaps = [n / CAPTURE_RATE for _, n in silent_gaps(x, min_s=0.0005)]
    audible = np.concatenate([x[a:b] for a, b in _runs_between(x, silent_gaps(x, min_s=0.0005))])
    assert zero_crossing_hz(audible[:int(0.2 * CAPTURE_RATE)]) == pytest.approx(450, abs=2)
    assert max_step(x) <= sine_step_limit(AMP, 450), "each buffer fades at its edges: no click"
    assert rms(audible[int(0.1 * CAPTURE_RATE):int(0.4 * CAPTURE_RATE)]) == pytest.approx(AMP / np.sqrt(2), rel=0.05)
    # The honest figure: simpleaudio reopens the device for every buffer, and the card
    # plays silence meanwhile: one gap of about 20 ms per buffer.
    assert len(gaps) >= 2  # five joins; a gap shorter than what the pipe holds stays hidden
    assert 0.001 < min(gaps) and max(gaps) < 0.06
    turnaround = closed.output["turnaround_ms_median"]
    assert 1 < turnaround < 60
    print(f"simpleaudio gaps between {chunk_s * 1000:.0f} ms buffers: "
          f"{', '.join(f'{g * 1000:.1f}' for g in gaps)} ms; turnaround {turnaround:.1f} ms")


def _runs_between(x: np.ndarray, gaps: list[tuple[int, int]]) -> list[tuple[int, int]]:
    edges, start = [], 0
    for a, n in gaps:
        edges.append((start, a))
        start = a + n
    edges.append((start, len(x)))
    return [(a, b) for a, b in edges if b > a]
