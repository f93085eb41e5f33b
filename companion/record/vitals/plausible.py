"""Readings no living person can have, most often typing slips (`15095` for 150/95, `880` for 88).

Fixed plausibility limits (`PLAUSIBLE`), apart from the clinician's ranges: `implausible(values)`
says what looks wrong and suggests a fix where one is likely. These are not clinical
thresholds: they only make the sitter look twice before such a value is kept.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from companion.record.vitals.readings import Range, reading_fields
from companion.record.vitals.text import Span

PLAUSIBLE: dict[str, Range] = {"systolic": (50, 300), "diastolic": (20, 200), "hr": (20, 250),
                               "spo2": (50, 100), "rr": (4, 60), "temp": (30, 45)}
"""Fixed limits beyond which a reading is a slip, not a measurement (temperature in °C).

NOT clinical thresholds (those are the clinician's ranges): a value outside these limits is
kept only when the sitter confirms it."""
PLAUSIBLE_FAHRENHEIT: Range = (86, 113)

_NOUNS = {"systolic": ("systolic pressure", "mmHg"), "diastolic": ("diastolic pressure", "mmHg"),
          "hr": ("heart rate", "/min"), "spo2": ("SpO2", "%"), "rr": ("respiratory rate", "/min"),
          "temp": ("temperature", "°C")}


@dataclass(frozen=True)
class Implausible:
    """One reading no living person can have: what looks wrong, and a likely fix if any."""

    names: tuple[str, ...]
    """The readings concerned (READING_NAMES): ("hr",), or ("systolic", "diastolic")."""
    typed: str
    """The value(s) as typed: `880`, `15095`, `15095/95`."""
    message: str
    """What looks wrong, in a sentence: "880 is not a heart rate; did you mean 88?"."""
    fix: Mapping[str, Any] = field(default_factory=dict)
    """Values to use instead, by reading name (empty: no likely fix)."""
    fix_text: str = ""
    """The fix as a sitter writes it: `150/95`, `88`, `36.8 °C`."""
    span: Span | None = None
    """Where the typed value is in a note's text (None for the form)."""


def as_number(raw: Any) -> int | float | None:
    """A typed value as a number (`98%`, `36,8`), or None when empty or not a number."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, (int, float)):
        return raw if math.isfinite(raw) else None
    text = str(raw).strip().replace(",", ".").rstrip("%").strip()
    try:
        number = float(text) if "." in text else int(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _inside(value: float, bounds: Range) -> bool:
    return bounds[0] <= value <= bounds[1]


def as_text(value: Any) -> str:
    """A value as a sitter writes it: `150`, `36.8`, or the text as typed."""
    return f"{value:g}" if isinstance(value, (int, float)) else str(value).strip()


def _shorter(value: int | float, bounds: Range, decimals: bool) -> int | float | None:
    """A likely slip fixed: an extra digit (880 -> 88), a lost decimal point (368 -> 36.8),
    or a decimal point too early (9.8 -> 98); None when no such fix lands inside `bounds`."""
    if value > bounds[1]:
        for power in (10, 100, 1000):
            shorter = round(value / power, 2) if decimals else int(value // power)
            if _inside(shorter, bounds):
                return shorter
        return None
    if 0 < value < bounds[0] and value != int(value):
        for power in (10, 100):
            if _inside(value * power, bounds):
                return round(value * power, 2)
    return None


def _split_pressure(systolic: int | float) -> tuple[int, int] | None:
    """`15095` -> (150, 95): digits of a pressure typed without its slash, when they fit."""
    digits = str(systolic)
    if not isinstance(systolic, int) or not 4 <= len(digits) <= 6:
        return None
    for cut in (3, 2):
        high, low = digits[:cut], digits[cut:]
        if low.startswith("0") or not 2 <= len(low) <= 3:
            continue
        if (_inside(int(high), PLAUSIBLE["systolic"]) and _inside(int(low), PLAUSIBLE["diastolic"])
                and int(low) < int(high)):
            return int(high), int(low)
    return None


def _pressure(systolic: Any, diastolic: Any) -> Implausible | None:
    high, low = as_number(systolic), as_number(diastolic)
    typed = "/".join(as_text(v) for v in (systolic, diastolic) if v is not None and as_text(v))
    if high is not None and not _inside(high, PLAUSIBLE["systolic"]):
        split = _split_pressure(high) if isinstance(high, int) else None
        if split is not None and low is not None and low != split[1]:
            fix: dict[str, Any] = {"systolic": split[0]}
            fix_text = f"{split[0]}/{as_text(low)}"
        elif split is not None:
            fix, fix_text = {"systolic": split[0], "diastolic": split[1]}, f"{split[0]}/{split[1]}"
        else:
            shorter = _shorter(high, PLAUSIBLE["systolic"], decimals=False)
            fix = {} if shorter is None else {"systolic": shorter}
            fix_text = "" if shorter is None else "/".join(
                [as_text(shorter)] + ([as_text(low)] if low is not None else []))
        return _problem(("systolic", "diastolic") if low is not None else ("systolic",),
                        typed, "a blood pressure", fix, fix_text, "systolic")
    if low is not None and not _inside(low, PLAUSIBLE["diastolic"]):
        shorter = _shorter(low, PLAUSIBLE["diastolic"], decimals=False)
        fix = {} if shorter is None else {"diastolic": shorter}
        fix_text = "" if shorter is None else "/".join(
            ([as_text(high)] if high is not None else []) + [as_text(shorter)])
        noun = "a blood pressure" if high is not None else "a diastolic pressure"
        return _problem(("diastolic",), typed, noun, fix, fix_text, "diastolic")
    if high is not None and low is not None and low >= high:
        swapped = (_inside(low, PLAUSIBLE["systolic"]) and _inside(high, PLAUSIBLE["diastolic"])
                   and high < low)
        fix = {"systolic": low, "diastolic": high} if swapped else {}
        message = (f"{typed} is not a blood pressure: the diastolic (second) value must be "
                   f"below the systolic" + (f"; did you mean {as_text(low)}/{as_text(high)}?"
                                            if swapped else "."))
        return Implausible(("systolic", "diastolic"), typed, message, fix,
                           f"{as_text(low)}/{as_text(high)}" if swapped else "")
    return None


def _problem(names: tuple[str, ...], typed: str, noun: str, fix: Mapping[str, Any],
             fix_text: str, limit: str, unit_bounds: tuple[str, Range] | None = None) -> Implausible:
    """The sentence: "880 is not a heart rate; did you mean 88?", or the limits when no fix."""
    if fix_text:
        message = f"{typed} is not {noun}; did you mean {fix_text}?"
    else:
        unit, bounds = unit_bounds or (_NOUNS[limit][1], PLAUSIBLE[limit])
        space = "" if unit in ("%", "/min") else " "
        if noun == "a blood pressure":
            noun = f"a {_NOUNS[limit][0]}"  # `400/80`: say which of the two is impossible
        message = (f"{typed} is not {noun} (a living person's is {bounds[0]:g}–{bounds[1]:g}"
                   f"{space}{unit}); check the reading.")
    return Implausible(names, typed, message, dict(fix), fix_text)


def _temperature(raw: Any, unit: str) -> Implausible | None:
    value = as_number(raw)
    celsius = unit.upper() != "F"
    bounds = PLAUSIBLE["temp"] if celsius else PLAUSIBLE_FAHRENHEIT
    if value is None or _inside(value, bounds):
        return None
    typed = as_text(raw) + ("" if celsius else " °F")
    fix: dict[str, Any] = {}
    fix_text = ""
    if celsius and _inside(value, PLAUSIBLE_FAHRENHEIT):  # a Fahrenheit reading in a °C field
        fix = {"temp": round((value - 32) * 5 / 9, 1)}
        fix_text = f"{fix['temp']:g} °C ({as_text(raw)} °F)"
    else:
        shorter = _shorter(value, bounds, decimals=True)
        if shorter is None and not celsius:  # `T 368` is read as °F: it was 36.8 °C
            shorter = _shorter(value, PLAUSIBLE["temp"], decimals=True)
            if shorter is not None:
                fix = {"temp": shorter, "temp_unit": "C"}
                fix_text = f"{shorter:g} °C"
        elif shorter is not None:
            fix = {"temp": shorter}
            fix_text = f"{shorter:g}" + ("" if celsius else " °F")
    return _problem(("temp",), typed, "a temperature", fix, fix_text, "temp",
                    ("°C", PLAUSIBLE["temp"]) if celsius else ("°F", PLAUSIBLE_FAHRENHEIT))


def implausible(values: Mapping[str, Any], temp_unit: str = "C") -> list[Implausible]:
    """The readings in `values` (READING_NAMES, numbers or text as typed) that no living person
    can have, in form order; values that are empty or not numbers are left to other checks."""
    values = reading_fields(values)
    problems = [_pressure(values.get("systolic"), values.get("diastolic"))]
    for name in ("hr", "spo2", "rr"):
        value = as_number(values.get(name))
        if value is None or _inside(value, PLAUSIBLE[name]):
            continue
        shorter = _shorter(value, PLAUSIBLE[name], decimals=False)
        noun = {"hr": "a heart rate", "spo2": "an oxygen saturation",
                "rr": "a respiratory rate"}[name]
        problems.append(_problem((name,), as_text(values[name]), noun,
                                 {} if shorter is None else {name: shorter},
                                 "" if shorter is None else as_text(shorter), name))
    problems.append(_temperature(values.get("temp"), str(values.get("temp_unit") or temp_unit)))
    return [p for p in problems if p is not None]
