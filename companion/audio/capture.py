"""Recording from the default microphone: a capture child process, a live level, stop by frame count.

The microphone is read by miniaudio's `CaptureDevice` in a small child process
(`python -m companion.audio.capture`) that writes 16-bit mono samples to its stdout. A
child keeps ALSA's chatter off the screen (it prints to fd 2 from its own threads), reads
`~/.asoundrc` afresh each time, and never waits on the UI's garbage collector: the pipe
(enlarged to ~2.7 s) absorbs any pause of the reader here. A reader thread collects the
samples and keeps the last block's level for a meter. Recording stops on `stop()` or
after `max_seconds` worth of frames, counted, never timed (a capture device need not run
in real time).
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping

import numpy as np

from companion.errors import AudioDeviceError

RATE = 48000
PERIOD_MS = 20
PERIODS = 8  # a 160 ms device buffer
MAX_SECONDS = 120.0
PIPE_BYTES = 1 << 18
SILENT_DB = -90.0


def level_db(block: np.ndarray) -> tuple[float, float]:
    """(RMS, peak) of a float block in dBFS (SILENT_DB for silence)."""
    if len(block) == 0:
        return SILENT_DB, SILENT_DB
    x = block.astype(np.float64)
    rms = math.sqrt(float(np.mean(x * x)))
    peak = float(np.max(np.abs(x)))
    to_db = lambda v: max(SILENT_DB, 20.0 * math.log10(v)) if v > 0 else SILENT_DB  # noqa: E731
    return to_db(rms), to_db(peak)


class Capture:
    """One recording from the default microphone (mono float32 at `rate`)."""

    def __init__(self, rate: int = RATE, max_seconds: float = MAX_SECONDS, *,
                 env: Mapping[str, str] | None = None, backend: str = "auto") -> None:
        """`env`: extra environment for the capture process (HOME for a test's `.asoundrc`);
        `backend`: `auto` (miniaudio's order), `alsa`, or `null` (silence in real time)."""
        self.rate = rate
        self.max_frames = int(round(max_seconds * rate))
        self.env = dict(env or {})
        self.backend_name = backend
        self.backend = ""
        self.level = SILENT_DB
        """RMS of the latest block, dBFS (for a meter)."""
        self.peak = SILENT_DB
        """Peak of the latest block, dBFS."""
        self._chunks: list[bytes] = []
        self._bytes = 0
        self._process: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        self.error: str | None = None

    @property
    def frames(self) -> int:
        """Frames recorded so far."""
        return self._bytes // 2

    @property
    def seconds(self) -> float:
        """Seconds recorded so far."""
        return self.frames / self.rate

    @property
    def running(self) -> bool:
        """True while recording."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> str:
        """Open the microphone and start recording; returns the backend's name.

        Raises AudioDeviceError with the device's reason when it cannot be opened.
        """
        env = {**os.environ, **self.env}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "companion.audio.capture", str(self.rate), str(self.max_frames),
             self.backend_name],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        assert self._process.stdout is not None
        header = _read_line(self._process, timeout)
        try:
            status = json.loads(header or b"{}")
        except ValueError:
            status = {}
        if not status.get("ok"):
            self._process.wait(2.0)
            raise AudioDeviceError(status.get("reason") or "the microphone could not be opened")
        self.backend = status.get("backend", "")
        self._thread = threading.Thread(target=self._read, name="capture", daemon=True)
        self._thread.start()
        return self.backend

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        out = self._process.stdout
        left = self.max_frames * 2
        while left > 0:
            chunk = out.read1(min(left, 1 << 14)) if hasattr(out, "read1") else out.read(4096)
            if not chunk:
                break
            if len(chunk) % 2 and left > len(chunk):
                chunk += out.read(1)
            self._chunks.append(chunk)
            self._bytes += len(chunk)
            left -= len(chunk)
            block = np.frombuffer(chunk[: len(chunk) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
            self.level, self.peak = level_db(block)
        self._end_process()

    def _end_process(self) -> None:
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(3.0)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(1.0)
        if process.stdout is not None:
            process.stdout.close()

    def stop(self) -> np.ndarray:
        """Stop recording; returns everything recorded as mono float32."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
        if self._thread is not None:
            self._thread.join(5.0)
        self._end_process()
        self.level = self.peak = SILENT_DB
        return self.samples()

    def samples(self) -> np.ndarray:
        """What has been recorded so far, mono float32."""
        data = b"".join(self._chunks)
        data = data[: len(data) // 2 * 2]
        return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


def _read_line(process: subprocess.Popen, timeout: float) -> bytes:
    """The child's status line, or b"" if it says nothing in time."""
    result: list[bytes] = []
    reader = threading.Thread(target=lambda: result.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if not result:
        process.kill()
        return b""
    return result[0]


def _child(rate: int, max_frames: int, backend: str) -> int:
    """The capture process: status line, then raw S16 mono until stopped or max_frames."""
    import miniaudio

    out = sys.stdout.buffer
    try:
        import fcntl

        fcntl.fcntl(out.fileno(), 1031, PIPE_BYTES)  # F_SETPIPE_SZ: room for a UI pause
    except OSError:
        pass
    backends = {"alsa": [miniaudio.Backend.ALSA], "null": [miniaudio.Backend.NULL]}.get(backend)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        device = miniaudio.CaptureDevice(input_format=miniaudio.SampleFormat.SIGNED16, nchannels=1,
                                         sample_rate=rate, buffersize_msec=PERIOD_MS,
                                         callback_periods=PERIODS, backends=backends,
                                         app_name="Companion")
    except miniaudio.MiniaudioError as error:
        out.write(json.dumps({"ok": False, "reason": f"the microphone could not be opened "
                              f"({error})"}).encode() + b"\n")
        out.flush()
        return 1
    out.write(json.dumps({"ok": True, "backend": device.backend}).encode() + b"\n")
    out.flush()
    left = [max_frames * 2]

    def collect():
        while True:
            data = yield
            if left[0] <= 0 or stop.is_set():
                stop.set()
                continue
            data = bytes(data[: left[0]])
            left[0] -= len(data)
            try:
                out.write(data)
                out.flush()
            except (BrokenPipeError, OSError):
                left[0] = 0
            if left[0] <= 0:
                stop.set()

    gen = collect()
    next(gen)
    device.start(gen)
    while not stop.wait(0.05):
        pass
    device.close()
    try:
        out.flush()
    except (BrokenPipeError, OSError):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(_child(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "auto"))
