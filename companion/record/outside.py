"""Readings outside the clinician's ranges that no later in-range reading of the same value has followed.

Asked before the client is marked ready to leave: "is anything still outside the ranges?".
Readings come from the vitals form (`vitals_done`) and from notes (`note` with `vitals`),
each with the marks written when it was recorded, so the ranges are the clinician's own,
as they were then. No thresholds are built in here: an unmarked reading is in range.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from companion.record import events as ev
from companion.record.events import Event

NOTE_NAMES = {"systolic": "systolic", "diastolic": "diastolic", "heart_rate": "hr",
              "spo2": "spo2", "resp_rate": "rr", "temperature": "temp"}
"""A note's vitals names -> the form's value names, so both count as one measure."""

LABELS = {"systolic": "systolic", "diastolic": "diastolic", "hr": "HR", "spo2": "SpO2",
          "rr": "RR", "temp": "temp"}


@dataclass(frozen=True)
class OutsideReading:
    """One reading outside the clinician's range."""

    elapsed: float
    """Elapsed session seconds when it was recorded."""
    name: str
    """The value's name (systolic, diastolic, hr, spo2, rr, temp, or a scale's name)."""
    value: float
    mark: str
    """"low" or "high"."""
    source: str
    """"form" (the vitals form) or "note"."""

    def describe(self) -> str:
        """`systolic 170 high`."""
        return f"{LABELS.get(self.name, self.name)} {self.value:g} {self.mark}"


def outside_since_in_range(events: Iterable[Event]) -> list[OutsideReading]:
    """Every out-of-range reading after the last in-range reading of the same value, in time order."""
    open_by_name: dict[str, list[OutsideReading]] = {}
    for event in events:
        for reading, mark in _readings(event):
            if mark:
                open_by_name.setdefault(reading.name, []).append(reading)
            else:
                open_by_name[reading.name] = []  # back in range: what came before is answered
    found = [reading for readings in open_by_name.values() for reading in readings]
    return sorted(found, key=lambda reading: reading.elapsed)


def _readings(event: Event) -> Iterator[tuple[OutsideReading, str | None]]:
    """(reading, its mark or None) for each number the event recorded."""
    if event.type == ev.VITALS_DONE:
        values, marks, names, source = event.get("values"), event.get("marks"), None, "form"
    elif event.type == ev.NOTE and isinstance(event.get("vitals"), dict):
        vitals = event.get("vitals")
        values, marks, names, source = vitals, vitals.get("marks"), NOTE_NAMES, "note"
    else:
        return
    if not isinstance(values, dict):
        return
    marks = marks if isinstance(marks, dict) else {}
    for key, value in values.items():
        if not _is_number(value) or (names is not None and key not in names):
            continue
        name = names[key] if names is not None else key
        mark = marks.get(key)
        mark = mark if mark in ("low", "high") else None
        yield OutsideReading(event.elapsed, name, float(value), mark or "", source), mark


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
