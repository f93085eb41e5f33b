"""Audio outputs: the device that pulls rendered blocks (miniaudio, simpleaudio, or none).

Every output takes a `pull(frames) -> float32 array (frames, 2)` at 48 kHz and calls it
whenever it needs more sound. `miniaudio` plays through the system's default device (ALSA
on Linux) from its own callback thread; `none` is miniaudio's NULL backend, which pulls at
real-time pace with no sound card, so a silent session keeps its timing; `simpleaudio`
plays whole buffers one after another, which leaves a short gap between buffers (see
`SimpleaudioOutput`). `auto` is miniaudio, falling back to none with the reason.

Opening a device is done in the engine's child process, which keeps ALSA's stderr noise
away from the user's screen.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.errors import AudioDeviceError

if TYPE_CHECKING:
    import numpy as np

RATE = 48000
CHANNELS = 2
BACKENDS = ("auto", "miniaudio", "simpleaudio", "none")

Pull = Callable[[int], "np.ndarray"]
"""Render the next `frames` frames: float32, shape (frames, 2), 48 kHz."""


@dataclass(frozen=True)
class OutputInfo:
    """Which output is playing, on which device, and why it is not the one asked for."""

    backend: str
    """"miniaudio", "simpleaudio" or "none"."""
    device: str
    """A description of the device for people (e.g. "ALSA default device")."""
    reason: str = ""
    """Why this output replaced the one asked for (empty when it is the one asked for)."""


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null for the duration (ALSA prints there on its own)."""
    if os.environ.get("COMPANION_AUDIO_DEBUG"):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def raise_priority(level: int) -> bool:
    """Ask for real-time scheduling (SCHED_FIFO at `level`) for the calling thread, if allowed.

    The audio callback needs the GIL; if the thread holding it is preempted by other
    programs, the callback waits too. Where the system grants real-time priority (root, or
    an `audio` group with rtprio), every engine thread takes it; elsewhere this does nothing.
    Threads started by this one (simpleaudio's player threads) inherit it.
    """
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(level))
    except (AttributeError, OSError):
        return False
    return True


class Output:
    """A started device pulling sound; `stop()` closes it."""

    info: OutputInfo
    latency_s: float
    """Seconds between a block being rendered and it being heard (the device's buffer)."""
    period_frames: int
    """Frames per pull (a typical block size)."""

    def start(self, pull: Pull) -> None:
        """Start pulling blocks from `pull`."""
        raise NotImplementedError

    def stop(self) -> None:
        """Stop pulling and close the device."""
        raise NotImplementedError

    def stats(self) -> dict:
        """Figures about the output's own behaviour (for `scripts/bench_audio`)."""
        return {}


def _pull_generator(pull: Pull) -> Iterator[np.ndarray]:
    frames = yield b""  # miniaudio primes the generator with next(), then sends frame counts
    while True:
        frames = yield pull(frames)


class MiniaudioOutput(Output):
    """The default output: miniaudio's device on ALSA's default device (or NULL for `none`)."""

    PERIODS = 3  # miniaudio's default number of periods per device buffer

    def __init__(self, *, null: bool = False, period_ms: int = 10, reason: str = "") -> None:
        import miniaudio

        backends = [miniaudio.Backend.NULL] if null else _system_backends(miniaudio)
        with quiet_stderr():
            try:
                self._device = miniaudio.PlaybackDevice(
                    output_format=miniaudio.SampleFormat.FLOAT32,
                    nchannels=CHANNELS,
                    sample_rate=RATE,
                    buffersize_msec=period_ms,
                    backends=backends,
                    app_name="Companion",
                    # SCHED_FIFO where the system grants it; miniaudio falls back quietly.
                    thread_prio=miniaudio.ThreadPriority.REALTIME,
                )
            except miniaudio.MiniaudioError as error:
                from companion.audio.decode import miniaudio_reason

                raise AudioDeviceError(f"no audio device could be opened "
                                       f"({miniaudio_reason(error)})") from error
        self.period_frames = RATE * period_ms // 1000
        self.latency_s = self.PERIODS * period_ms / 1000
        if null:
            self.info = OutputInfo("none", "no device (silent, paced by the clock)", reason)
        else:
            self.info = OutputInfo("miniaudio", f"{self._device.backend} default device", reason)

    def start(self, pull: Pull) -> None:
        """Start the device's callback thread pulling from `pull`."""
        gen = _pull_generator(pull)
        next(gen)
        with quiet_stderr():
            self._device.start(gen)

    def stop(self) -> None:
        """Stop and close the device."""
        with quiet_stderr():
            self._device.close()


def _system_backends(miniaudio) -> list:
    """ALSA on Linux (so `~/.asoundrc` and the default device apply); the platform's default elsewhere."""
    if sys.platform.startswith("linux"):
        return [miniaudio.Backend.ALSA]
    return []


def open_output(backend: str = "auto", *, period_ms: int = 10, chunk_ms: int = 500) -> Output:
    """Open the output named `backend`; `auto` falls back to `none` with a reason.

    Raises AudioDeviceError when the named output (other than auto) cannot be opened.
    """
    if backend not in BACKENDS:
        raise AudioDeviceError(f"unknown audio output {backend!r} (choose from {', '.join(BACKENDS)})")
    if backend == "none":
        return MiniaudioOutput(null=True, period_ms=period_ms)
    if backend == "simpleaudio":
        from companion.audio.simpleaudio_output import SimpleaudioOutput

        return SimpleaudioOutput(chunk_ms=chunk_ms)
    try:
        return MiniaudioOutput(period_ms=period_ms)
    except AudioDeviceError as error:
        if backend == "miniaudio":
            raise
        # The technical reason only: the screen says what it means in plain words
        # (AudioSetup.describe) and the record keeps this.
        return MiniaudioOutput(null=True, period_ms=period_ms, reason=error.reason)
