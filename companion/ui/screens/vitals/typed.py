"""What the sitter typed in the vitals form, read before saving: hints beside fields, a blood
pressure typed whole, a value that cannot be one. No Textual here."""

from __future__ import annotations

from collections.abc import Mapping

from companion.plan import FormField
from companion.record.vitals import as_number
from companion.clock import format_clock


def field_hint(field: FormField, short: bool = False) -> str:
    """What is shown beside a field: the last value (and when), the range or the scale.

    `short` (a narrow terminal): without the time and the word "range", so it is not cut."""
    parts = []
    if field.last is not None:
        when = (f" at {format_clock(field.last_elapsed)}"
                if field.last_elapsed is not None and not short else "")
        parts.append(f"last {field.last:g}{when}")
    if field.minimum is not None and field.maximum is not None:
        parts.append(f"{field.minimum:g}-{field.maximum:g}")
    if field.low is not None or field.high is not None:
        low = "" if field.low is None else f"{field.low:g}"
        high = "" if field.high is None else f"{field.high:g}"
        parts.append(f"{'' if short else 'range '}{low}–{high}")
    return " · ".join(parts)


def split_pressure(values: Mapping[str, str]) -> dict[str, str]:
    """`132/84` typed as the systolic value fills the diastolic one too (when it is empty or
    the same: a different diastolic typed apart is never overwritten; see `pressure_conflict`)."""
    out = dict(values)
    high, slash, low = out.get("systolic", "").partition("/")
    if slash and "diastolic" in out and not pressure_conflict(out):
        out["systolic"] = high.strip()
        if low.strip():
            out["diastolic"] = low.strip()
    return out


def pressure_conflict(values: Mapping[str, str]) -> str:
    """Why `150/95` typed in Systolic cannot go where it belongs ('' when it can)."""
    typed = values.get("systolic", "").strip()
    _, slash, low = typed.partition("/")
    if not slash:
        return ""
    if "diastolic" not in values:
        return f"Systolic holds {typed}, but this check has no diastolic: type the systolic alone."
    diastolic = values.get("diastolic", "").strip()
    if diastolic and low.strip() and diastolic != low.strip():
        return (f"Systolic says {typed} but Diastolic holds {diastolic}: "
                f"which diastolic? Correct one of them.")
    return ""



def field_problem(field: FormField, raw: str) -> str:
    """What is wrong with one typed value on its own ('' when nothing): words where a number
    belongs, a score off its scale. The plan checks again when saving."""
    raw = raw.strip()
    if not raw or (field.name == "systolic" and "/" in raw):
        return ""
    number = as_number(raw)
    if number is None:
        return f"{field.label}: {raw!r} is not a number."
    if field.minimum is not None and field.maximum is not None and not (
            field.minimum <= number <= field.maximum):
        return f"{field.label} is scored from {field.minimum:g} to {field.maximum:g}, not {raw}."
    return ""
