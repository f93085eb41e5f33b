"""WAV/RIFX/RF64 header parsing (no sample decoding), so `probe` can name what is wrong.

miniaudio (dr_wav) decodes the samples; this module only walks the chunk list to find the
format and the data chunk and to tell a truncated or malformed file from a good one.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from companion.errors import AudioError

WAVE_FORMAT_PCM = 0x0001
WAVE_FORMAT_IEEE_FLOAT = 0x0003
WAVE_FORMAT_ALAW = 0x0006
WAVE_FORMAT_MULAW = 0x0007
WAVE_FORMAT_EXTENSIBLE = 0xFFFE

#: Encodings miniaudio's dr_wav decodes, by (format tag, bits per sample).
SUPPORTED = {
    (WAVE_FORMAT_PCM, 8): "pcm8", (WAVE_FORMAT_PCM, 16): "pcm16", (WAVE_FORMAT_PCM, 24): "pcm24",
    (WAVE_FORMAT_PCM, 32): "pcm32", (WAVE_FORMAT_IEEE_FLOAT, 32): "float32",
    (WAVE_FORMAT_IEEE_FLOAT, 64): "float64", (WAVE_FORMAT_ALAW, 8): "alaw",
    (WAVE_FORMAT_MULAW, 8): "mulaw",
}


#: Sample rates a real recording can have; outside them the header is damaged (at 1 Hz the
#: resampler's output is garbage, up to inf and NaN).
MIN_RATE = 1000
MAX_RATE = 768000


def check_rate(rate: int, path: Path) -> None:
    """Raise AudioError if `rate` (from a header) is not a real audio sample rate."""
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioError(f"sample rate {rate} Hz in the header is not a real audio rate — "
                         "the file is damaged", path)


@dataclass(frozen=True)
class WavHeader:
    """What a WAV header says about its samples."""

    container: str
    """"RIFF", "RIFX" (big-endian) or "RF64"."""
    format_tag: int
    """The effective format tag (an EXTENSIBLE file's sub-format)."""
    extensible: bool
    channels: int
    rate: int
    bits: int
    block_align: int
    data_offset: int
    data_size: int
    encoding: str
    """"pcm16", "float32", ... as in SUPPORTED."""

    @property
    def frames(self) -> int:
        """Whole frames in the data chunk."""
        return self.data_size // self.block_align


def read_wav_header(path: Path) -> WavHeader:
    """Parse the header of the WAV file at `path`; raise AudioError if it is bad or truncated."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[8:12] != b"WAVE" or head[:4] not in (b"RIFF", b"RIFX", b"RF64"):
            raise AudioError("not a WAV file (no RIFF/WAVE header)", path)
        container = head[:4].decode("ascii")
        e = ">" if container == "RIFX" else "<"
        fmt: bytes | None = None
        ds64_data_size: int | None = None
        pos = 12
        while pos + 8 <= size:
            f.seek(pos)
            chunk = f.read(8)
            cid, csize = chunk[:4], struct.unpack(e + "I", chunk[4:8])[0]
            if cid == b"ds64":
                body = f.read(min(csize, 28))
                if len(body) < 16:
                    raise AudioError("truncated RF64 ds64 chunk", path)
                ds64_data_size = struct.unpack("<Q", body[8:16])[0]
            elif cid == b"fmt ":
                fmt = f.read(min(csize, 40))
                if len(fmt) < 16:
                    raise AudioError("truncated 'fmt ' chunk", path)
            elif cid == b"data":
                if fmt is None:
                    raise AudioError("the data chunk comes before the 'fmt ' chunk", path)
                if container == "RF64" and csize == 0xFFFFFFFF:
                    if ds64_data_size is None:
                        raise AudioError("RF64 file without a ds64 chunk", path)
                    csize = ds64_data_size
                return _header(path, container, e, fmt, pos + 8, csize, size)
            pos += 8 + csize + (csize & 1)
        if fmt is None:
            raise AudioError("no 'fmt ' chunk (truncated or not a WAV file)", path)
        raise AudioError("no data chunk (truncated)", path)


def _header(path: Path, container: str, e: str, fmt: bytes, offset: int, data_size: int,
            file_size: int) -> WavHeader:
    tag, channels, rate, _byte_rate, block_align, bits = struct.unpack(e + "HHIIHH", fmt[:16])
    extensible = tag == WAVE_FORMAT_EXTENSIBLE
    if extensible:
        if len(fmt) < 40:
            raise AudioError("WAVE_FORMAT_EXTENSIBLE header too short", path)
        tag = struct.unpack(e + "H", fmt[24:26])[0]
    if channels == 0 or rate == 0 or block_align == 0:
        raise AudioError(f"invalid WAV header (channels={channels}, rate={rate}, "
                         f"block_align={block_align})", path)
    check_rate(rate, path)
    encoding = SUPPORTED.get((tag, bits))
    if encoding is None:
        raise AudioError(f"unsupported WAV encoding (format tag 0x{tag:04x}, {bits} bits); "
                         "use PCM 8/16/24/32-bit or float 32/64-bit", path)
    available = file_size - offset
    if data_size > available:
        have = available // block_align / rate
        want = data_size // block_align / rate
        if f"{want:.1f}" != f"{have:.1f}":
            raise AudioError(f"truncated: the header promises {want:.1f} s of audio but the "
                             f"file holds {have:.1f} s", path)
        missing = data_size - available
        raise AudioError(f"truncated: the header's data size is {missing} byte"
                         f"{'s' if missing != 1 else ''} larger than the file holds", path)
    return WavHeader(container, tag, extensible, channels, rate, bits, block_align, offset,
                     data_size, encoding)
