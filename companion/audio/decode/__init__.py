"""Decoding: probe a file's header, and stream any source as float32 stereo 48 kHz blocks.

Files are decoded by miniaudio (dr_wav, dr_mp3, dr_flac, stb_vorbis) at their own rate and
channel count; channels are mapped to stereo (`channels.py`) and the rate converted here
(`file.py`, with `companion.audio.resample`: miniaudio's own linear resampler loses 3.4 dB
and lets images through at 15 kHz). Memory is O(block): nothing reads a whole file. No
padding is added at either end, so consecutive sources can be joined sample-exactly. MP3
encoder delay and padding are removed by dr_mp3 (miniaudio 1.70 and later) where the
Xing/Info and LAME headers give them; bytes after an MP3's last frame (ID3v1 and APEv2 tags)
are hidden from it, since it drops that frame otherwise (see `mp3.py`). A file's header is
read without decoding by `probe` (`probe.py`, `formats.py`).
"""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np

from companion.audio import soundscapes
from companion.audio.decode.channels import downmix_matrix
from companion.audio.decode.file import RATE, FileSource
from companion.audio.decode.mp3 import mp3_audio_end
from companion.audio.decode.probe import AudioInfo, miniaudio_reason, probe
from companion.audio.protocol import SourceSpec
from companion.errors import AudioError

__all__ = ["RATE", "AudioInfo", "FileSource", "Source", "SourceSpec", "downmix_matrix",
           "miniaudio_reason", "mp3_audio_end", "open_source", "probe"]


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
