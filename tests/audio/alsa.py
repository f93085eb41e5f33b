"""Test helpers for real ALSA output: a temp HOME whose default device is a paced FIFO capture.

ALSA's `file` plugin writes whatever is played on the default device into a FIFO; a
reader thread here plays the part of a sound card: from the first byte on it takes one
tick of samples per tick of real time, and writes zeros for what has not arrived by the
tick's deadline, as a card plays silence on underrun. The player's writes block on the
small pipe, so the engine is paced exactly as by a card. Captures are 16-bit stereo at
44.1 kHz (the `plug` wrapper converts whatever is opened); helpers turn them into float
arrays and measure level, frequency, clicks and fade shapes.
"""

from __future__ import annotations

import collections
import fcntl
import functools
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

CAPTURE_RATE = 44100
FRAME_BYTES = 4  # S16_LE stereo
F_SETPIPE_SZ = 1031
PIPE_BYTES = 8192  # ~46 ms of capture: alsa-lib's file plugin writes two periods at a time, and a
# 4 KB pipe (the least Linux allows) leaves the player less slack than a real card's buffer would
LATENCY_PIPE_BYTES = 4096  # for measuring latency, where every byte held counts
TICK_FRAMES = 256  # ~5.8 ms per card tick
FILE_PLUGIN_PERIODS = 3  # alsa-lib's pcm_file keeps one whole buffer (3 periods) before writing

ASOUNDRC = """\
pcm.!default {{ type plug; slave {{ pcm "tofile"; format S16_LE; rate {rate}; channels 2 }} }}
pcm.tofile   {{ type file; slave.pcm "nullsink"; file "{fifo}"; format "raw" }}
pcm.nullsink {{ type null }}
"""


class PacedCard:
    """A fake sound card in its own process (real-time priority when allowed) reading the FIFO.

    From the first byte on it plays one tick per tick of real time and writes zeros for
    whatever has not arrived by the tick's deadline, as a card plays silence on underrun.
    The capture goes to `fifo.raw`; `started_at` is the monotonic time frame 0 was played.
    """

    def __init__(self, fifo: Path, rate: int = CAPTURE_RATE, pipe_bytes: int = PIPE_BYTES) -> None:
        self.fifo = Path(fifo)
        self.rate = rate
        self.pipe_bytes = pipe_bytes
        self.out = self.fifo.with_suffix(".raw")
        self._t0_file = self.fifo.with_suffix(".t0")
        self._process: subprocess.Popen | None = None
        self._started_at: float | None = None

    def start(self) -> None:
        """Start the card process; returns once it has the FIFO open."""
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.audio.alsa", str(self.fifo), str(self.out), str(self.rate),
             str(self.pipe_bytes)],
            env=env, stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None
        self._process.stdout.readline()  # "ready": the FIFO is open and sized

    def stop(self) -> None:
        """Stop the card process."""
        if self._process is not None:
            if self._process.poll() is None:
                self._process.terminate()
                self._process.wait(5)
            if self._process.stdout is not None:
                self._process.stdout.close()

    @property
    def started_at(self) -> float | None:
        """The monotonic time at which the card played capture frame 0 (None before any sound)."""
        if self._started_at is None and self._t0_file.exists():
            text = self._t0_file.read_text().strip()
            self._started_at = float(text) if text else None
        return self._started_at

    def samples(self) -> np.ndarray:
        """Everything the card played so far, float (n, 2) in -1..1."""
        data = self.out.read_bytes() if self.out.exists() else b""
        usable = len(data) // FRAME_BYTES * FRAME_BYTES
        return np.frombuffer(data[:usable], dtype="<i2").reshape(-1, 2).astype(np.float32) / 32768.0

    def seconds(self) -> float:
        """Seconds of audio the card has played."""
        size = self.out.stat().st_size if self.out.exists() else 0
        return size / FRAME_BYTES / self.rate

    def wait_seconds(self, seconds: float, timeout: float = 10.0) -> None:
        """Block until the card has played `seconds` of audio (or raise after `timeout`)."""
        limit = time.monotonic() + timeout
        while self.seconds() < seconds:
            if time.monotonic() > limit:
                raise TimeoutError(f"card played only {self.seconds():.2f} s of {seconds} s")
            time.sleep(0.01)

    def time_of_frame(self, index: int) -> float:
        """The monotonic time at which the card played capture frame `index`."""
        assert self.started_at is not None
        return self.started_at + index / self.rate

    def underruns(self) -> list[tuple[int, float, int]]:
        """(tick, ms the card woke after its deadline, bytes missing) for each tick that lacked audio."""
        path = self.out.with_suffix(".late")
        return [tuple(u) for u in json.loads(path.read_text())] if path.exists() else []


def run_card(fifo: Path, out: Path, rate: int, pipe_bytes: int = PIPE_BYTES) -> None:
    """The card process's loop (see PacedCard)."""
    stop: list = []
    started: dict = {}
    late: list = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # writers' open/close never reset the pipe
    fcntl.fcntl(fd, F_SETPIPE_SZ, pipe_bytes)
    try:  # a card keeps time even when the machine is busy
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(50))
    except (PermissionError, OSError, AttributeError):
        pass
    played: collections.deque[bytes] = collections.deque()
    # The disk is written by another thread, so a slow disk never makes the card late. It
    # inherits the real-time priority: a preempted thread holding the GIL would stall the card.
    writer = threading.Thread(target=_write_out, args=(played, Path(out), stop, started, late),
                              daemon=True)
    writer.start()
    print("ready", flush=True)

    def read(nbytes: int) -> bytes:
        try:
            return os.read(fd, nbytes)
        except BlockingIOError:
            return b""

    tick_bytes = TICK_FRAMES * FRAME_BYTES
    pending = b""
    while not stop and not pending:
        pending = read(tick_bytes)
        if not pending:
            time.sleep(0.001)
    # One tick of slack, as a card's buffer would have, so a writer's split write is no glitch.
    t0 = time.monotonic() + TICK_FRAMES / rate
    started["t0"] = t0
    tick = 0
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    while not stop:
        # Take the tick's samples as soon as they arrive (freeing the pipe for the player),
        # waking only when data comes or the deadline passes.
        deadline = t0 + (tick + 1) * TICK_FRAMES / rate
        while len(pending) < tick_bytes:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if poller.poll(max(1, int(left * 1000))):
                pending += read(tick_bytes - len(pending))
        delay = deadline - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        block, pending = pending[:tick_bytes], pending[tick_bytes:]
        if len(block) < tick_bytes:
            # Why the card had nothing: was the player late, or this card (woke late)?
            late.append((tick, round((time.monotonic() - deadline) * 1000, 1), tick_bytes - len(block)))
        played.append(block + b"\0" * (tick_bytes - len(block)))
        tick += 1
    writer.join(1.0)


def _write_out(played: collections.deque, out: Path, stop: list, started: dict, late: list) -> None:
    t0_written = False
    late_written = 0
    with open(out, "wb", buffering=0) as sink:
        while True:
            if not t0_written and "t0" in started:
                out.with_suffix(".t0").write_text(repr(started["t0"]))
                t0_written = True
            if len(late) != late_written:
                late_written = len(late)
                out.with_suffix(".late").write_text(json.dumps(late[:late_written]))
            chunks = []
            while played:
                chunks.append(played.popleft())
            if chunks:
                sink.write(b"".join(chunks))
            elif stop:
                return
            time.sleep(0.01)


def make_alsa_home(tmp: Path, rate: int = CAPTURE_RATE) -> tuple[Path, Path]:
    """Create `tmp/home/.asoundrc` sending the default device to a FIFO; returns (home, fifo)."""
    home = tmp / "home"
    home.mkdir(parents=True, exist_ok=True)
    fifo = tmp / "capture.fifo"
    if not fifo.exists():
        os.mkfifo(fifo)
    (home / ".asoundrc").write_text(ASOUNDRC.format(rate=rate, fifo=fifo))
    return home, fifo


# ---- analysis -------------------------------------------------------------------------


def rms(x: np.ndarray) -> float:
    """Root mean square of all samples."""
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if x.size else 0.0


def zero_crossing_hz(x: np.ndarray, rate: int = CAPTURE_RATE) -> float:
    """The frequency of a steady tone, from the rising zero crossings of the first channel."""
    mono = x[:, 0] if x.ndim == 2 else x
    signs = np.signbit(mono)
    rising = np.flatnonzero(signs[:-1] & ~signs[1:])
    if len(rising) < 2:
        return 0.0
    return float((len(rising) - 1) * rate / (rising[-1] - rising[0]))


def max_step(x: np.ndarray) -> float:
    """The largest jump between neighbouring samples (a click shows as a big step)."""
    if len(x) < 2:
        return 0.0
    return float(np.max(np.abs(np.diff(x, axis=0))))


def sine_step_limit(amplitude: float, hz: float, rate: int = CAPTURE_RATE) -> float:
    """The largest step a sine of this amplitude and frequency can make, with a little slack."""
    return 1.25 * 2 * np.pi * hz / rate * amplitude + 2.0 / 32768


def envelope(x: np.ndarray, window_s: float = 0.01, rate: int = CAPTURE_RATE) -> np.ndarray:
    """RMS per window of `window_s` (a fade's shape)."""
    n = max(1, int(window_s * rate))
    mono = x[:, 0] if x.ndim == 2 else x
    usable = len(mono) // n * n
    blocks = mono[:usable].reshape(-1, n).astype(np.float64)
    return np.sqrt(np.mean(blocks * blocks, axis=1))


def first_sound(x: np.ndarray, threshold: float = 1e-3) -> int | None:
    """Index of the first frame louder than `threshold`, or None."""
    hits = np.flatnonzero(np.max(np.abs(x), axis=1) > threshold) if x.ndim == 2 else np.flatnonzero(
        np.abs(x) > threshold
    )
    return int(hits[0]) if hits.size else None


def last_sound(x: np.ndarray, threshold: float = 1e-3) -> int | None:
    """Index of the last frame louder than `threshold`, or None."""
    hits = np.flatnonzero(np.max(np.abs(x), axis=1) > threshold)
    return int(hits[-1]) if hits.size else None


def silent_gaps(x: np.ndarray, min_s: float = 0.002, rate: int = CAPTURE_RATE) -> list[tuple[int, int]]:
    """Runs of exact digital silence (both channels zero) at least `min_s` long, as (start, length)."""
    zero = np.all(x == 0, axis=1)
    padded = np.concatenate([[False], zero, [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    runs = [(int(a), int(b - a)) for a, b in zip(edges[::2], edges[1::2])]
    return [(a, n) for a, n in runs if n >= min_s * rate]


def write_tone_wav(path: Path, seconds: float, hz: float = 440.0, amplitude: float = 0.37,
                   rate: int = 48000, channels: int = 2) -> Path:
    """Write a 16-bit PCM WAV of a steady sine (no fade: the engine must do the fades)."""
    import wave

    t = np.arange(int(seconds * rate)) / rate
    mono = (amplitude * np.sin(2 * np.pi * hz * t) * 32767).astype("<i2")
    data = np.repeat(mono[:, None], channels, axis=1)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.tobytes())
    return path


# ---- fixtures ------------------------------------------------------------------------


@dataclass
class Capture:
    """A temp HOME whose ALSA default device is the paced card; `env` is for the engine process."""

    home: Path
    fifo: Path
    card: PacedCard
    tmp: Path

    @property
    def env(self) -> dict[str, str]:
        """Environment for the engine child: HOME holding the `.asoundrc`."""
        return {"HOME": str(self.home)}

    def sound(self, threshold: float = 1e-3) -> np.ndarray:
        """The captured samples from the first to the last audible frame."""
        x = self.card.samples()
        first, last = first_sound(x, threshold), last_sound(x, threshold)
        assert first is not None and last is not None, "nothing audible was captured"
        return x[first:last + 1]

    def had_dropout(self) -> bool:
        """Whether the card lacked audio somewhere between the first and the last sound."""
        time.sleep(0.05)  # the card's bookkeeping is written a few ms behind
        x = self.card.samples()
        first, last = first_sound(x), last_sound(x)
        if first is None or last is None:
            return False
        return any(first // TICK_FRAMES < tick < last // TICK_FRAMES for tick, _, _ in self.card.underruns())

    def reset(self) -> None:
        """A fresh card (and capture) on the same FIFO."""
        self.card.stop()
        for suffix in (".raw", ".t0", ".late"):
            self.fifo.with_suffix(suffix).unlink(missing_ok=True)
        self.card = PacedCard(self.fifo, rate=self.card.rate, pipe_bytes=self.card.pipe_bytes)
        self.card.start()


def capture_fixture(rate: int = CAPTURE_RATE):
    """Pytest fixture factory: `capture = capture_fixture()` in a test module (a card at `rate`)."""
    import pytest

    @pytest.fixture
    def capture(tmp_path: Path):
        home, fifo = make_alsa_home(tmp_path, rate=rate)
        card = PacedCard(fifo, rate=rate)
        card.start()
        capture = Capture(home, fifo, card, tmp_path)
        try:
            yield capture
        finally:
            capture.card.stop()

    return capture


def retry_on_dropout(test):
    """Run a capture test once more if it failed while the card saw a dropout.

    On this kind of machine (a 2-core VM, other test suites saturating both cores) even
    real-time processes are now and then held up for 20-40 ms, and the fake card then plays
    a few milliseconds of silence that no engine could have prevented. A failure with a
    dropout gets one more try; a failure without one (wrong level, shape, click, timing)
    fails at once, and so does a dropout that happens twice.
    """

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        capture = kwargs["capture"]
        try:
            return test(*args, **kwargs)
        except AssertionError:
            if not capture.had_dropout():
                raise
        capture.reset()
        return test(*args, **kwargs)

    return wrapper


E = TypeVar("E")


def wait_for(engine, kind: type[E], timeout: float = 5.0, seen: list | None = None, **match) -> E:
    """Poll an AudioEngine until an event of type `kind` (with fields matching `match`) arrives."""
    limit = time.monotonic() + timeout
    seen = [] if seen is None else seen
    while time.monotonic() < limit:
        for event in engine.poll_events():
            seen.append(event)
            if isinstance(event, kind) and all(getattr(event, k) == v for k, v in match.items()):
                return event
        time.sleep(0.005)
    names = [type(e).__name__ for e in seen]
    raise TimeoutError(f"no {kind.__name__} event in {timeout} s; saw {names}")


if __name__ == "__main__":
    run_card(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
