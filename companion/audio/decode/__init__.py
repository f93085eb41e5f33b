"""Decoding: probe a file's header, and stream any source as float32 stereo 48 kHz blocks.

Files are decoded by miniaudio (dr_wav, dr_mp3, dr_flac, stb_vorbis) at their own rate and
channel count; channels are mapped to stereo (`channels.py`) and the rate converted here
(`file.py`, with `companion.audio.resample`: miniaudio's own linear resampler loses 3.4 dB
and lets images through at 15 kHz). Memory is O(block): nothing reads a whole file. No
padding is added at either end, so consecutive sources can be joined sample-exactly. MP3
encoder delay and padding are removed by dr_mp3 (miniaudio 1.70 and later) where the
Xing/Info and LAME headers give them; bytes after an MP3's last frame (ID3v1 and APEv2 tags)
are hidden from it, since it drops that frame otherwise (see `mp3.py`). A file's header is
read without decoding by `probe` (`probing.py`, `formats.py`).
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.audio.decode.channels import downmix_matrix
    from companion.audio.decode.file import RATE, FileSource
    from companion.audio.decode.mp3 import mp3_audio_end
    from companion.audio.decode.probing import AudioInfo, miniaudio_reason, probe
    from companion.audio.decode.sources import Source, SourceSpec, open_source

__getattr__, __all__ = exports(__name__, {
    "channels": ("downmix_matrix",),
    "file": ("RATE", "FileSource"),
    "mp3": ("mp3_audio_end",),
    "probing": ("AudioInfo", "miniaudio_reason", "probe"),
    "sources": ("Source", "SourceSpec", "open_source"),
})
