"""Vitals written as text (`BP 132/84 HR 78 SpO2 98 RR 14 T 36.8`) turned into numbers.

Any order, common spellings (`bp: 132/84`, `pulse 78`, `HR=78`, `sats 98%`, `O2 98`,
`temp 36.8C`, `98.6F`, `resp 14`). Values outside ranges the clinician set are marked
`low`/`high`; there are no built-in clinical thresholds and never an alarm.
When a measure is written twice in one note, the first value is kept.

Apart from the clinician's ranges, fixed plausibility limits (`PLAUSIBLE`) catch values no
living person can have, most often typing slips (`15095` for 150/95, `880` for 88):
`implausible(values)` says what looks wrong and suggests a fix where one is likely. These
are not clinical thresholds: they only make the sitter look twice before such a value is kept.

A reading is stored with one set of names everywhere (`READING_NAMES`, the plan's names:
`systolic diastolic hr spo2 rr temp`, plus `temp_unit` in notes); `reading_fields` reads
records written before with the older names (`heart_rate`, `resp_rate`, `temperature`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

MEASURES = ("systolic", "diastolic", "heart_rate", "spo2", "resp_rate", "temperature_c")

READING_NAMES = ("systolic", "diastolic", "hr", "spo2", "rr", "temp")
"""A reading's value names in every record, report and export (the plan's value names)."""
OLD_READING_NAMES = {"heart_rate": "hr", "resp_rate": "rr", "temperature": "temp",
                     "temperature_unit": "temp_unit"}
"""Names a note's vitals were stored under before one vocabulary -> the names used now."""
_ATTRIBUTES = {new: old for old, new in OLD_READING_NAMES.items()}

Range = tuple[float, float]


@dataclass(frozen=True)
class VitalsRanges:
    """Clinician-set (low, high) bounds per measure, inclusive; None means not checked."""

    systolic: Range | None = None
    """Systolic blood pressure, mmHg."""
    diastolic: Range | None = None
    """Diastolic blood pressure, mmHg."""
    heart_rate: Range | None = None
    """Beats per minute."""
    spo2: Range | None = None
    """Oxygen saturation, percent."""
    resp_rate: Range | None = None
    """Breaths per minute."""
    temperature_c: Range | None = None
    """Body temperature in °C (Fahrenheit readings are converted to compare)."""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> VitalsRanges:
        """Ranges from config (`{"heart_rate": [50, 110], ...}`); raises ValueError if malformed."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Range] = {}
        for name, bounds in data.items():
            if name not in known:
                raise ValueError(f"unknown vital sign {name!r}; use one of {', '.join(known)}")
            if (not isinstance(bounds, (list, tuple)) or len(bounds) != 2
                    or not all(isinstance(b, (int, float)) and not isinstance(b, bool)
                               for b in bounds) or bounds[0] > bounds[1]):
                raise ValueError(f"range for {name!r} must be [low, high], not {bounds!r}")
            values[name] = (float(bounds[0]), float(bounds[1]))
        return cls(**values)


EXAMPLE_RANGES = VitalsRanges(systolic=(90, 140), diastolic=(60, 90), heart_rate=(50, 100),
                              spo2=(94, 100), resp_rate=(10, 20), temperature_c=(36.0, 37.8))
"""An EXAMPLE for tests and documentation only, not clinical advice: clinicians set their own."""


@dataclass(frozen=True)
class Vitals:
    """Vital signs found in a text, as numbers, with out-of-range marks."""

    systolic: int | float | None = None
    diastolic: int | float | None = None
    heart_rate: int | float | None = None
    spo2: int | float | None = None
    resp_rate: int | float | None = None
    temperature: int | float | None = None
    temperature_unit: str | None = None
    """"C" or "F": as written, or guessed from the value when no unit was given."""
    marks: Mapping[str, str] = field(default_factory=dict)
    """measure -> "low" or "high", for values outside the clinician's ranges."""

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.systolic, self.heart_rate, self.spo2,
                                           self.resp_rate, self.temperature))

    @property
    def temperature_c(self) -> float | None:
        """The temperature in °C."""
        if self.temperature is None:
            return None
        if self.temperature_unit == "F":
            return round((self.temperature - 32) * 5 / 9, 2)
        return float(self.temperature)

    def to_dict(self) -> dict[str, Any]:
        """The values found (no Nones), as stored in a note's `vitals` field (READING_NAMES)."""
        data = {name: getattr(self, name) for name in ("systolic", "diastolic", "heart_rate",
                                                       "spo2", "resp_rate", "temperature",
                                                       "temperature_unit")}
        return reading_fields({**{k: v for k, v in data.items() if v is not None},
                               **({"marks": dict(self.marks)} if self.marks else {})})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Vitals:
        """Vitals from a note's stored `vitals` field (either vocabulary)."""
        names = {f.name for f in fields(cls)}
        data = {_ATTRIBUTES.get(k, k): v for k, v in reading_fields(data).items()}
        if "marks" in data:
            data["marks"] = {_ATTRIBUTES.get(k, k): v for k, v in data["marks"].items()}
        return cls(**{k: v for k, v in data.items() if k in names})


def reading_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored reading (a note's `vitals`, a check's `values` or `marks`) with today's names.

    Older records wrote `heart_rate`, `resp_rate`, `temperature` for notes; this reads both.
    """
    out: dict[str, Any] = {}
    for name, value in data.items():
        if name == "marks" and isinstance(value, Mapping):
            value = reading_fields(value)
        out[OLD_READING_NAMES.get(name, name)] = value
    return out


_NUM = r"(\d{1,3}(?:[.,]\d+)?)"
_SEP = r"[\s:=]*"
_START = r"(?<![A-Za-z0-9])"
_END = r"(?![\d.,]*\d)(?!\s*/\s*\d)"  # not part of a longer number, nor of "7/8"
_BP_LABEL = r"(?:n?i?bp|b/p|blood\s+pressure)"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE)) for name, pattern in (
        # A systolic of up to six digits is read (and then questioned): `BP 15095/95` is a
        # slip for 150/95 that must be caught, not passed over as words.
        ("bp", _START + _BP_LABEL + _SEP
         + r"(\d{2,6})\s*/\s*(\d{2,3})(?!\d)(?:\s*mm\s*hg)?"),
        ("bp", _START + r"(\d{2,3})\s*/\s*(\d{2,3})\s*mm\s*hg"),
        ("bp", _START + _BP_LABEL + _SEP + r"(\d{4,6})(?![\d/.,])()"),  # `BP 15095`: no slash
        ("spo2", _START + r"(?:sp\s?o2|sp02|sao2|o2\s*sats?|o2|sats?|oxygen(?:\s+sat(?:uration)?)?"
         r"|pulse\s*ox|pox)" + _SEP + _NUM + r"\s*%?" + _END
         + r"(?!\s*(?:l\b|lpm|l/min|lit(?:re|er)s?\b))"),  # "O2 2L" is a flow, not a saturation
        ("heart_rate", _START + r"(?:hr|heart\s*rate|pulse(?!\s*ox)|p)" + _SEP + _NUM
         + r"(?:\s*(?:bpm|/min))?" + _END),
        ("resp_rate", _START + r"(?:rr|resp(?:iratory)?(?:\s*rate)?|respirations|resps|r)"
         + _SEP + _NUM + r"(?:\s*(?:/min|bpm|breaths))?" + _END),
        ("temperature", _START + r"(?:temp(?:erature)?|t)" + _SEP + _NUM
         + r"\s*(?:°|º|deg(?:rees)?)?\s*([CF](?![A-Za-z]))?" + _END),
        ("temperature", _START + _NUM + r"\s*(?:°|º)?\s*([CF])(?![A-Za-z])"),
    ))


def _number(text: str) -> int | float:
    text = text.replace(",", ".")
    return float(text) if "." in text else int(text)


Span = tuple[int, int]


def _scan(text: str) -> tuple[dict[str, Any], dict[str, Span]]:
    """The values found in `text` (Vitals field names) and where each reading's numbers are.

    Spans are keyed by reading name (`bp` for the pressure, then READING_NAMES) and cover the
    number(s) as written, with a temperature's unit letter, so a fix can replace them.
    """
    found: dict[str, Any] = {}
    spans: dict[str, Span] = {}
    taken: list[Span] = []
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue  # these characters already belong to another reading
            if name == "bp":
                if "systolic" in found:
                    continue
                found["systolic"] = _number(match[1])
                if match[2]:
                    found["diastolic"] = _number(match[2])
                spans["bp"] = (match.start(1), match.end(2) if match[2] else match.end(1))
            elif name == "temperature":
                if "temperature" in found:
                    continue
                value = _number(match[1])
                unit = (match[2] or "").upper() or ("F" if value > 50 else "C")
                found["temperature"], found["temperature_unit"] = value, unit
                spans["temp"] = (match.start(1), match.end(2) if match[2] else match.end(1))
            else:
                if name in found:
                    continue
                found[name] = _number(match[1])
                spans[OLD_READING_NAMES[name] if name in OLD_READING_NAMES else name] = (
                    match.start(1), match.end(1))
            taken.append((match.start(), match.end()))
    return found, spans


def parse_vitals(text: str, ranges: VitalsRanges | Mapping[str, Any] | None = None) -> Vitals:
    """The vitals written in `text` (falsy when there are none), marked against `ranges`."""
    found, _ = _scan(text)
    vitals = Vitals(**found)
    if ranges is None:
        return vitals
    if not isinstance(ranges, VitalsRanges):
        ranges = VitalsRanges.from_mapping(ranges)
    return Vitals(**found, marks=_marks(vitals, ranges))


def _marks(vitals: Vitals, ranges: VitalsRanges) -> dict[str, str]:
    marks: dict[str, str] = {}
    for name in MEASURES:
        bounds = getattr(ranges, name)
        value = vitals.temperature_c if name == "temperature_c" else getattr(vitals, name)
        if bounds is None or value is None or math.isnan(value):
            continue
        key = "temperature" if name == "temperature_c" else name
        if value < bounds[0]:
            marks[key] = "low"
        elif value > bounds[1]:
            marks[key] = "high"
    return marks


# -- plausibility: values no living person can have -------------------------------------------

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


def _text(value: Any) -> str:
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
    typed = "/".join(_text(v) for v in (systolic, diastolic) if v is not None and _text(v))
    if high is not None and not _inside(high, PLAUSIBLE["systolic"]):
        split = _split_pressure(high) if isinstance(high, int) else None
        if split is not None and low is not None and low != split[1]:
            fix: dict[str, Any] = {"systolic": split[0]}
            fix_text = f"{split[0]}/{_text(low)}"
        elif split is not None:
            fix, fix_text = {"systolic": split[0], "diastolic": split[1]}, f"{split[0]}/{split[1]}"
        else:
            shorter = _shorter(high, PLAUSIBLE["systolic"], decimals=False)
            fix = {} if shorter is None else {"systolic": shorter}
            fix_text = "" if shorter is None else "/".join(
                [_text(shorter)] + ([_text(low)] if low is not None else []))
        return _problem(("systolic", "diastolic") if low is not None else ("systolic",),
                        typed, "a blood pressure", fix, fix_text, "systolic")
    if low is not None and not _inside(low, PLAUSIBLE["diastolic"]):
        shorter = _shorter(low, PLAUSIBLE["diastolic"], decimals=False)
        fix = {} if shorter is None else {"diastolic": shorter}
        fix_text = "" if shorter is None else "/".join(
            ([_text(high)] if high is not None else []) + [_text(shorter)])
        noun = "a blood pressure" if high is not None else "a diastolic pressure"
        return _problem(("diastolic",), typed, noun, fix, fix_text, "diastolic")
    if high is not None and low is not None and low >= high:
        swapped = (_inside(low, PLAUSIBLE["systolic"]) and _inside(high, PLAUSIBLE["diastolic"])
                   and high < low)
        fix = {"systolic": low, "diastolic": high} if swapped else {}
        message = (f"{typed} is not a blood pressure: the diastolic (second) value must be "
                   f"below the systolic" + (f"; did you mean {_text(low)}/{_text(high)}?"
                                            if swapped else "."))
        return Implausible(("systolic", "diastolic"), typed, message, fix,
                           f"{_text(low)}/{_text(high)}" if swapped else "")
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
    typed = _text(raw) + ("" if celsius else " °F")
    fix: dict[str, Any] = {}
    fix_text = ""
    if celsius and _inside(value, PLAUSIBLE_FAHRENHEIT):  # a Fahrenheit reading in a °C field
        fix = {"temp": round((value - 32) * 5 / 9, 1)}
        fix_text = f"{fix['temp']:g} °C ({_text(raw)} °F)"
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
        problems.append(_problem((name,), _text(values[name]), noun,
                                 {} if shorter is None else {name: shorter},
                                 "" if shorter is None else _text(shorter), name))
    problems.append(_temperature(values.get("temp"), str(values.get("temp_unit") or temp_unit)))
    return [p for p in problems if p is not None]


def note_implausible(text: str) -> list[Implausible]:
    """The readings written in a note that no living person can have, with where they are."""
    found, spans = _scan(text)
    values = reading_fields(found)
    problems = []
    for problem in implausible(values):
        key = "bp" if problem.names[0] in ("systolic", "diastolic") else problem.names[0]
        span = spans.get(key)
        typed, message = problem.typed, problem.message
        if span is not None:  # say it as written in the note (`T 368`, not a guessed `368 °F`)
            typed = text[span[0]:span[1]]
            message = message.replace(problem.typed, typed, 1)
        problems.append(Implausible(problem.names, typed, message, problem.fix,
                                    problem.fix_text, span))
    return problems


def fixed_note(text: str, problems: list[Implausible]) -> str | None:
    """The note with every likely fix written in (None unless each problem has one)."""
    if not problems or any(not p.fix or p.span is None for p in problems):
        return None
    found, _ = _scan(text)
    values = reading_fields(found)
    for problem in sorted(problems, key=lambda p: p.span or (0, 0), reverse=True):
        start, end = problem.span or (0, 0)
        fixed = {**values, **problem.fix}
        if problem.names[0] in ("systolic", "diastolic"):
            new = _text(fixed["systolic"]) + (f"/{_text(fixed['diastolic'])}"
                                              if "diastolic" in fixed else "")
        elif problem.names[0] == "temp":
            written_unit = text[start:end].rstrip()[-1:].upper() in ("C", "F")
            new = _text(fixed["temp"]) + (str(fixed.get("temp_unit", "")) if written_unit else "")
            if "temp_unit" in problem.fix and not written_unit:
                new += " °C"
        else:
            new = _text(fixed[problem.names[0]])
        text = text[:start] + new + text[end:]
    return text
