"""What an M3U file holds once read: its entries, and notes on what was left out or guessed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
