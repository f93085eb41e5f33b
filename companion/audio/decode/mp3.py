"""MP3: where the audio ends when tags follow it, so dr_mp3 does not drop the last frame."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path

from companion.audio.decode.formats import mpeg_frame_length

ID3V1_BYTES = 128
APE_FOOTER_BYTES = 32
#: Enough of the first frame to reach its Xing/Info header (4-byte header, a CRC, up to 32
#: bytes of side information, then "Xing"/"Info", flags, frame count and byte count).
_XING_REACH = 4 + 2 + 32 + 16


def mp3_audio_end(path: str | Path) -> int | None:
    """The byte offset where an MP3's last audio frame ends, when other bytes follow it.

    dr_mp3 takes a frame followed by anything but another frame header for a false sync and
    drops it: with an ID3v1 or APEv2 tag at the end (or even one stray byte), the last frame,
    up to 26 ms of sound, is lost, which would open a gap in a gapless album. The Xing/Info
    header's byte count (written by LAME and most encoders) says where the audio ends;
    without one, ID3v1 and APEv2 tags at the end are recognised. None: nothing follows the
    audio (or where it ends cannot be told), so the file can be decoded as it is.
    """
    path = Path(path)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            start = _id3v2_end(f.read(10))
            f.seek(start)
            first = f.read(_XING_REACH)
            tail_at = max(0, size - ID3V1_BYTES - APE_FOOTER_BYTES)
            f.seek(tail_at)
            tail = f.read()
            end = _end_before_tags(tail, size)
            declared = _xing_byte_count(first)
            # Trusted only where it ends past the header's own frame and no frame follows it
            # (a file cut or joined after encoding keeps its first part's count).
            if declared is not None and mpeg_frame_length(first) < declared < end - start:
                f.seek(start + declared)
                if not mpeg_frame_length(f.read(4)):
                    end = start + declared
    except OSError:
        return None  # reported when the file is opened for decoding
    return end if end < size else None


def _id3v2_end(head: bytes) -> int:
    """Where the ID3v2 tag at the start of a file ends (0 when there is none)."""
    if len(head) < 10 or head[:3] != b"ID3" or any(b & 0x80 for b in head[6:10]):
        return 0
    size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]  # "syncsafe": 7 bits a byte
    footer = 10 if head[5] & 0x10 else 0
    return 10 + size + footer


def _xing_byte_count(frame: bytes) -> int | None:
    """The byte count in a first frame's Xing/Info header (from that frame's start), or None."""
    if not mpeg_frame_length(frame):
        return None
    mpeg1 = (frame[1] >> 3) & 3 == 3
    mono = frame[3] >> 6 == 3
    side_info = (17 if mono else 32) if mpeg1 else (9 if mono else 17)
    # With the protection bit clear a CRC follows the header, but LAME writes its tag where it
    # would be without one: look in both places.
    places = (4 + side_info,) if frame[1] & 1 else (4 + side_info, 6 + side_info)
    at = next((a for a in places if frame[a:a + 4] in (b"Xing", b"Info")), None)
    if at is None or len(frame) < at + 16:
        return None
    flags = int.from_bytes(frame[at + 4:at + 8], "big")
    if not flags & 2:
        return None
    field = at + 8 + (4 if flags & 1 else 0)  # the frame count comes first when present
    count = int.from_bytes(frame[field:field + 4], "big")
    return count if count > 0 else None


def _end_before_tags(tail: bytes, size: int) -> int:
    """Where the audio ends once an ID3v1 tag and an APEv2 tag before it are taken off the end.

    `tail` holds the file's last bytes (up to ID3v1 + APEv2 footer), ending at `size`.
    """
    end = size
    if len(tail) >= ID3V1_BYTES and tail[-ID3V1_BYTES:-ID3V1_BYTES + 3] == b"TAG":
        tail, end = tail[:-ID3V1_BYTES], end - ID3V1_BYTES
    footer = tail[-APE_FOOTER_BYTES:]
    if len(footer) == APE_FOOTER_BYTES and footer[:8] == b"APETAGEX":
        # The tag's size counts its items and this footer; a header (flag bit 31) comes on top.
        tag_size = int.from_bytes(footer[12:16], "little")
        has_header = int.from_bytes(footer[20:24], "little") & 0x80000000
        start = end - tag_size - (APE_FOOTER_BYTES if has_header else 0)
        if 0 <= start < end:
            end = start
    return end


class AudioBytes:
    """The first `end` bytes of a file, as a source for `miniaudio.stream_any`.

    miniaudio calls `read` and `seek` from its decoder; it stores its handle in `ffi_handle`
    and a failed read's exception in `error_in_readcallback` (so it can raise it).
    """

    def __init__(self, path: Path, end: int) -> None:
        self.ffi_handle = None
        self.error_in_readcallback: Exception | None = None
        self._file = open(path, "rb")
        self._end = end
        self._pos = 0

    def read(self, num_bytes: int) -> bytes:
        """Up to `num_bytes` bytes from the current position, never past the end."""
        wanted = min(num_bytes, self._end - self._pos)
        if wanted <= 0:
            return b""
        self._file.seek(self._pos)
        data = self._file.read(wanted)
        self._pos += len(data)
        return data

    def seek(self, offset: int, origin: Enum) -> bool:
        """Move to `offset` from the start, the current position or the end (a SeekOrigin)."""
        base = {"START": 0, "CURRENT": self._pos, "END": self._end}[origin.name]
        self._pos = max(0, min(self._end, base + offset))
        return True

    def close(self) -> None:
        """Close the file (idempotent)."""
        self._file.close()
