"""Any source the engine plays, opened from its `SourceSpec`: a file or a built-in sound."""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np

from companion.audio import soundscapes
from companion.audio.decode.file import FileSource
from companion.audio.protocol import SourceSpec
from companion.errors import AudioError



class Source(Protocol):
    """A stream of float32 stereo frames at 48 kHz."""

    rate: int
    seconds: float | None
    """Total length this source will deliver (None: endless)."""
    frames_read: int
    """Frames delivered so far (the play position)."""

    def read(self, frames: int) -> np.ndarray:
        """Up to `frames` frames, (n, 2) float32; fewer only at the end (0 rows: ended).

        Raises AudioError if the file turns out to be corrupt or truncated mid-stream.
        """
        ...

    def close(self) -> None:
        """Release the decoder (idempotent)."""
        ...


def open_source(spec: SourceSpec, follows: Source | None = None) -> Source:
    """A streaming Source for `spec` (a file or a built-in); raises AudioError if it cannot.

    `follows`: the source this one joins gaplessly, if any (a file after a file continues its
    resampling, see `FileSource._continue`).
    """
    if (spec.file is None) == (spec.builtin is None):
        raise AudioError("a source needs exactly one of file or builtin")
    if spec.builtin is not None:
        return soundscapes.open_builtin(spec.builtin, seed=spec.seed, seconds=spec.seconds,
                                        start_at_s=spec.start_at_s, loop=spec.loop)
    return FileSource(os.fspath(spec.file), loop=spec.loop, seconds=spec.seconds,
                      start_at_s=spec.start_at_s,
                      follows=follows if isinstance(follows, FileSource) else None)
