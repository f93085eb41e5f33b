"""Test helper: a fake microphone for ALSA's default capture device, fed from a FIFO in real time.

Recipe from TESTING.md ("Real microphone input, fed from a file"): an `.asoundrc` whose
default pcm is the `file` plugin with `infile` a FIFO, and a writer thread that writes
one capture period per write at real-time pace: silence, the speech, then silence until
stopped. Speech comes from espeak-ng, resampled by sox to 48 kHz 16-bit mono.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import numpy as np

RATE = 48000
PERIOD_FRAMES = 960  # 20 ms, the capture period Companion asks for


def speech(text: str, directory: Path) -> np.ndarray:
    """espeak-ng saying `text`, as 48 kHz mono int16 samples."""
    wav, raw = directory / "speech.wav", directory / "speech.raw"
    subprocess.run(["espeak-ng", "-w", str(wav), text], check=True)
    subprocess.run(["sox", str(wav), "-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed-integer",
                    str(raw)], check=True)
    return np.frombuffer(raw.read_bytes(), dtype="<i2").copy()


def write_asoundrc(home: Path, fifo: Path) -> None:
    """An `.asoundrc` in `home` whose default device records from `fifo` and plays to nowhere."""
    (home / ".asoundrc").write_text(
        f'pcm.!default {{ type file; slave.pcm "null"; file "/dev/null"; '
        f'infile "{fifo}"; format "raw" }}\n')


class MicFeed:
    """Writes `lead_s` of silence, the samples, then silence, one period per 20 ms, into a FIFO."""

    def __init__(self, home: Path, samples: np.ndarray, lead_s: float = 0.5) -> None:
        self.fifo = home / "mic.raw"
        os.mkfifo(self.fifo)
        write_asoundrc(home, self.fifo)
        lead = np.zeros(int(lead_s * RATE), dtype="<i2")
        self.data = np.concatenate([lead, samples.astype("<i2")]).tobytes()
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        period = PERIOD_FRAMES * 2
        silence = bytes(period)
        while not self.stop_event.is_set():
            # Blocks until a capture opens the FIFO; reopen after each reader closes it.
            try:
                fd = os.open(self.fifo, os.O_WRONLY)
            except OSError:
                return
            start, offset = time.monotonic(), 0
            try:
                for n in range(10**9):
                    if self.stop_event.is_set():
                        break
                    chunk = self.data[offset:offset + period]
                    offset += period
                    os.write(fd, chunk + silence[len(chunk):])
                    delay = start + (n + 1) * PERIOD_FRAMES / RATE - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
            except (BrokenPipeError, OSError):
                pass
            finally:
                os.close(fd)

    def stop(self) -> None:
        """Stop writing (and unblock a writer still waiting for a reader)."""
        self.stop_event.set()
        try:
            fd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
            os.close(fd)
        except OSError:
            pass
        self.thread.join(2.0)
