"""How the reports say times and values: clock times, lengths, lateness, Markdown-safe text."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from companion.clock import clock_text, duration_text



def local_time(event_t: str, fmt: str = "%H:%M:%S") -> str:
    """An event's `t` as local clock time (the text itself when it is not a time)."""
    try:
        return datetime.fromisoformat(event_t).strftime(fmt)
    except ValueError:
        return event_t


def length_text(seconds: Any) -> str:
    """`duration_text` for a number read from a record; '?' for anything else."""
    return duration_text(seconds) if isinstance(seconds, (int, float)) else "?"


def late_text(seconds: Any) -> str:
    """`on time`, `5 min late`, `2 min early`."""
    if not isinstance(seconds, (int, float)) or abs(seconds) < 1:
        return "on time"
    return f"{duration_text(seconds)} {'late' if seconds > 0 else 'early'}"


def when_done(f: Mapping[str, Any]) -> str:
    """How a done check sat against its time: late or early, or, for a check planned before
    the dose, only whether it was taken after the dose (it cannot be late for a dose that
    has not happened)."""
    if isinstance(f.get("after_dose"), (int, float)):
        return f" (taken {duration_text(f['after_dose'])} after the dose)"
    return f" ({late_text(f['late'])})" if "late" in f else ""


def since_dose_text(elapsed: float, dose: float | None) -> str:
    """`+H:MM:SS` after the dose, '' before it or when no dose was marked."""
    return "" if dose is None or elapsed < dose else "+" + clock_text(elapsed - dose)


def moment_text(elapsed: float | None, dose: float | None) -> str:
    """`+0:15:00` after the dose, `0:05:00 from start` before it, '' for None."""
    if elapsed is None:
        return ""
    if dose is not None and elapsed >= dose:
        return "+" + clock_text(elapsed - dose)
    return f"{clock_text(elapsed)} from start"


def md(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
