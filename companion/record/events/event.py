"""One line of the record (`Event`), an event still to be written (`NewEvent`), and the write status."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

FORMAT_VERSION = 1
"""Written in `session_started`; raised when a field's meaning changes."""

RESERVED_KEYS = ("t", "elapsed", "type")


class NewEvent(NamedTuple):
    """An event not yet written: its type and fields, in the order they are written.

    What an `EventSink` receives (`sink(event.type, event.fields)`) and what
    `SessionRecord.write` takes; the record adds `t` and `elapsed` when it writes it.
    """

    type: str
    fields: dict[str, Any]


def new_event(type_: str, fields: dict[str, Any], **optional: Any) -> NewEvent:
    """An event of `fields`, then each `optional` field that is given (not None), in order."""
    return NewEvent(type_, {**fields, **{k: v for k, v in optional.items() if v is not None}})


EventSink = Callable[[str, dict[str, Any]], None]
"""Receives a record event to write: its type and fields (the session controller's
`exercise_event`, a test's list)."""


@dataclass(frozen=True)
class Event:
    """One line of the record: wall time, elapsed session seconds, type and fields."""

    t: str
    elapsed: float
    type: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        """A field's value, or `default`."""
        return self.fields.get(name, default)

    def to_dict(self) -> dict[str, Any]:
        """The event as the JSON object written to the file."""
        return {"t": self.t, "elapsed": self.elapsed, "type": self.type, **self.fields}

    def to_line(self) -> bytes:
        """The event as one UTF-8 JSON line, newline included."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"),
                          default=str)
        return (text + "\n").encode("utf-8")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        """An Event from a decoded JSON object (raises ValueError when it is not one)."""
        if not isinstance(data, Mapping):
            raise ValueError("a line is not a JSON object")
        missing = [key for key in RESERVED_KEYS if key not in data]
        if missing:
            raise ValueError(f"an event lacks {', '.join(missing)}")
        t, elapsed, kind = data["t"], data["elapsed"], data["type"]
        if not isinstance(t, str) or not isinstance(kind, str) or not kind:
            raise ValueError("an event's `t` and `type` must be text")
        if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)):
            raise ValueError(f"an event's `elapsed` must be a number, not {elapsed!r}")
        fields = {k: v for k, v in data.items() if k not in RESERVED_KEYS}
        return cls(t=t, elapsed=float(elapsed), type=kind, fields=fields)


@dataclass(frozen=True)
class WriteStatus:
    """Whether the record is on disk: `ok`, how many events wait in memory, and why."""

    ok: bool
    unwritten: int = 0
    error: str | None = None

    def describe(self) -> str:
        """A plain sentence for the screen."""
        if self.ok:
            return "Record saved."
        return (f"Record NOT saved to disk ({self.error}); {self.unwritten} event(s) kept in "
                "memory, retrying.")
