"""Decode-ahead streams: a bounded buffer per playing source, filled by the engine's reader thread.

The reader thread decodes a source into blocks ahead of time; the audio callback (through
the mixer) only copies ready samples out. If the reader falls behind, `read` pads with
silence and counts an underrun instead of waiting; it returns fewer frames only at the
real end of the source. One thread writes each counter, so no lock is needed under the GIL
(`collections.deque` appends and pops are atomic).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from companion.audio.outputs import RATE

if TYPE_CHECKING:
    from companion.audio.decode import Source

DECODE_BLOCK = 4096  # frames decoded per step (~85 ms): small enough to keep commands prompt
AHEAD_S = 1.5  # seconds buffered per playing source


@dataclass
class StreamInfo:
    """What the engine knows about one play request (its id, slot and fades)."""

    id: str
    slot: str
    path: str | None
    gain: float = 1.0
    fade_in: float = 0.0
    fade_out: float = 0.0
    overlap: float = 0.0
    at: float | None = None


class Stream:
    """A source behind a bounded decode-ahead buffer; `read` is safe in the audio callback."""

    def __init__(self, source: Source, info: StreamInfo, ahead_s: float = AHEAD_S) -> None:
        self.source = source
        self.info = info
        self.capacity = int(ahead_s * RATE)
        seconds = getattr(source, "seconds", None)
        self.total: int | None = int(round(seconds * RATE)) if seconds else None
        self._blocks: deque[np.ndarray] = deque()
        self._offset = 0
        self.produced = 0  # written by the reader thread only
        self.consumed = 0  # written by the audio callback only
        self.decoded_all = False
        self.error: str | None = None
        self.underruns = 0
        self._freeze_in: int | None = None  # frames left before the stream holds still
        self.frozen = False
        self.voice = info.id  # the mixer voice playing it (a gapless successor shares one)
        self.successor: Stream | None = None  # joined gaplessly after this one on its voice
        self.fading = False  # its end fade has been started
        self.done = False  # the mixer has finished with it: the reader may close it
        self._scratch = np.zeros((2048, 2), dtype=np.float32)

    # -- reader thread ------------------------------------------------------------------
    def wants(self) -> int:
        """Frames the reader may decode now (0 when the buffer is full or the source done)."""
        if self.decoded_all or self.done:
            return 0
        return max(0, self.capacity - (self.produced - self.consumed))

    def fill(self, frames: int = DECODE_BLOCK) -> None:
        """Decode one block into the buffer (reader thread); marks the end or the failure."""
        try:
            block = self.source.read(frames)
        except Exception as error:  # any decoder failure ends this source, never the engine
            self.error = str(getattr(error, "reason", None) or error) or type(error).__name__
            self.total = self.produced  # what was decoded still plays, then the next track
            self.decoded_all = True
            return
        n = len(block)
        if n:
            self._blocks.append(np.ascontiguousarray(block, dtype=np.float32))
            self.produced += n
        if n < frames:
            if self.total is None or self.total > self.produced:
                self.total = self.produced
            self.decoded_all = True

    def prefill(self, seconds: float) -> None:
        """Decode up to `seconds` ahead before the stream is handed to the mixer."""
        target = int(seconds * RATE)
        while not self.decoded_all and self.produced < target:
            self.fill()

    def close(self) -> None:
        """Mark the stream finished; the reader thread releases the decoder (never the callback).

        The mixer calls this from the audio callback when a voice ends; closing a decoder
        there would touch the file system, and could race the reader's decoding.
        """
        self.done = True

    def release(self) -> None:
        """Close the underlying source (reader thread only)."""
        self.done = True
        try:
            self.source.close()
        except Exception:  # closing a failed decoder must not take the engine down
            pass

    # -- audio callback ------------------------------------------------------------------
    def remaining(self) -> int | None:
        """Frames left to play, when the length is known."""
        return None if self.total is None else self.total - self.consumed

    def freeze_after(self, frames: int) -> None:
        """Stop consuming after `frames` more frames (once a fade to zero is done); play silence."""
        self._freeze_in = max(0, frames)

    def thaw(self) -> None:
        """Continue from the exact frame where the stream held still."""
        self._freeze_in = None
        self.frozen = False

    def read(self, frames: int) -> np.ndarray:
        """`frames` ready frames (silence where the reader is late); fewer only at the end."""
        if len(self._scratch) < frames:
            self._scratch = np.zeros((frames, 2), dtype=np.float32)
        out = self._scratch[:frames]
        want = frames
        if self._freeze_in is not None:
            want = min(frames, self._freeze_in)
            self._freeze_in -= want
            if self._freeze_in == 0:
                self.frozen = True
        done_decoding = self.decoded_all  # read before draining: all blocks are in if True
        filled = 0
        blocks = self._blocks
        while filled < want and blocks:
            head = blocks[0]
            take = min(len(head) - self._offset, want - filled)
            out[filled:filled + take] = head[self._offset:self._offset + take]
            filled += take
            self._offset += take
            if self._offset >= len(head):
                blocks.popleft()
                self._offset = 0
        self.consumed += filled
        if filled < want and done_decoding and not blocks:
            return out[:filled]
        if filled < frames:
            out[filled:] = 0.0
            if filled < want:
                self.underruns += 1
        return out
