"""How the session screen writes vitals and what is up next (times: `companion.clock`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from companion.clock import format_clock
from companion.record.vitals.readings import READING_LABELS

if TYPE_CHECKING:
    from companion.session.player import Upcoming


def vitals_text(values: Mapping[str, Any]) -> str:
    """Recorded values as a sitter writes them: `BP 132/84 HR 78 SpO2 98 moaa-s 5`."""
    values = dict(values)
    parts = []
    if "systolic" in values or "diastolic" in values:
        parts.append(f"BP {_number(values.pop('systolic', '?'))}/"
                     f"{_number(values.pop('diastolic', '?'))}")
    parts += [f"{READING_LABELS.get(name, name)} {_number(value)}" for name, value in values.items()]
    return " ".join(parts) or "(no readings)"


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def up_next_text(upcoming: Upcoming | None, phase_names: list[str], elapsed: float) -> str | None:
    """What "Up next" says, from the player's `Upcoming`: the track that will really play,
    saying so when the phase loops (`Softening again (loops) · then Open sky (Peak) at
    0:25:00`) and when a new phase starts (`Open sky (Peak, at 0:25:00)`)."""
    if upcoming is None:
        return None

    def phase_name(index: int | None) -> str:
        return phase_names[index] if index is not None and 0 <= index < len(phase_names) else ""

    at = None if upcoming.phase_left is None else format_clock(elapsed + upcoming.phase_left)
    if upcoming.repeats:
        text = f"{upcoming.title} again (loops)"
        if upcoming.then_title is None:
            return text + " to the end"
        when = f"at {at}" if at is not None else "after the dose"
        return f"{text} · then {upcoming.then_title} ({phase_name(upcoming.then_phase)}) {when}"
    if not upcoming.starts_phase:
        return str(upcoming.title)
    if at is not None:
        return f"{upcoming.title} ({phase_name(upcoming.phase)}, at {at})"
    return f"{upcoming.title} ({phase_name(upcoming.phase)})"
