"""Decoding: probe a file's header, and stream any source as float32 stereo 48 kHz blocks.

Files are decoded by miniaudio (dr_wav, dr_mp3, dr_flac, stb_vorbis) at their own rate and
channel count; channels are mapped to stereo and the rate converted here (see resample.py:
miniaudio's own linear resampler loses 3.4 dB and lets images through at 15 kHz). Memory is
O(block): nothing reads a whole file. No padding is added at either end, so consecutive
sources can be joined sample-exactly. MP3 encoder delay and padding are removed by dr_mp3
(miniaudio 1.70 and later) where the Xing/Info and LAME headers give them; bytes after an
MP3's last frame (ID3v1 and APEv2 tags) are hidden from it, since it drops that frame
otherwise (see `mp3_audio_end`).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol

import numpy as np

from companion.audio import soundscapes
from companion.audio.protocol import SourceSpec
from companion.audio.resample import TAPS, Resampler
from companion.audio.resample import supported as resample_supported
from companion.audio.wavfile import check_rate, read_wav_header
from companion.errors import AudioError

RATE = 48000
CHANNELS = 2
#: Frames decoded per miniaudio call (at the file's own rate).
DECODE_FRAMES = 4096
#: A decode that ends more than this many input frames (or 0.5 %, if more) before the header's
#: length is reported as truncated or corrupt.
EARLY_END_TOLERANCE = 4096

FORMATS = ("wav", "mp3", "flac", "ogg")


@dataclass(frozen=True)
class AudioInfo:
    """What a file's header says: container format, rate, channels and length."""

    path: Path
    format: str
    """"wav", "mp3", "flac" or "ogg"."""
    rate: int
    channels: int
    frames: int | None
    """Frames at the file's own rate (None when the header does not say)."""
    seconds: float | None
    encoding: str = ""
    """Sample encoding when known: "pcm16", "pcm24", "float32", ... ("" for compressed)."""


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


# -- probing -------------------------------------------------------------------------------

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
    first = _mpeg_frame_length(head)
    if first and (first + 4 > len(head) or _mpeg_frame_length(head[first:])):
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


def _mpeg_frame_length(b: bytes) -> int:
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


_CONVERT = "convert it to FLAC, WAV, MP3 or Ogg Vorbis"

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


def _describe_unknown(head: bytes) -> str:
    """Why a file is not audio we play, in words (for the error message)."""
    for offset, magic, what in _UNSUPPORTED:
        if head[offset:offset + len(magic)] == magic:
            return f"{what}; {_CONVERT}"
    if head[:4] in (b"RIFF", b"RIFX", b"RF64"):
        return f"a RIFF file but not WAVE audio; {_CONVERT}"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return f"not an audio file (starts with bytes {head[:8].hex(' ')})"
    if text.isprintable() or all(c.isprintable() or c.isspace() for c in text):
        return f"not an audio file: it holds text ({text[:24].strip()!r}...)"
    return f"not an audio file (starts with bytes {head[:8].hex(' ')})"


def _check_file(path: Path) -> bytes:
    """The first 4 KiB of a readable, non-empty regular file; AudioError otherwise."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise AudioError("no such file", path) from None
    except PermissionError:
        raise AudioError("permission denied", path) from None
    except OSError as exc:
        raise AudioError(_os_reason(exc), path) from None
    except ValueError:  # an embedded NUL
        raise AudioError("the file name holds a NUL character", path) from None
    if stat.S_ISDIR(mode):
        raise AudioError("is a directory, not an audio file", path)
    if not stat.S_ISREG(mode):
        # Opening a named pipe waits for a writer, and a device may never end: refuse both.
        raise AudioError(f"is {_special_kind(mode)}, not an audio file", path)
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except PermissionError:
        raise AudioError("permission denied", path) from None
    except OSError as exc:
        raise AudioError(f"cannot read: {_os_reason(exc)}", path) from None
    if not head:
        raise AudioError("the file is empty", path)
    return head


def _special_kind(mode: int) -> str:
    """What a file that is not a regular file or a directory is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _os_reason(exc: OSError) -> str:
    """An OSError in words (ENAMETOOLONG gets words of its own: its strerror is cryptic)."""
    if exc.errno == errno.ENAMETOOLONG:
        long_name = len(os.fsencode(os.path.basename(exc.filename or ""))) > 255
        return f"the {'file name' if long_name else 'path'} is too long for this file system"
    return exc.strerror or str(exc)


def probe(path: str | Path) -> AudioInfo:
    """Read only the header of `path`; raise AudioError naming the file and what is wrong."""
    import miniaudio

    path = Path(path)
    head = _check_file(path)
    fmt = sniff(head)
    if fmt is None:
        raise AudioError(_describe_unknown(head), path)
    if fmt == "wav":
        h = read_wav_header(path)
        if h.frames == 0:
            raise AudioError("the WAV file holds no audio (empty data chunk)", path)
        return AudioInfo(path, "wav", h.rate, h.channels, h.frames, h.frames / h.rate, h.encoding)
    if fmt == "ogg" and b"OpusHead" in head[:128]:
        raise AudioError(f"Ogg Opus is not supported; {_CONVERT}", path)
    getter = {"mp3": miniaudio.mp3_get_file_info, "flac": miniaudio.flac_get_file_info,
              "ogg": miniaudio.vorbis_get_file_info}[fmt]
    try:
        info = getter(str(path))
    except Exception as exc:  # miniaudio raises DecodeError, and OSError for unreadable files
        kind = {"ogg": "Ogg Vorbis"}.get(fmt, fmt.upper())
        raise AudioError(f"not a valid {kind} file or truncated ({_reason(exc)})", path) from None
    if info.sample_rate <= 0 or info.nchannels <= 0:
        raise AudioError(f"invalid {fmt} header (rate {info.sample_rate}, "
                         f"channels {info.nchannels})", path)
    check_rate(info.sample_rate, path)
    frames = int(info.num_frames) if info.num_frames else None
    if frames == 0:
        raise AudioError("the file holds no audio", path)
    seconds = frames / info.sample_rate if frames else None
    return AudioInfo(path, fmt, info.sample_rate, info.nchannels, frames, seconds)


def _reason(exc: BaseException) -> str:
    """An exception in words, for the end of a message (miniaudio's as plain words too)."""
    if isinstance(exc, OSError) and exc.strerror:
        return _os_reason(exc)
    text = miniaudio_reason(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:120]


def miniaudio_reason(exc: BaseException) -> str:
    """A miniaudio error in words (its args, message and result code, print as a tuple)."""
    if len(exc.args) != 2 or not isinstance(exc.args[0], str) or not isinstance(exc.args[1], int):
        return str(exc)
    message, code = exc.args
    words = _result_words(code)
    return f"{message}: {words}" if words else message


def _result_words(code: int) -> str:
    """miniaudio's name for a result code as words ("MA_INVALID_FILE" -> "invalid file")."""
    if code == -1:      # MA_ERROR, the generic failure: the message says all there is
        return ""
    if code >= 0:       # not a failure code; other constants share these values
        return f"error {code}"
    try:
        from miniaudio import lib
    except ImportError:
        return f"error {code}"
    for name in dir(lib):
        if name.startswith("MA_") and getattr(lib, name) == code:
            return name[3:].lower().replace("_", " ")
    return f"error {code}"


# -- MP3: where the audio ends ---------------------------------------------------------------

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
            if declared is not None and _mpeg_frame_length(first) < declared < end - start:
                f.seek(start + declared)
                if not _mpeg_frame_length(f.read(4)):
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
    if not _mpeg_frame_length(frame):
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


class _AudioBytes:
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


# -- channel mapping -----------------------------------------------------------------------

_S = 0.7071  # -3 dB for centre and surrounds

#: Downmix matrices (stereo rows) for the usual WAV/FLAC/Vorbis channel orders; LFE is dropped.
#: Rows are normalised so a signal in every channel at once cannot exceed full scale.
_DOWNMIX = {
    3: [[1, 0, _S], [0, 1, _S]],                                        # L R C
    4: [[1, 0, _S, 0], [0, 1, 0, _S]],                                  # L R BL BR (quad)
    5: [[1, 0, _S, _S, 0], [0, 1, _S, 0, _S]],                          # L R C BL BR
    6: [[1, 0, _S, 0, _S, 0], [0, 1, _S, 0, 0, _S]],                    # L R C LFE BL BR
    7: [[1, 0, _S, 0, _S, 0, _S], [0, 1, _S, 0, _S, _S, 0]],            # L R C LFE BC SL SR
    8: [[1, 0, _S, 0, _S, 0, _S, 0], [0, 1, _S, 0, 0, _S, 0, _S]],      # L R C LFE BL BR SL SR
}


def downmix_matrix(channels: int) -> np.ndarray:
    """A (channels, 2) float32 matrix taking `channels` to stereo (mono is duplicated)."""
    if channels == 1:
        m = np.array([[1.0, 1.0]])
    elif channels == 2:
        m = np.eye(2)
    elif channels in _DOWNMIX:
        m = np.array(_DOWNMIX[channels], dtype=np.float64).T
    else:  # unknown layout: alternate channels left and right
        m = np.zeros((channels, 2))
        m[0::2, 0] = 1.0
        m[1::2, 1] = 1.0
    m = m / np.maximum(1.0, m.sum(axis=0, keepdims=True))
    return m.astype(np.float32)


# -- file sources --------------------------------------------------------------------------

#: Decoded samples are held within this (+12 dBFS): a float file may peak above full scale,
#: but 1e38 would overflow the resampler's sums to inf (the mixer's guard bends the rest).
SAMPLE_LIMIT = 4.0


def _finite(x: np.ndarray) -> np.ndarray:
    """A writable copy of `x` with NaN and infinite samples silenced and the rest clamped.

    Float WAVs can hold NaN or Inf (or random bytes read as floats); they must never reach
    the resampler or the device.
    """
    x = np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(x, -SAMPLE_LIMIT, SAMPLE_LIMIT, out=x)


#: Formats whose decoder seeks to the exact frame, so a file's last frames can be read ahead.
EXACT_SEEK_FORMATS = ("wav", "flac")


class FileSource:
    """Streams a file through miniaudio, maps channels to stereo and resamples to 48 kHz."""

    rate = RATE

    def __init__(self, path: str | Path, *, loop: bool = False, seconds: float | None = None,
                 start_at_s: float = 0.0, info: AudioInfo | None = None,
                 follows: FileSource | None = None) -> None:
        """Open `path` for streaming (probes it first unless `info` is given).

        `follows`: the file this one joins gaplessly (see `_continue`).
        """
        self.path = Path(path)
        self.info = info or probe(self.path)
        self.loop = loop
        self.frames_read = 0
        self._closed = False
        src_rate = self.info.rate
        self._start_in = int(round(max(0.0, start_at_s) * src_rate))
        if self.info.frames is not None and self._start_in >= self.info.frames and not loop:
            raise AudioError(f"start position {start_at_s:.1f} s is past the end "
                             f"({self.info.seconds:.1f} s)", self.path)
        # Ask miniaudio for the native rate unless our resampler cannot do the ratio.
        self._native = resample_supported(src_rate, RATE)
        self._dec_rate = src_rate if self._native else RATE
        self._dec_channels = self.info.channels if self.info.channels <= 8 else 2
        self._matrix = downmix_matrix(self._dec_channels)
        self._resampler = Resampler(src_rate, RATE) if self._native and src_rate != RATE else None
        self._plays_to_end = seconds is None and not loop and self.info.frames is not None
        self._following: np.ndarray | None = None  # the next file's first frames, for our end
        self._gen = None
        self._bytes: _AudioBytes | None = None
        self._audio_end = mp3_audio_end(self.path) if self.info.format == "mp3" else None
        if follows is not None:
            self._continue(follows)
        self._limit: int | None = None
        if seconds is not None:
            self._limit = int(round(seconds * RATE))
        elif not loop and self.info.frames is not None:
            remaining = self.info.frames - self._start_in
            self._limit = (self._resampler.output_frames(remaining) if self._resampler is not None
                           else -(-remaining * RATE // src_rate))
        self.seconds: float | None = None if self._limit is None else self._limit / RATE
        self._pending = np.zeros((0, CHANNELS), dtype=np.float32)
        self._pass_in = 0          # decoded input frames this pass (for the early-end check)
        self._ended = False
        self._open(self._start_in)

    def _decoder(self, seek_frame: int, frames: int):
        """A miniaudio generator of blocks from `seek_frame`, and the byte source it reads."""
        import miniaudio

        options = dict(output_format=miniaudio.SampleFormat.FLOAT32, nchannels=self._dec_channels,
                       sample_rate=self._dec_rate, frames_to_read=frames, seek_frame=seek_frame)
        if self._audio_end is None:
            return miniaudio.stream_file(str(self.path), **options), None
        held = _AudioBytes(self.path, self._audio_end)  # tags follow: the decoder sees the frames
        try:
            return miniaudio.stream_any(held, miniaudio.FileFormat.MP3, **options), held
        except Exception:
            held.close()
            raise

    def _open(self, seek_frame: int) -> None:
        self._close_decoder()
        try:
            self._gen, self._bytes = self._decoder(seek_frame, DECODE_FRAMES)
        except Exception as exc:
            raise AudioError(f"cannot open for decoding ({_reason(exc)})", self.path) from None
        self._pass_start = seek_frame
        self._pass_in = 0

    def _frames_at(self, start: int, count: int) -> np.ndarray | None:
        """`count` input frames from frame `start`, in stereo at the file's rate, read by a
        decoder of their own; None if they cannot all be read."""
        try:
            gen, held = self._decoder(start, count)
        except Exception:
            return None
        blocks, have = [], 0
        try:
            while have < count:
                chunk = gen.send(count - have)
                if not chunk:
                    break
                x = _finite(np.frombuffer(chunk, dtype=np.float32).reshape(-1, self._dec_channels))
                blocks.append(x @ self._matrix if self._dec_channels != 2 else x)
                have += len(x)
        except Exception:  # StopIteration at the end, or a decoder error: not enough frames
            pass
        finally:
            gen.close()
            if held is not None:
                held.close()
        return np.concatenate(blocks)[:count] if have >= count else None

    def _continue(self, previous: FileSource) -> None:
        """Join `previous` as if the two files were one stream, resampled as one.

        Each file resampled on its own would start the next up to one output sample late and
        ring at both edges. Where both are resampled from one rate and `previous` plays to its
        file's end, this file's output keeps the other's grid (the resampler's offset), reads
        `previous`'s last frames as its filter history, and gives `previous` its own first
        frames to end on. The last frames are read with a second decoder, so only formats that
        seek to the exact frame (WAV, FLAC) take part.
        """
        mine, theirs = self._resampler, previous._resampler
        if (mine is None or theirs is None or (mine.up, mine.down) != (theirs.up, theirs.down)
                or self._start_in or not previous._plays_to_end
                or previous.info.format not in EXACT_SEEK_FORMATS or previous.info.frames < TAPS):
            return
        history = previous._frames_at(previous.info.frames - TAPS, TAPS)
        first = self._frames_at(0, TAPS)
        if history is None or first is None:
            return
        offset = theirs.offset_after(previous.info.frames - previous._start_in)
        self._resampler = Resampler(self.info.rate, RATE, history=history, offset=offset)
        previous._following = first

    def _close_decoder(self) -> None:
        if self._gen is not None:
            self._gen.close()
            self._gen = None
        if self._bytes is not None:
            self._bytes.close()
            self._bytes = None

    def _decode_more(self) -> np.ndarray | None:
        """The next block at 48 kHz stereo (may be empty), or None when the file has ended."""
        try:
            chunk = self._gen.send(DECODE_FRAMES) if self._gen is not None else None
        except StopIteration:
            chunk = None
        except Exception as exc:  # DecodeError, MiniaudioError, OSError mid-stream
            raise AudioError(f"decoding failed mid-stream ({_reason(exc)})", self.path) from None
        if chunk is not None and len(chunk):
            x = _finite(np.frombuffer(chunk, dtype=np.float32).reshape(-1, self._dec_channels))
            self._pass_in += len(x)
            x = x @ self._matrix if self._dec_channels != 2 else x
            return self._resampler.process(x) if self._resampler is not None else x
        self._check_complete()
        if self.loop:
            if self._pass_start + self._pass_in == 0:
                raise AudioError("the file holds no audio", self.path)
            self._open(0)      # seamless: the resampler carries its state across the join
            return np.zeros((0, CHANNELS), dtype=np.float32)
        self._close_decoder()
        if self._resampler is not None:
            tail = self._resampler.flush(self._following)
            self._resampler = None
            return tail
        return None

    def _check_complete(self) -> None:
        """Raise if the decoder stopped well before the length the header promised."""
        expected = self.info.frames
        if self._dec_rate != self.info.rate and expected is not None:
            expected = expected * self._dec_rate // self.info.rate
        got = self._pass_start + self._pass_in
        if expected is not None and got + max(EARLY_END_TOLERANCE, expected // 200) < expected:
            rate = self._dec_rate
            raise AudioError(f"the file ends early: decoded {got / rate:.1f} s of "
                             f"{expected / rate:.1f} s (truncated or corrupt)", self.path)

    def read(self, frames: int) -> np.ndarray:
        """Up to `frames` frames (n, 2) float32; fewer only at the end."""
        if self._closed:
            return np.zeros((0, CHANNELS), dtype=np.float32)
        if self._limit is not None:
            frames = max(0, min(frames, self._limit - self.frames_read))
        parts = [self._pending]
        have = len(self._pending)
        while have < frames and not self._ended:
            block = self._decode_more()
            if block is None:
                self._ended = True
                break
            if len(block):
                parts.append(block)
                have += len(block)
        data = parts[0] if len(parts) == 1 else np.concatenate(parts)
        out, self._pending = data[:frames], data[frames:]
        self.frames_read += len(out)
        if len(out) < frames or (self._limit is not None and self.frames_read >= self._limit):
            self._release()
        return np.ascontiguousarray(out, dtype=np.float32)

    def _release(self) -> None:
        self._close_decoder()
        self._ended = True

    def close(self) -> None:
        """Release the decoder (idempotent); later reads return no frames."""
        self._release()
        self._pending = np.zeros((0, CHANNELS), dtype=np.float32)
        self._closed = True


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
