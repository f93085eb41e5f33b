"""Every vitals reading in a record, from the vitals form (`vitals_done`) or typed in a note, in
one vocabulary and in time order, as the reports show them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from companion.record import events as ev
from companion.record.events import Event
from companion.record.reader import ReadResult
from companion.record.vitals.plausible import implausible
from companion.record.vitals.readings import READING_LABELS, reading_fields
from companion.record.vitals.text import parse_vitals


def values_text(values: Any, scales: dict[str, Any] | None = None) -> str:
    """`BP 132/84, HR 78, SpO2 98%, MOAA/S 5` for a vitals_done event's values."""
    if not isinstance(values, dict):
        return ""
    parts = []
    if "systolic" in values or "diastolic" in values:
        parts.append(f"BP {values.get('systolic', '?')}/{values.get('diastolic', '?')}")
    for name, value in values.items():
        if name in ("systolic", "diastolic"):
            continue
        scale = (scales or {}).get(name)
        label = READING_LABELS.get(name) or (scale.get("title") if isinstance(scale, dict)
                                            else None) or name
        parts.append(f"{label} {value}{'%' if name == 'spo2' else ''}")
    return ", ".join(parts)


@dataclass(frozen=True)
class Reading:
    """One vitals reading, from the form (`vitals_done`) or typed in a note, as the report shows it.

    Values and marks use one vocabulary (`record.vitals.READING_NAMES`, plus `temp_unit` and
    a scale's name), whichever names the record was written with. A reading the corrections
    layer changed carries the values as first written (`original`) and `corrected_by`; one
    struck out carries `struck`.
    """

    elapsed: float
    source: str
    """"form" or "note"."""
    values: Mapping[str, Any]
    marks: Mapping[str, str] = field(default_factory=dict)
    """Reading name -> "low"/"high": outside the clinician's ranges."""
    implausible: tuple[str, ...] = ()
    """Readings no living person can have, kept as typed after the sitter confirmed them."""
    title: str = ""
    original: Mapping[str, Any] | None = None
    """The values as first written, when corrected since (None: never corrected)."""
    corrected_by: Any = None
    struck: bool = False


def vitals_readings(result: ReadResult) -> list[Reading]:
    """Every vitals reading of the session, form and note alike, in time order."""
    return readings_in(result.events)


def readings_in(events: Iterable[Event]) -> list[Reading]:
    """The vitals readings among `events`, form and note alike, in time order."""
    readings = []
    for event in events:
        if event.type not in (ev.VITALS_DONE, ev.NOTE):
            continue
        if event.type == ev.NOTE:
            values, original = _note_values(event.fields), None
            if isinstance(event.get("original"), dict):
                original = _note_values(event.get("original"))
            marks = _dict(_dict(event.get("vitals")).get("marks"))
        else:
            values, original = _form_values(event.fields), None
            if isinstance(event.get("original"), dict):
                original = _form_values(event.get("original"))
            marks = _dict(event.get("marks"))
        if not values and not original:
            continue  # a note without vitals, a check done with every field left empty
        doubtful = tuple(name for problem in implausible(values) for name in problem.names)
        readings.append(Reading(event.elapsed, "note" if event.type == ev.NOTE else "form",
                                values, reading_fields(marks), doubtful,
                                str(event.get("title") or ""), original,
                                event.get("corrected_by"), event.get("struck") is True))
    return sorted(readings, key=lambda r: r.elapsed)


def _note_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    stored = fields.get("vitals")
    if not isinstance(stored, dict) and isinstance(fields.get("text"), str):
        # A note's fields as first written may keep only its text: read the vitals in it.
        stored = parse_vitals(fields["text"]).to_dict()
    vitals = reading_fields(_dict(stored))
    vitals.pop("marks", None)
    return vitals


def _form_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    return reading_fields(_dict(fields.get("values")))


def reading_dict(reading: Reading, dose: float | None) -> dict[str, Any]:
    """A Reading as JSON-ready data (the export's `vitals` list)."""
    out: dict[str, Any] = {
        "elapsed": reading.elapsed,
        "since_dose": None if dose is None else round(reading.elapsed - dose, 3),
        "source": reading.source, "values": dict(reading.values), "marks": dict(reading.marks)}
    if reading.title:
        out["title"] = reading.title
    if reading.implausible:
        out["implausible"] = list(reading.implausible)
    if reading.original is not None:
        out["original"] = dict(reading.original)
        out["corrected_by"] = reading.corrected_by
    if reading.struck:
        out["struck"] = True
    return out


def _dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}
