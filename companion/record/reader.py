"""Reading session files back: events in order, a torn last line reported, nothing else hidden.

A crash can cut the last line of a file short (the write was never acknowledged); that
line is reported in `ReadResult.torn_tail`, not fatal. Any other line that is not a valid
event raises RecordError naming the file and line: nothing is skipped silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from companion.errors import RecordError
from companion.record import events as ev
from companion.record.events import Event


@dataclass(frozen=True)
class TornTail:
    """An unfinished last line: where it starts (line number, byte offset) and its text."""

    line: int
    offset: int
    text: str


@dataclass(frozen=True)
class ReadResult:
    """A session file read back: its events and any torn last line."""

    path: Path
    events: tuple[Event, ...]
    torn_tail: TornTail | None = None
    good_length: int = 0
    """Bytes up to the end of the last complete line (where a resumed writer continues)."""

    @property
    def id(self) -> str:
        """The session's id: its file name without `.jsonl`."""
        return self.path.stem

    @property
    def started(self) -> Event | None:
        """The `session_started` event, if the file has one."""
        first = self.events[0] if self.events else None
        return first if first is not None and first.type == ev.SESSION_STARTED else None

    @property
    def ended(self) -> bool:
        """True when the session was ended (not interrupted)."""
        return any(e.type == ev.SESSION_ENDED for e in self.events)

    @property
    def started_at(self) -> datetime | None:
        """The session's start in UTC (the clock's anchor), if known."""
        start = self.started
        if start is None:
            return None
        text = start.get("started_at") or start.t
        try:
            return datetime.fromisoformat(text)
        except (TypeError, ValueError):
            return None

    def of_type(self, *types: str) -> Iterator[Event]:
        """The events of the given types, in order."""
        return (e for e in self.events if e.type in types)

    @property
    def dose_elapsed(self) -> float | None:
        """Elapsed seconds at the last dose mark, or None (a mark struck by a correction,
        in a corrected record, does not count)."""
        doses = [e.elapsed for e in self.of_type(ev.DOSE_MARKED) if not e.get("struck")]
        return doses[-1] if doses else None

    @property
    def duration(self) -> float:
        """Elapsed seconds of the last event."""
        return self.events[-1].elapsed if self.events else 0.0


def read_events(path: Path) -> ReadResult:
    """Read every event of a session file (raises RecordError for any damage but a torn tail)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RecordError(f"{path}: cannot read the session record: {error.strerror}") from error
    events: list[Event] = []
    torn: TornTail | None = None
    offset = 0
    number = 0
    good_length = 0
    while offset < len(data):
        number += 1
        end = data.find(b"\n", offset)
        if end < 0:
            text = data[offset:].decode("utf-8", errors="replace")
            event = _parse(text)
            if event is None:
                torn = TornTail(line=number, offset=offset, text=text)
            else:
                # Complete but unterminated: keep it; a resumed writer adds the newline.
                events.append(event)
            break
        raw = data[offset:end]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise RecordError(f"{path}:{number}: not UTF-8 text ({error.reason})") from error
        event = _parse(text)
        if event is None:
            raise RecordError(f"{path}:{number}: not a session event: {_excerpt(text)}")
        events.append(event)
        offset = end + 1
        good_length = offset
    if events and events[0].type != ev.SESSION_STARTED:
        raise RecordError(f"{path}:1: the first event is {events[0].type!r}, "
                          f"not {ev.SESSION_STARTED!r}")
    return ReadResult(path=path, events=tuple(events), torn_tail=torn, good_length=good_length)


def read_header(path: Path) -> Event | None:
    """Only the first event of a file (quick, for listings), or None if it has none."""
    try:
        with open(path, "rb") as handle:
            first = handle.readline()
    except OSError as error:
        raise RecordError(f"{path}: cannot read the session record: {error.strerror}") from error
    if not first.endswith(b"\n"):
        return None
    return _parse(first.decode("utf-8", errors="replace"))


def _parse(text: str) -> Event | None:
    try:
        return Event.from_dict(json.loads(text))
    except (ValueError, TypeError):
        return None


def _excerpt(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")
