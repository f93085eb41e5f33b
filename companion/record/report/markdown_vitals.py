"""The Markdown report's vitals table: form and note readings in time order, marks in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from companion.record.monitoring import plan_of
from companion.record.reader import ReadResult
from companion.record.report.words import clock_text, md, since_dose_text
from companion.record.vitals import READING_LABELS
from companion.record.vitals.recorded import Reading, vitals_readings


_VITAL_COLUMNS = (("BP", ("systolic", "diastolic")),
                  *((READING_LABELS[name], (name,)) for name in ("hr", "spo2", "rr", "temp")))


def _vital_text(values: Mapping[str, Any], names: tuple[str, ...], source: str) -> str:
    """One reading's value as written in the table: `150/95`, `97%`, `36.8 °C`; '' if none."""
    first = names[0]
    if first == "systolic":
        if values.get("systolic") is None and values.get("diastolic") is None:
            return ""
        return f"{values.get('systolic', '?')}/{values.get('diastolic', '?')}"
    if values.get(first) is None:
        return ""
    if first == "temp":  # the form asks in °C; a note says its unit (or it was guessed)
        unit = values.get("temp_unit") or ("C" if source == "form" else "")
        return f"{values['temp']} °{unit}" if unit else str(values["temp"])
    return f"{values[first]}%" if first == "spo2" else str(values[first])


def _vital_marks(reading: Reading, names: tuple[str, ...]) -> str:
    """The marks in words: `(high)`, `(systolic high, diastolic low)`, `(kept as typed)`."""
    marks = [(name, reading.marks[name]) for name in names if name in reading.marks]
    words = []
    if len({mark for _, mark in marks}) == 1 and (len(marks) == len(names) or len(names) == 1):
        words.append(marks[0][1])
    else:
        words += [f"{name} {mark}" for name, mark in marks]
    if any(name in reading.implausible for name in names):
        words.append("kept as typed")
    return f" ({', '.join(words)})" if words else ""


def _vital_cell(reading: Reading, names: tuple[str, ...]) -> str:
    """The cell: the value and its marks; a corrected value with the old one struck beside it."""
    text = _vital_text(reading.values, names, reading.source)
    cell = text + (_vital_marks(reading, names) if text else "")
    if reading.struck:
        return f"~~{cell}~~" if cell else ""
    if reading.original is not None:
        before = _vital_text(reading.original, names, reading.source)
        if before and before != text:
            cell = f"{cell} ~~{before}~~".strip()
    return cell


def _other_cell(reading: Reading, scales: Any) -> str:
    """Scores on the clinician's scales (`MOAA/S 5`), from the form."""
    known = {name for _, names in _VITAL_COLUMNS for name in names} | {"temp_unit"}
    parts = []
    for name, value in reading.values.items():
        if name in known:
            continue
        scale = scales.get(name) if isinstance(scales, dict) else None
        label = scale.get("title", name) if isinstance(scale, dict) else name
        mark = f" ({reading.marks[name]})" if name in reading.marks else ""
        parts.append(f"{label} {value}{mark}")
    text = ", ".join(parts)
    return f"~~{text}~~" if text and reading.struck else text


def _source_text(reading: Reading) -> str:
    if reading.struck:
        return f"{reading.source} (struck)"
    if reading.original is not None:
        return f"{reading.source} (corrected)"
    return reading.source


def vitals_markdown(result: ReadResult) -> list[str]:
    """The report's one vitals table: form and note readings in time order, marks in words."""
    readings = vitals_readings(result)
    if not readings:
        return ["## Vitals", "", "No vitals were recorded.", ""]
    dose = result.dose_elapsed
    plan = plan_of(result)
    scales = plan.get("scales") if plan is not None else None
    others = [_other_cell(r, scales) for r in readings]
    columns = [c for c, _ in _VITAL_COLUMNS] + (["Other"] if any(others) else [])
    lines = ["## Vitals", "", "| Elapsed | Since dose | Source | " + " | ".join(columns) + " |",
             "|---|---|---|" + "---|" * len(columns)]
    for reading, other in zip(readings, others):
        cells = [_vital_cell(reading, names) for _, names in _VITAL_COLUMNS]
        cells += [other] if any(others) else []
        lines.append(f"| {clock_text(reading.elapsed)} | {since_dose_text(reading.elapsed, dose)}"
                     f" | {_source_text(reading)} | " + " | ".join(md(c) for c in cells) + " |")
    lines.append("")
    if any(r.marks for r in readings if not r.struck):
        lines.append("Values marked high or low are outside the clinician's ranges; they are "
                     "marked, never alarmed.")
    if any(r.implausible for r in readings if not r.struck):
        lines.append("“Kept as typed”: outside what a living person can have; the sitter was "
                     "asked and kept it.")
    if any(r.struck or r.original is not None for r in readings):
        lines.append("~~Struck~~ values were corrected or struck later; the record keeps them.")
    if lines[-1]:
        lines.append("")
    return lines
