"""M3U/M3U8 import: the playlists real music players write, turned into a Companion playlist.

Reads `#EXTM3U`, `#EXTINF` titles and lengths, `#PLAYLIST` names; relative, absolute and
Windows paths; `file://` URIs (percent-decoded); UTF-8 with or without a BOM, UTF-16,
CRLF and bare CR line ends, and files in Latin-1/Windows-1252 or Windows-1251 (told
apart by how their bytes read). Web addresses and HLS stream lists are reported and left
out, as are formats Companion cannot play; missing files are kept and reported.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from companion.clock import length_text
from companion.errors import PlaylistError
from companion.playlist.audiofile import file_problem
from companion.playlist.spec import MAX_PHASE_MINUTES

MAX_BYTES = 4 * 1024 * 1024
PLAYABLE_SUFFIXES = (".wav", ".wave", ".flac", ".mp3", ".ogg", ".oga")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_WINDOWS = re.compile(r"^[A-Za-z]:[\\/]|^\\\\")
_EXTINF = re.compile(r"^#EXTINF:\s*(-?\d+(?:\.\d+)?)?((?:\s+[\w-]+=\"[^\"]*\")*)\s*,?(.*)$",
                     re.IGNORECASE)
# Letters that make up most Russian (and other Cyrillic) text, as Windows-1251 writes them.
_COMMON_CYRILLIC = set("оеаинтсрвлкмдпуяыьгзбОЕАИНТСРВЛКМДПУЯ")


@dataclass(frozen=True)
class Entry:
    """One playable entry: where the file is, as written or decoded, and its EXTINF data."""

    location: str
    """A local path: absolute, relative to the M3U file, or a Windows path with `/`."""
    title: str | None
    seconds: float | None
    line: int


@dataclass(frozen=True)
class Note:
    """Something the importer could not use or had to guess, at a line of the M3U file."""

    line: int
    message: str


@dataclass(frozen=True)
class M3U:
    """An M3U file as read: its name, encoding, entries and notes."""

    path: Path
    name: str | None
    encoding: str
    entries: tuple[Entry, ...]
    notes: tuple[Note, ...]


def _looks_cyrillic(data: bytes) -> bool:
    """True when the non-ASCII bytes read as Windows-1251 words rather than Latin-1 accents."""
    text = data.decode("cp1251", "replace")
    cyrillic = [ch for ch in text if "\u0400" <= ch <= "\u04ff"]
    if not cyrillic:
        return False
    common = sum(ch in _COMMON_CYRILLIC for ch in cyrillic) / len(cyrillic)
    return common >= 0.5


def decode(data: bytes) -> tuple[str, str, list[Note]]:
    """The text of an M3U file, the encoding used, and notes on bytes that were not text."""
    notes: list[Note] = []
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        encoding, text = "UTF-32", data.decode("utf-32", "replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, text = "UTF-16", data.decode("utf-16", "replace")
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding, text = "UTF-8", data[3:].decode("utf-8", "replace")
    elif len(data) >= 4 and data[1::2].count(0) > len(data) // 4 and not data[0::2].count(0):
        encoding, text = "UTF-16 (no BOM)", data.decode("utf-16-le", "replace")
    elif len(data) >= 4 and data[0::2].count(0) > len(data) // 4 and not data[1::2].count(0):
        encoding, text = "UTF-16 (no BOM)", data.decode("utf-16-be", "replace")
    else:
        try:
            return data.decode("utf-8"), "UTF-8", notes
        except UnicodeDecodeError as error:
            first_bad = len(_lines(data[: error.start].decode("latin-1")))
            if _looks_cyrillic(data):
                encoding, codec = "Windows-1251 (Cyrillic)", "cp1251"
            else:
                encoding, codec = "Windows-1252 (Latin-1)", "cp1252"
            notes.append(Note(first_bad, f"not UTF-8 (byte 0x{data[error.start]:02X}); read "
                              f"the file as {encoding}"))
            text = data.decode(codec, "replace")
    for number, line in enumerate(_lines(text), start=1):
        if "\ufffd" in line:
            notes.append(Note(number, f"bytes that are not {encoding} text were replaced "
                              "by �"))
    return text, encoding, notes


def _lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)


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
    if _WINDOWS.match(path) or "\\" in path:
        path = path.replace("\\", "/")
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in PLAYABLE_SUFFIXES:
        kind = f"`{suffix}` files" if suffix else "files without an extension"
        return None, (f"{_short(path)} left out: {kind} are not a format Companion plays "
                      "(WAV, FLAC, MP3, OGG)")
    if not scheme and not _WINDOWS.match(path) and "%" in path:
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
    for number, raw_line in enumerate(_lines(text), start=1):
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
            where = ("a Windows path, not on this computer" if _WINDOWS.match(entry.location)
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


def _scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when that reads back the same, double-quoted otherwise."""
    try:
        plain_ok = yaml.safe_load(f"k: {text}\n") == {"k": text} and text == text.strip()
    except yaml.YAMLError:
        plain_ok = False
    if plain_ok and "#" not in text and text:
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'


def _output_path(location: str, source_dir: Path, out_dir: Path) -> str:
    """A location rewritten relative to where the YAML is written (absolute paths stay)."""
    if _WINDOWS.match(location) or os.path.isabs(location):
        return location
    absolute = os.path.abspath(source_dir / location)
    return Path(os.path.relpath(absolute, os.path.abspath(out_dir))).as_posix()


def to_yaml(m3u: M3U, out_dir: Path) -> str:
    """A Companion playlist holding the M3U's entries as one phase, ready to be split up."""
    if not m3u.entries:
        raise PlaylistError("nothing to import: no local audio files in it", m3u.path)
    name = m3u.name or m3u.path.stem
    lengths = [e.seconds for e in m3u.entries]
    known = all(s is not None for s in lengths)
    total = sum(s or 0 for s in lengths)
    minutes = max(1, math.ceil(total / 60)) if known else 60
    if minutes > MAX_PHASE_MINUTES:
        minutes = MAX_PHASE_MINUTES
        comment = f"  # the tracks last {length_text(total)}: split them up"
    else:
        comment = "  # the tracks' total length" if known else "  # set the target length"
    out = [
        f"# Imported by `companion import` from {m3u.path.name}.",
        "# Split the tracks into phases (settling, onset, peak, return, integration), give",
        "# each phase its target length, then run `companion check` on this file.",
        f"name: {_scalar(name)}",
        f"description: {_scalar(f'Imported from {m3u.path.name}')}",
        "phases:",
        "  - name: Music",
        f"    minutes: {minutes}{comment}",
        "    tracks:",
    ]
    for entry in m3u.entries:
        title = entry.title or Path(entry.location).stem
        length = f"  # {length_text(entry.seconds)}" if entry.seconds else ""
        out.append(f"      - file: {_scalar(_output_path(entry.location, m3u.path.parent, out_dir))}")
        out.append(f"        title: {_scalar(title)}{length}")
    return "\n".join(out) + "\n"
