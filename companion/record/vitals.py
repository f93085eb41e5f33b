"""Vitals written as text (`BP 132/84 HR 78 SpO2 98 RR 14 T 36.8`) turned into numbers.

Any order, common spellings (`bp: 132/84`, `pulse 78`, `HR=78`, `sats 98%`, `O2 98`,
`temp 36.8C`, `98.6F`, `resp 14`). Values outside ranges the clinician set are marked
`low`/`high`; there are no built-in clinical thresholds and never an alarm.
When a measure is written twice in one note, the first value is kept.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

MEASURES = ("systolic", "diastolic", "heart_rate", "spo2", "resp_rate", "temperature_c")

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
        """The values found (no Nones), as stored in a note's `vitals` field."""
        data = {name: getattr(self, name) for name in ("systolic", "diastolic", "heart_rate",
                                                       "spo2", "resp_rate", "temperature",
                                                       "temperature_unit")}
        out: dict[str, Any] = {k: v for k, v in data.items() if v is not None}
        if self.marks:
            out["marks"] = dict(self.marks)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Vitals:
        """Vitals from a note's stored `vitals` field."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


_NUM = r"(\d{1,3}(?:[.,]\d+)?)"
_SEP = r"[\s:=]*"
_START = r"(?<![A-Za-z0-9])"
_END = r"(?![\d.,]*\d)(?!\s*/\s*\d)"  # not part of a longer number, nor of "7/8"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE)) for name, pattern in (
        ("bp", _START + r"(?:n?i?bp|b/p|blood\s+pressure)" + _SEP
         + r"(\d{2,3})\s*/\s*(\d{2,3})(?!\d)(?:\s*mm\s*hg)?"),
        ("bp", _START + r"(\d{2,3})\s*/\s*(\d{2,3})\s*mm\s*hg"),
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


def parse_vitals(text: str, ranges: VitalsRanges | Mapping[str, Any] | None = None) -> Vitals:
    """The vitals written in `text` (falsy when there are none), marked against `ranges`."""
    found: dict[str, Any] = {}
    taken: list[tuple[int, int]] = []
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue  # these characters already belong to another reading
            if name == "bp":
                if "systolic" in found:
                    continue
                found["systolic"], found["diastolic"] = (_number(match[1]), _number(match[2]))
            elif name == "temperature":
                if "temperature" in found:
                    continue
                value = _number(match[1])
                unit = (match[2] or "").upper() or ("F" if value > 50 else "C")
                found["temperature"], found["temperature_unit"] = value, unit
            else:
                if name in found:
                    continue
                found[name] = _number(match[1])
            taken.append((match.start(), match.end()))
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
