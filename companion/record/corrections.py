"""Corrections: the record is corrected by new entries, never rewritten.

A `correction` event names the entry it corrects by that entry's LINE NUMBER in the
session file (1 = `session_started`). Lines are only ever appended, a reader refuses a
damaged line rather than skipping it, and a resumed session cuts only a torn (never
acknowledged) last line, so an entry's line number is the same in the running app, after
a crash, after resume and in every reader: `events[line - 1]` is the entry. The correction
also carries the entry's `type` and `t`, so a reference that does not fit is caught and
said, never applied to the wrong entry.

`apply_corrections(events)` gives the record as corrected, in file order:

- a corrected entry carries its new values, `corrected_by` (the line of the latest
  correction) and `original` (the fields it changed, as first written; `t`/`elapsed` for a
  dose mark whose time was corrected);
- a struck entry (it was not so: a dose marked by mistake) carries `struck: True` and
  `corrected_by`;
- correcting a correction replaces its values; striking a correction withdraws it (that
  correction is then `struck`, and the entry is as the remaining corrections make it); a
  `correct` after a `strike` restores the entry with the new values;
- a correction that names no earlier correctable entry (or whose type/time do not match
  it) is kept with `unapplied` saying why; nothing raises.

`effective_events(events)` leaves out struck entries and the corrections themselves: what
every count, clock and schedule is computed from. No Textual here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from companion.record import events as ev
from companion.record.events import Event
from companion.record.reader import ReadResult

CORRECTABLE = (ev.VITALS_DONE, ev.NOTE, ev.DOSE_MARKED, ev.READY_TO_LEAVE)
"""The entries a sitter may correct or strike."""

STRIKE_ONLY = (ev.READY_TO_LEAVE,)
"""Entries that can be struck but have no values to correct."""

MOVABLE = ("t", "elapsed")
"""Reserved keys a correction may change (the moment of a dose mark)."""


@dataclass
class _Entry:
    """What the corrections so far make of one entry."""

    line: int
    active: list[int] = field(default_factory=list)  # lines of corrections in force, in order


def line_of(index: int) -> int:
    """The file line (1-based) of the event at `index` in a record's events."""
    return index + 1


def apply_corrections(events: Sequence[Event]) -> list[Event]:
    """The record's events as corrected (same length, same order); see the module doc."""
    events = list(events)
    if any("corrected_by" in e.fields for e in events):
        return events  # already applied (a report given a corrected record)
    out = list(events)
    entries: dict[int, _Entry] = {}
    root_of: dict[int, int] = {}  # correction line -> the entry line it finally concerns
    withdrawn: dict[int, int] = {}  # correction line -> the line of the one that struck it
    for index, event in enumerate(events):
        if event.type != ev.CORRECTION:
            continue
        line = line_of(index)
        problem = _problem(events, line, event, root_of, withdrawn)
        if problem:
            out[index] = _with(event, unapplied=problem)
            continue
        target_line = int(event.fields["corrects"])
        if target_line in root_of:  # a correction of a correction
            root = root_of[target_line]
            if event.get("action") == ev.STRIKE:
                entries[root].active.remove(target_line)
                withdrawn[target_line] = line
                root_of[line] = root
                continue
        else:
            root = target_line
        root_of[line] = root
        entries.setdefault(root, _Entry(root)).active.append(line)
    for line, by in withdrawn.items():
        out[line - 1] = _with(out[line - 1], struck=True, corrected_by=by)
    for root, entry in entries.items():
        out[root - 1] = _corrected(events[root - 1], [events[c - 1] for c in entry.active],
                                   entry.active)
    return out


def effective_events(events: Sequence[Event]) -> list[Event]:
    """The corrected record without struck entries and corrections: what counts."""
    return [e for e in apply_corrections(events) if not e.get("struck")
            and e.type != ev.CORRECTION]


def effective_dose(events: Sequence[Event]) -> float | None:
    """Elapsed seconds of the last dose mark in force (corrected time; None: none, or struck)."""
    doses = [e.elapsed for e in effective_events(events) if e.type == ev.DOSE_MARKED]
    return doses[-1] if doses else None


def unapplied(events: Sequence[Event]) -> list[str]:
    """Why each correction that could not be applied was not (one sentence each)."""
    return [f"line {line_of(i)}: {e.get('unapplied')}"
            for i, e in enumerate(apply_corrections(events)) if e.get("unapplied")]


def correctable(events: Sequence[Event], limit: int = 12) -> list[tuple[int, Event]]:
    """(line, entry as corrected) of the most recent entries that can be corrected, newest first.

    Struck entries are left out (there is nothing left to correct); a dose mark or a note
    that was corrected is listed with its new values.
    """
    found = [(line_of(i), e) for i, e in enumerate(apply_corrections(events))
             if e.type in CORRECTABLE and not e.get("struck")]
    return list(reversed(found))[:limit]


def corrected_result(result: ReadResult) -> ReadResult:
    """`result` with its events as corrected (struck ones kept and marked), for showing."""
    return dataclasses.replace(result, events=tuple(apply_corrections(result.events)))


def live_result(result: ReadResult) -> ReadResult:
    """`result` with only the events in force (see `effective_events`), for counting."""
    return dataclasses.replace(result, events=tuple(effective_events(result.events)))


# -- the moment of a dose mark -------------------------------------------------------------

_MINUTES_AGO = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:m|min|mins|minutes?)?\s*(?:ago)?\s*$",
                          re.IGNORECASE)
_CLOCK = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})(?::(\d{2}))?\s*$")


def parse_moment(text: str, now_elapsed: float, started_at: datetime) -> float:
    """When something really happened, as elapsed session seconds.

    `12` / `12 min ago` / `12 minutes ago`: that many minutes before now; `14:05` (or
    `14:05:30`): that local clock time, today (yesterday if that is later than now, for a
    session that runs past midnight). Raises ValueError saying what to type.
    """
    if not text.strip():
        raise ValueError("Type when it was really taken: minutes ago (e.g. 12) or the "
                         "clock time (e.g. 14:05)")
    minutes = _MINUTES_AGO.match(text)
    if minutes:
        moment = now_elapsed - float(minutes.group(1).replace(",", ".")) * 60
    else:
        clock = _CLOCK.match(text)
        if not clock:
            raise ValueError(f"{text.strip()!r} is not a time: type minutes ago (e.g. 12) "
                             "or the clock time (e.g. 14:05)")
        hour, minute, second = (int(g or 0) for g in clock.groups())
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError(f"{text.strip()!r} is not a clock time (HH:MM, 00:00-23:59)")
        now_local = (started_at + timedelta(seconds=now_elapsed)).astimezone()
        wanted = now_local.replace(hour=hour, minute=minute, second=second, microsecond=0)
        if wanted > now_local + timedelta(minutes=1):
            wanted -= timedelta(days=1)
        moment = (wanted - started_at).total_seconds()
    if moment < 0:
        raise ValueError("that is before the session began")
    if moment > now_elapsed + 60:
        raise ValueError("that is later than now")
    return round(min(moment, now_elapsed), 3)


def moment_fields(moment: float, started_at: datetime) -> dict[str, Any]:
    """A correction's values that move an entry to elapsed `moment`: `elapsed` and `t`."""
    wall = (started_at + timedelta(seconds=moment)).astimezone()
    return {"elapsed": round(moment, 3), "t": wall.isoformat(timespec="milliseconds")}


# -- inside --------------------------------------------------------------------------------


def _problem(events: list[Event], line: int, correction: Event, root_of: Mapping[int, int],
             withdrawn: Mapping[int, int]) -> str:
    """Why `correction` (on `line`) cannot be applied, or ''."""
    ref = correction.get("corrects")
    if isinstance(ref, bool) or not isinstance(ref, int):
        return f"it names no line to correct (corrects = {ref!r})"
    if not 1 <= ref < line:
        return f"it names line {ref}, which is not an earlier line of this record"
    target = events[ref - 1]
    if correction.get("target_type") not in (None, target.type) or \
            correction.get("target_t") not in (None, target.t):
        return (f"line {ref} is {target.type} at {target.t}, not the "
                f"{correction.get('target_type')} at {correction.get('target_t')} it names")
    action = correction.get("action")
    if action not in (ev.CORRECT, ev.STRIKE):
        return f"its action is {action!r}, not {ev.CORRECT} or {ev.STRIKE}"
    if target.type == ev.CORRECTION:
        if ref not in root_of:
            return f"the correction on line {ref} it corrects was not applied either"
        if ref in withdrawn:
            return f"the correction on line {ref} was already struck"
    elif target.type not in CORRECTABLE:
        return f"a {target.type} entry cannot be corrected"
    if action == ev.CORRECT:
        values = correction.get("values")
        root = events[root_of.get(ref, ref) - 1]
        if not isinstance(values, dict) or not values:
            return "it gives no values"
        if root.type in STRIKE_ONLY:
            return f"a {root.type} entry can only be struck"
        moved = values.get("elapsed")
        if "elapsed" in values and (isinstance(moved, bool) or not isinstance(moved, (int, float))):
            return f"its elapsed time {moved!r} is not a number"
    return ""


def _corrected(entry: Event, corrections: Iterable[Event], lines: list[int]) -> Event:
    """`entry` after `corrections` (in order): new values, `original`, `struck`."""
    if not lines:
        return entry
    fields = dict(entry.fields)
    t, elapsed, struck = entry.t, entry.elapsed, False
    for correction in corrections:
        if correction.get("action") == ev.STRIKE:
            struck = True
            continue
        struck = False
        for name, value in correction.fields["values"].items():
            if name == "t":
                t = str(value)
            elif name == "elapsed":
                elapsed = float(value)
            elif name in ev.RESERVED_KEYS:
                continue
            elif value is None:
                fields.pop(name, None)
            else:
                fields[name] = value
    original: dict[str, Any] = {}
    if t != entry.t:
        original["t"] = entry.t
    if elapsed != entry.elapsed:
        original["elapsed"] = entry.elapsed
    for name in set(fields) | set(entry.fields):
        if fields.get(name) != entry.fields.get(name):
            original[name] = entry.fields.get(name)
    fields["corrected_by"] = lines[-1]
    if original:
        fields["original"] = original
    if struck:
        fields["struck"] = True
    return Event(t=t, elapsed=elapsed, type=entry.type, fields=fields)


def _with(event: Event, **extra: Any) -> Event:
    return dataclasses.replace(event, fields={**event.fields, **extra})
