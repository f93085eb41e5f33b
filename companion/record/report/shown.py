"""An entry as the reports show it after corrections: struck through, or with its first words."""

from __future__ import annotations

from collections.abc import Iterable

from companion.record import events as ev
from companion.record.events import Event
from companion.record.report.descriptions import describe
from companion.record.report.words import local_time


def describe_shown(event: Event, events: Iterable[Event] = (), markdown: bool = False) -> str:
    """`describe`, with what corrections did: a struck entry struck through (`~~…~~` in
    Markdown, `[struck]` in plain text), a corrected one with its first words struck beside
    it. `events` is the corrected record (to say when and why it was corrected)."""
    text = describe(event)
    if event.get("corrected_by") is None:
        return text
    why = correction_why(event, events)
    if event.get("struck"):
        return (f"~~{text}~~ — struck{why}" if markdown else f"[struck{why}] {text}")
    first = first_written(event)
    first_text = describe(first)
    if first.elapsed != event.elapsed:
        first_text += f" at {local_time(first.t)}"
        text += f" at {local_time(event.t)}"
    struck = f"first written: ~~{first_text}~~" if markdown else f"was: {first_text}"
    return f"{text} — corrected{why}; {struck}"


def correction_why(event: Event, events: Iterable[Event]) -> str:
    """` at 14:20:05 (reason)`: when the correction in force was written, and why."""
    by, events = event.get("corrected_by"), list(events)
    if not isinstance(by, int) or not 0 < by <= len(events):
        return ""
    correction = events[by - 1]
    reason = correction.get("reason")
    return f" at {local_time(correction.t)}" + (f" ({reason})" if reason else "")


def first_written(event: Event) -> Event:
    """A corrected entry as it was first written (its `original` fields put back)."""
    original = event.get("original") or {}
    fields = {k: v for k, v in event.fields.items()
              if k not in ("corrected_by", "original", "struck")}
    for name, value in original.items():
        if name in ev.RESERVED_KEYS:
            continue
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    return Event(t=str(original.get("t", event.t)), elapsed=float(original.get("elapsed",
                                                                             event.elapsed)),
                 type=event.type, fields=fields)
