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
from typing import Any

from companion.record.vitals.readings import MEASURES, OLD_READING_NAMES, Vitals, VitalsRanges

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


def scan(text: str) -> tuple[dict[str, Any], dict[str, Span]]:
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
    found, _ = scan(text)
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
