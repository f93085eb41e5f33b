"""Readings outside the clinician's ranges that no later in-range reading of the same value has followed.

Asked before the client is marked ready to leave: "is anything still outside the ranges?".
Readings come from the vitals form and from notes, in one vocabulary
(`monitoring.readings_in`), as corrected (a struck reading counts for nothing), each with
the marks written when it was recorded, so the ranges are the clinician's own, as they were
then. No thresholds are built in here: an unmarked reading is in range.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from companion.record.corrections import effective_events
from companion.record.events import Event
from companion.record.vitals.recorded import readings_in
from companion.record.vitals import READING_LABELS

LABELS = {"systolic": "systolic", "diastolic": "diastolic", **READING_LABELS, "temp": "temp"}
"""Names in a sentence ("systolic 170 high", "temp 38.2 high"): the readings' labels, with the
pressure's halves and the temperature in words."""


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
    for reading in readings_in(effective_events(list(events))):
        for name, value in reading.values.items():
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                continue  # a unit, a word
            mark = reading.marks.get(name)
            if mark in ("low", "high"):
                open_by_name.setdefault(name, []).append(
                    OutsideReading(reading.elapsed, name, float(value), mark, reading.source))
            else:
                open_by_name[name] = []  # back in range: what came before is answered
    found = [reading for readings in open_by_name.values() for reading in readings]
    return sorted(found, key=lambda reading: reading.elapsed)
