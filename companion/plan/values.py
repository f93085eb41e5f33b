"""The vitals form's fields and the values typed in it: numbers, checked against the plan.

`form_fields` builds the form for a check (each reading's label, unit, the clinician's
range or a scale's bounds, the last value this session); `check_values` turns what was
typed into numbers and marks those outside the ranges (never refusing them), refusing only
what is not a number or lies off a scale. `note_ranges` gives the same ranges to notes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from companion.plan.errors import PlanError
from companion.playlist import spec
from companion.playlist.model import Plan

if TYPE_CHECKING:
    from companion.record.vitals import VitalsRanges

NOTE_VALUE_NAMES = {"systolic": "systolic", "diastolic": "diastolic", "heart_rate": "hr",
                    "spo2": "spo2", "resp_rate": "rr", "temperature": "temp",
                    "hr": "hr", "rr": "rr", "temp": "temp"}
"""A note's stored vitals (`record.vitals`; older records used the long names) -> the plan's
value names (notes now store these names too)."""


@dataclass(frozen=True)
class FormField:
    """One field of the vitals form: what to ask, its unit, bounds, range and last value."""

    name: str
    """The value's name in `done(item, values)`: systolic, diastolic, hr, spo2, rr, temp, or
    a scale's name."""
    label: str
    unit: str = ""
    minimum: float | None = None
    """A scale's lowest score (None for vital signs: no built-in bounds)."""
    maximum: float | None = None
    low: float | None = None
    """The clinician's range (values outside are marked, never refused)."""
    high: float | None = None
    last: float | None = None
    """The last value recorded this session (from a vitals check or a note)."""
    last_elapsed: float | None = None
    words: str = ""


def form_fields(plan: Plan, readings: Iterable[str],
                last: Mapping[str, tuple[float, float]]) -> tuple[FormField, ...]:
    """The form's fields for `readings` (reading codes and scale names), with the last value
    and when it was recorded (`last`: value name -> (value, elapsed))."""
    out = []
    for code in readings:
        if code in spec.VITAL_READINGS:
            label, names, unit = spec.VITAL_READINGS[code]
            for name in names:
                text = {"systolic": "Systolic", "diastolic": "Diastolic"}.get(name, label)
                out.append(_field(plan, last, name, text, unit))
        elif code in plan.scales:
            scale = plan.scales[code]
            out.append(_field(plan, last, code, scale.title, "", scale.minimum, scale.maximum,
                              scale.words))
    return tuple(out)


def _field(plan: Plan, last: Mapping[str, tuple[float, float]], name: str, label: str,
           unit: str, minimum: float | None = None, maximum: float | None = None,
           words: str = "") -> FormField:
    bounds = plan.ranges.get(name)
    known = last.get(name)
    return FormField(name, label, unit, minimum, maximum,
                     bounds.low if bounds else None, bounds.high if bounds else None,
                     known[0] if known else None, known[1] if known else None, words)


def check_values(plan: Plan, values: Mapping[str, Any],
                 names: Iterable[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Values as numbers (empty ones left out) and their marks; PlanError names a bad one."""
    allowed = list(names)
    clean: dict[str, Any] = {}
    for name, raw in values.items():
        if name == "bp" and isinstance(raw, str) and "/" in raw:
            high, _, low = raw.partition("/")
            clean.update(check_values(plan, {"systolic": high, "diastolic": low}, allowed)[0])
            continue
        if name not in allowed:
            raise PlanError(f"{name!r} is not a reading of this check "
                            f"({', '.join(allowed)})")
        number = _number(name, raw)
        if number is None:
            continue
        scale = plan.scales.get(name)
        if scale is not None and not scale.minimum <= number <= scale.maximum:
            raise PlanError(f"{scale.title} is scored from {scale.minimum:g} to "
                            f"{scale.maximum:g}, not {number:g}")
        clean[name] = number
    marks = {}
    for name, number in clean.items():
        bounds = plan.ranges.get(name)
        mark = bounds.mark(number) if bounds is not None else None
        if mark:
            marks[name] = mark
    return clean, marks


def _number(name: str, raw: Any) -> float | int | None:
    """`raw` as a number (None when empty); PlanError when it is not one."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise PlanError(f"{name} must be a number, not {raw!r}")
    if isinstance(raw, (int, float)):
        number: float | int = raw
    else:
        text = str(raw).strip().replace(",", ".").rstrip("%").strip()
        try:
            number = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            raise PlanError(f"{name} must be a number, not {str(raw)!r}") from None
    if not math.isfinite(number):
        raise PlanError(f"{name} must be a finite number, not {raw!r}")
    return number


def note_ranges(plan: Plan) -> VitalsRanges | None:
    """The plan's ranges as `record.vitals.VitalsRanges` (for notes), or None when it has none."""
    from companion.record.vitals import VitalsRanges

    names = {"systolic": "systolic", "diastolic": "diastolic", "hr": "heart_rate",
             "spo2": "spo2", "rr": "resp_rate", "temp": "temperature_c"}
    ranges = {names[name]: (-math.inf if r.low is None else r.low,
                            math.inf if r.high is None else r.high)
              for name, r in plan.ranges.items() if name in names}
    return VitalsRanges(**ranges) if ranges else None
