"""Reading an M3U file: its entries (titles and lengths from #EXTINF), name and notes."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from companion.errors import PlaylistError
from companion.playlist.audiofile import file_problem
from companion.playlist.m3u.encoding import decode, split_lines
from companion.playlist.m3u.model import M3U, Entry, Note

MAX_BYTES = 4 * 1024 * 1024
PLAYABLE_SUFFIXES = (".wav", ".wave", ".flac", ".mp3", ".ogg", ".oga")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]|^\\\\")
_EXTINF = re.compile(r"^#EXTINF:\s*(-?\d+(?:\.\d+)?)?((?:\s+[\w-]+=\"[^\"]*\")*)\s*,?(.*)$",
                     re.IGNORECASE)


def _location(raw: str, base: Path) -> tuple[str | None, str | None]:
    """(local path, None) for a playable location, or (None, why it is left out)."""
    scheme = _SCHEME.match(raw)
    if scheme and scheme.group(1).lower() != "file":
        return None, (f"web address left out ({_short(raw)}): Companion plays local files "
                      "only, offline")
    if scheme:
        parts = urlsplit(raw)
        path = unquote(parts.path)
        if re.match(r"^/[A-Za-z]:/", path):
            path = path[1:]
        elif parts.netloc and parts.netloc.lower() != "localhost":
            path = f"//{parts.netloc}{path}"
    else:
        path = raw
    if WINDOWS_PATH.match(path) or "\\" in path:
        path = path.replace("\\", "/")
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in PLAYABLE_SUFFIXES:
        kind = f"`{suffix}` files" if suffix else "files without an extension"
        return None, (f"{_short(path)} left out: {kind} are not a format Companion plays "
                      "(WAV, FLAC, MP3, OGG)")
    if not scheme and not WINDOWS_PATH.match(path) and "%" in path:
        # Some players percent-encode plain paths; prefer the decoded one if it exists.
        decoded = unquote(path)
        if not _exists(path, base) and _exists(decoded, base):
            path = decoded
    return path, None


def _exists(path: str, base: Path) -> bool:
    return _file_problem(path, base) is None


def _file_problem(path: str, base: Path) -> str | None:
    """Why the entry at `path` is not a playable file here (NOT_FOUND, ...), or None."""
    return file_problem(Path(path) if os.path.isabs(path) else base / path)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_m3u(path: Path) -> M3U:
    """Parse the M3U file at `path`; PlaylistError if it cannot be read at all."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise PlaylistError(f"cannot read: {error.strerror}", path) from error
    if len(data) > MAX_BYTES:
        raise PlaylistError(f"larger than {MAX_BYTES // (1024 * 1024)} MB: not an M3U playlist",
                            path)
    text, encoding, notes = decode(data)
    if "\x00" in text:
        raise PlaylistError("binary data, not an M3U playlist", path)
    base = Path(path).parent
    name: str | None = None
    entries: list[Entry] = []
    pending: tuple[float | None, str | None, int] | None = None
    hls_line = 0
    for number, raw_line in enumerate(split_lines(text), start=1):
        line = raw_line.strip().lstrip("\ufeff")
        if not line:
            continue
        upper = line.upper()
        if upper.startswith("#EXTINF:"):
            seconds, title, inline = _extinf(line)
            if inline is None:
                pending = (seconds, title, number)
                continue
            line, pending = inline, (seconds, title, number)
        elif upper.startswith("#PLAYLIST:"):
            name = line.split(":", 1)[1].strip() or name
            continue
        elif upper.startswith("#EXT-X-"):
            hls_line = hls_line or number
            continue
        elif line.startswith("#"):
            continue
        seconds, title = (pending[0], pending[1]) if pending else (None, None)
        pending = None
        location, why_not = _location(line, base)
        if location is None:
            notes.append(Note(number, why_not or "left out"))
            continue
        entries.append(Entry(location, title, seconds, number))
    if hls_line:
        notes.append(Note(hls_line, "an HLS streaming list (#EXT-X-...): its entries are pieces "
                          "of a web stream, not tracks; nothing imported from it"))
        entries = []
    for entry in entries:
        problem = _file_problem(entry.location, base)
        if problem is not None:
            where = ("a Windows path, not on this computer" if WINDOWS_PATH.match(entry.location)
                     else problem)
            notes.append(Note(entry.line, f"{_short(entry.location)}: {where} (kept; copy the "
                              "file there or fix the path)"))
    notes.sort(key=lambda note: note.line)
    return M3U(Path(path), name, encoding, tuple(entries), tuple(notes))


def _extinf(line: str) -> tuple[float | None, str | None, str | None]:
    """(seconds, title, location written inside the EXTINF line, as VLC sometimes does)."""
    match = _EXTINF.match(line)
    if match is None:
        return None, None, None
    seconds = float(match.group(1)) if match.group(1) else None
    title = match.group(3).strip()
    inline = None
    uri = title.find("file://")
    if uri >= 0:
        title, inline = title[:uri].strip().rstrip("-").strip(), title[uri:]
    return (seconds if seconds and seconds > 0 else None), (title or None), inline
