"""What a file holds, from its first bytes: the formats we play, and the others in words."""

from __future__ import annotations


def sniff(head: bytes) -> str | None:
    """The container format from a file's first bytes, or None if it is not one we play."""
    if head[:4] in (b"RIFF", b"RIFX", b"RF64") and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:3] == b"ID3":
        return "mp3"
    first = mpeg_frame_length(head)
    if first and (first + 4 > len(head) or mpeg_frame_length(head[first:])):
        return "mp3"   # MPEG audio frame headers in a row (a bare MP3 stream), or a cut one
    return None


_MPEG_BITRATES = {  # kbit/s by (version is MPEG-1, layer) for bitrate index 1..14
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
}


def mpeg_frame_length(b: bytes) -> int:
    """Length in bytes of the MPEG audio frame whose header starts `b`, or 0 if it is not one."""
    if len(b) < 4 or b[0] != 0xFF or (b[1] & 0xE0) != 0xE0:
        return 0
    version = (b[1] >> 3) & 3           # 0: 2.5, 2: 2, 3: 1 (1 is reserved)
    layer = 4 - ((b[1] >> 1) & 3)       # 4 means reserved
    bitrate_index, rate_index = b[2] >> 4, (b[2] >> 2) & 3
    if version == 1 or layer == 4 or bitrate_index in (0, 15) or rate_index == 3:
        return 0
    mpeg1 = version == 3
    kbps = _MPEG_BITRATES[(mpeg1, layer)][bitrate_index - 1]
    rate = (44100, 48000, 32000)[rate_index] >> {3: 0, 2: 1, 0: 2}[version]
    padding = (b[2] >> 1) & 1
    if layer == 1:
        return (12 * kbps * 1000 // rate + padding) * 4
    per_frame = 144 if (mpeg1 or layer == 2) else 72
    return per_frame * kbps * 1000 // rate + padding


CONVERT = "convert it to FLAC, WAV, MP3 or Ogg Vorbis"

#: Audio formats people have but miniaudio cannot decode, by magic bytes (offset, bytes).
_UNSUPPORTED = (
    (4, b"ftyp", "MP4/M4A audio (AAC or ALAC) is not supported"),
    (0, b"FORM", "AIFF is not supported"),
    (0, b"MThd", "MIDI files are not supported"),
    (0, b"\x30\x26\xb2\x75", "WMA is not supported"),
    (0, b"MAC ", "Monkey's Audio (APE) is not supported"),
    (0, b"wvpk", "WavPack is not supported"),
    (0, b"caff", "Core Audio (CAF) files are not supported"),
)


def describe_unknown(head: bytes) -> str:
    """Why a file is not audio we play, in words (for the error message)."""
    for offset, magic, what in _UNSUPPORTED:
        if head[offset:offset + len(magic)] == magic:
            return f"{what}; {CONVERT}"
    if head[:4] in (b"RIFF", b"RIFX", b"RF64"):
        return f"a RIFF file but not WAVE audio; {CONVERT}"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return f"not an audio file (starts with bytes {head[:8].hex(' ')})"
    if text.isprintable() or all(c.isprintable() or c.isspace() for c in text):
        return f"not an audio file: it holds text ({text[:24].strip()!r}...)"
    return f"not an audio file (starts with bytes {head[:8].hex(' ')})"
