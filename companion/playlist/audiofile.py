"""Reading an audio file's header (never the whole file): its format and, where cheap, its length.

Uses the audio engine's `companion.audio.decode.probing` when it is there, and otherwise a
small sniffer of its own for RIFF/WAVE, FLAC, Ogg Vorbis and MP3 (ID3 tag or MPEG frame
sync), which also names the usual impostors (AAC/M4A, Opus, images) in its message.
"""

from __future__ import annotations

import errno
import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

from companion.errors import AudioError

HEADER_BYTES = 64 * 1024
SUPPORTED = "WAV, FLAC, MP3 or OGG Vorbis"


@dataclass(frozen=True)
class AudioHeader:
    """What a header says: the format and the length in seconds (None when not cheap to know)."""

    format: str
    seconds: float | None


#: What `file_problem` says of a path where nothing is found.
NOT_FOUND = "not found"


def file_problem(path: Path) -> str | None:
    """Why `path` cannot be an audio file without opening it (NOT_FOUND, too long a name, a
    folder, a named pipe or a device), or None for a regular file."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL in the name
        return NOT_FOUND
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            long_name = len(os.fsencode(os.path.basename(error.filename or ""))) > 255
            return f"the {'file name' if long_name else 'path'} is too long for this file system"
        return f"cannot read: {error.strerror or error}"
    if stat.S_ISDIR(mode):
        return "is a folder, not an audio file"
    if not stat.S_ISREG(mode):
        # Opening a named pipe waits for a writer, and a device may never end.
        kind = ("a named pipe" if stat.S_ISFIFO(mode) else
                "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
                "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        return f"is {kind}, not an audio file"
    return None


def probe(path: Path) -> AudioHeader:
    """The header of `path`; AudioError naming the reason when it cannot be played."""
    try:
        from companion.audio.decode import probe as engine_probe
    except ImportError:
        return sniff(path)
    info = engine_probe(path)
    return AudioHeader(str(info.format), info.seconds)


def sniff(path: Path) -> AudioHeader:
    """Recognise a supported audio format from the first bytes of `path`."""
    problem = file_problem(path)
    if problem is not None:
        raise AudioError(problem, path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEADER_BYTES)
            size = os.fstat(handle.fileno()).st_size
            tail = b""
            if head.startswith(b"OggS"):
                handle.seek(max(0, size - HEADER_BYTES))
                tail = handle.read(HEADER_BYTES)
    except IsADirectoryError as error:
        raise AudioError("is a folder, not an audio file", path) from error
    except OSError as error:
        raise AudioError(f"cannot read: {error.strerror}", path) from error
    if not head:
        raise AudioError("empty file", path)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return AudioHeader("wav", _wav_seconds(head, size))
    if head[:4] == b"fLaC":
        return AudioHeader("flac", _flac_seconds(head))
    if head[:4] == b"OggS":
        return _ogg(path, head, tail)
    if head[:3] == b"ID3" or _mpeg_sync(head):
        return AudioHeader("mp3", None)
    raise AudioError(f"not a supported audio file ({_impostor(head)}); use {SUPPORTED}", path)


def _wav_seconds(head: bytes, size: int) -> float | None:
    position, rate, block = 12, 0, 0
    while position + 8 <= len(head):
        chunk, length = head[position:position + 4], struct.unpack_from("<I", head, position + 4)[0]
        if chunk == b"fmt " and position + 24 <= len(head):
            _, _, rate, _, block = struct.unpack_from("<HHIIH", head, position + 8)
        elif chunk == b"data":
            available = size - position - 8
            if rate and block:
                return min(length, available) / block / rate
            return None
        position += 8 + length + (length & 1)
    return None


def _flac_seconds(head: bytes) -> float | None:
    if len(head) < 42 or head[4] & 0x7F != 0:
        return None
    packed = int.from_bytes(head[18:26], "big")
    rate, total = packed >> 44, packed & ((1 << 36) - 1)
    return total / rate if rate and total else None


def _ogg(path: Path, head: bytes, tail: bytes) -> AudioHeader:
    marker = head.find(b"\x01vorbis")
    if marker < 0:
        kind = "Opus" if b"OpusHead" in head[:512] else "an Ogg stream that is not Vorbis"
        raise AudioError(f"{kind} cannot be played; use {SUPPORTED}", path)
    rate = struct.unpack_from("<I", head, marker + 12)[0] if len(head) >= marker + 16 else 0
    last = tail.rfind(b"OggS")
    if rate and last >= 0 and last + 14 <= len(tail):
        granule = struct.unpack_from("<q", tail, last + 6)[0]
        if granule > 0:
            return AudioHeader("ogg", granule / rate)
    return AudioHeader("ogg", None)


def _mpeg_sync(head: bytes) -> bool:
    # Frame sync (11 bits) with a real layer (not 00, which is AAC's ADTS) and bitrate.
    return (len(head) >= 4 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
            and head[1] & 0x06 != 0 and head[2] & 0xF0 != 0xF0)


def _impostor(head: bytes) -> str:
    if head[4:8] == b"ftyp":
        return "an MP4/M4A/AAC file"
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "AAC audio"
    signatures = {b"\xff\xd8\xff": "a JPEG image", b"\x89PNG": "a PNG image",
                  b"%PDF": "a PDF document", b"MThd": "a MIDI file", b"FORM": "an AIFF file",
                  b"\x30\x26\xb2\x75": "a WMA file", b"#EXTM3U": "an M3U playlist"}
    for signature, name in signatures.items():
        if head.startswith(signature):
            return name
    return "its first bytes match no audio format"
