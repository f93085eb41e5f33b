"""Probing: read only a file's header; say in words what is wrong with a file that cannot play."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from companion.audio.decode.formats import CONVERT, describe_unknown, sniff
from companion.audio.wavfile import check_rate, read_wav_header
from companion.errors import AudioError


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


def _check_file(path: Path) -> bytes:
    """The first 4 KiB of a readable, non-empty regular file; AudioError otherwise."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise AudioError("no such file", path) from None
    except PermissionError:
        raise AudioError("permission denied", path) from None
    except OSError as exc:
        raise AudioError(os_reason(exc), path) from None
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
        raise AudioError(f"cannot read: {os_reason(exc)}", path) from None
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


def os_reason(exc: OSError) -> str:
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
        raise AudioError(describe_unknown(head), path)
    if fmt == "wav":
        h = read_wav_header(path)
        if h.frames == 0:
            raise AudioError("the WAV file holds no audio (empty data chunk)", path)
        return AudioInfo(path, "wav", h.rate, h.channels, h.frames, h.frames / h.rate, h.encoding)
    if fmt == "ogg" and b"OpusHead" in head[:128]:
        raise AudioError(f"Ogg Opus is not supported; {CONVERT}", path)
    getter = {"mp3": miniaudio.mp3_get_file_info, "flac": miniaudio.flac_get_file_info,
              "ogg": miniaudio.vorbis_get_file_info}[fmt]
    try:
        info = getter(str(path))
    except Exception as exc:  # miniaudio raises DecodeError, and OSError for unreadable files
        kind = {"ogg": "Ogg Vorbis"}.get(fmt, fmt.upper())
        reason = error_words(exc)
        raise AudioError(f"not a valid {kind} file or truncated ({reason})", path) from None
    if info.sample_rate <= 0 or info.nchannels <= 0:
        raise AudioError(f"invalid {fmt} header (rate {info.sample_rate}, "
                         f"channels {info.nchannels})", path)
    check_rate(info.sample_rate, path)
    frames = int(info.num_frames) if info.num_frames else None
    if frames == 0:
        raise AudioError("the file holds no audio", path)
    seconds = frames / info.sample_rate if frames else None
    return AudioInfo(path, fmt, info.sample_rate, info.nchannels, frames, seconds)


def error_words(exc: BaseException) -> str:
    """An exception in words, for the end of a message (miniaudio's as plain words too)."""
    if isinstance(exc, OSError) and exc.strerror:
        return os_reason(exc)
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
