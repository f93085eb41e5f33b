"""The client's private journal: entries appended to a 0600 JSON Lines file in the data folder.

Only written when the client asks for it (`companion ground --journal`). One line per
entry, `{"t": ISO time with offset, "kind": "grounding", ...}`, appended and fsynced, so a
crash loses at most the entry being written; a damaged line is skipped when reading.
Entries are numbered from 1, oldest first, so a number keeps meaning the same entry.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from companion import paths
from companion.errors import RecordError

JOURNAL_NAME = "journal.jsonl"


@dataclass(frozen=True)
class JournalEntry:
    """One journal entry: its number (1 = oldest), when it was written, its kind and data."""

    number: int
    t: datetime
    kind: str
    data: Mapping[str, Any] = field(default_factory=dict)


def journal_path(directory: Path | None = None) -> Path:
    """The journal file (in `paths.journal_dir()` unless `directory` is given)."""
    folder = paths.journal_dir() if directory is None else paths.ensure_private_dir(directory)
    return folder / JOURNAL_NAME


def append_entry(kind: str, data: Mapping[str, Any], *, directory: Path | None = None,
                 now: datetime | None = None) -> JournalEntry:
    """Append one entry (readable by this user alone) and return it with its number."""
    path = journal_path(directory)
    when = (now or datetime.now().astimezone()).replace(microsecond=0)
    record = {"t": when.isoformat(), "kind": kind, **dict(data)}
    line = json.dumps(record, ensure_ascii=False, sort_keys=False)
    try:
        fd = paths.open_private(path, os.O_RDWR | os.O_CREAT | os.O_APPEND)
        try:
            size = os.fstat(fd).st_size
            # A line cut short by a crash must not swallow this entry.
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = "\n" + line
            os.write(fd, (line + "\n").encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        raise RecordError(f"{path}: cannot write the journal: {error.strerror}") from error
    return JournalEntry(len(read_entries(directory)), when, kind, dict(data))


def read_entries(directory: Path | None = None) -> list[JournalEntry]:
    """Every readable entry, oldest first (damaged lines are left out)."""
    path = journal_path(directory)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    except OSError as error:
        raise RecordError(f"{path}: cannot read the journal: {error.strerror}") from error
    entries: list[JournalEntry] = []
    for line in text.splitlines():
        entry = _parse(line, len(entries) + 1)
        if entry is not None:
            entries.append(entry)
    return entries


def _parse(line: str, number: int) -> JournalEntry | None:
    try:
        record = json.loads(line)
        when = datetime.fromisoformat(record.pop("t"))
        kind = str(record.pop("kind"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return JournalEntry(number, when, kind, record)


def get_entry(number: int, directory: Path | None = None) -> JournalEntry | None:
    """Entry `number` (1 = oldest), or None when there is no such entry."""
    entries = read_entries(directory)
    return entries[number - 1] if 1 <= number <= len(entries) else None
