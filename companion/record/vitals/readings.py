"""A vitals reading's names, its labels, the clinician's ranges, and `Vitals` as found in a note.

A reading is stored with one set of names everywhere (`READING_NAMES`, the plan's names:
`systolic diastolic hr spo2 rr temp`, plus `temp_unit` in notes); `reading_fields` reads
records written before with the older names (`heart_rate`, `resp_rate`, `temperature`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

MEASURES = ("systolic", "diastolic", "heart_rate", "spo2", "resp_rate", "temperature_c")

READING_NAMES = ("systolic", "diastolic", "hr", "spo2", "rr", "temp")
"""A reading's value names in every record, report and export (the plan's value names)."""
READING_LABELS = {"hr": "HR", "spo2": "SpO2", "rr": "RR", "temp": "T"}
"""How a reading is named where it is shown, as a sitter writes it in a note (`HR 78 T 36.8`);
a blood pressure (systolic and diastolic) is `BP`."""
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
