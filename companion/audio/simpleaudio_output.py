"""The simpleaudio output: whole buffers played one after another, each with soft edges."""

from __future__ import annotations

import threading
import time

import numpy as np

from companion.audio.outputs import (CHANNELS, RATE, Output, OutputInfo, Pull, quiet_stderr,
                                     raise_priority)
from companion.errors import AudioDeviceError


class SimpleaudioOutput(Output):
    """simpleaudio (the `simpleaudio-patched` fork): plays whole buffers, one after another.

    simpleaudio has no streaming callback: each `play_buffer` opens the device, plays the
    buffer, drains it and closes the device. So a stream is cut into chunks of `chunk_ms`,
    and between chunks there is a gap of silence while the device closes and reopens
    (about 20 ms on ALSA, measured by `scripts/bench_audio` and the tests; see docs/sound/engine.md).
    Each chunk fades in and out over 3 ms so the gap is a soft dip rather than a click; the
    next chunk is rendered just before it is due, so a command is heard about one chunk
    later. Longer chunks mean fewer dips but slower commands.
    """

    RENDER_AHEAD_S = 0.03
    EDGE_S = 0.003  # each buffer fades in and out this fast: the gap between them has no click

    def __init__(self, *, chunk_ms: int = 500, reason: str = "") -> None:
        try:
            import simpleaudio
        except ImportError as error:
            raise AudioDeviceError(
                "simpleaudio is not installed (pip install 'companion[simpleaudio]')"
            ) from error
        self._sa = simpleaudio
        self.period_frames = RATE * chunk_ms // 1000
        self.latency_s = chunk_ms / 1000
        self.info = OutputInfo("simpleaudio", "default device (whole buffers)", reason)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.cycles: list[float] = []
        """Wall seconds from one chunk's start to the next's, minus the chunk's length."""
        # Open the device once now, so a missing device is reported at start, not later.
        probe = np.zeros((RATE // 20, CHANNELS), dtype=np.int16).tobytes()
        with quiet_stderr():
            try:
                self._sa.play_buffer(probe, CHANNELS, 2, RATE).wait_done()
            except Exception as error:  # SimpleaudioError has no importable base
                raise AudioDeviceError(f"no audio device could be opened ({error})") from error

    def start(self, pull: Pull) -> None:
        """Start the feeding thread."""
        self._thread = threading.Thread(target=self._run, args=(pull,), name="simpleaudio", daemon=True)
        self._thread.start()

    def _run(self, pull: Pull) -> None:
        raise_priority(40)
        chunk_s = self.period_frames / RATE
        t = (np.arange(int(self.EDGE_S * RATE)) + 0.5) / (self.EDGE_S * RATE)
        ramp = (0.5 - 0.5 * np.cos(np.pi * t)).astype(np.float32)
        block = _to_int16(_declicked(pull(self.period_frames), ramp))
        while not self._stop.is_set():
            started = time.monotonic()
            with quiet_stderr():
                playing = self._sa.play_buffer(block, CHANNELS, 2, RATE)
            # Render the next chunk just before it is needed, so a command waits one chunk, not two.
            self._stop.wait(max(0.0, started + chunk_s - self.RENDER_AHEAD_S - time.monotonic()))
            block = _to_int16(_declicked(pull(self.period_frames), ramp))
            playing.wait_done()
            self.cycles.append(time.monotonic() - started - chunk_s)

    def stats(self) -> dict:
        """Buffers played and the device turnaround between them (wall clock, ms)."""
        turns = sorted(self.cycles[1:])  # the first includes opening the device
        if not turns:
            return {"buffers": len(self.cycles)}
        return {"buffers": len(self.cycles), "turnaround_ms_median": 1000 * turns[len(turns) // 2],
                "turnaround_ms_max": 1000 * turns[-1]}

    def stop(self) -> None:
        """Stop after the chunk that is playing."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.latency_s + 2.0)


def _to_int16(block: np.ndarray) -> bytes:
    return (np.clip(block, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def _declicked(block: np.ndarray, ramp: np.ndarray) -> np.ndarray:
    """The block with short fades at both ends: the gap after it is then a dip, not a click."""
    out = np.array(block, dtype=np.float32)
    n = min(len(ramp), len(out) // 2)
    out[:n] *= ramp[:n, None]
    out[len(out) - n:] *= ramp[:n][::-1, None]
    return out
