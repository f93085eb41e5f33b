"""What the record says happened to the plan: the dose, reminders, checks, harbour, overrides.

`PlanMemory.replay(events)` rebuilds it from the record's events, through a table of one
handler per event type, so a tracker made after a crash (or after a correction) knows what
was done, put off and skipped; the tracker updates it as the sitter acts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from companion.plan.values import NOTE_VALUE_NAMES
from companion.record import events as ev
from companion.record.events import Event


@dataclass
class Done:
    """A planned item done or skipped: when, its values and marks, or why it was skipped."""

    at: float
    values: dict[str, Any] = field(default_factory=dict)
    marks: dict[str, str] = field(default_factory=dict)
    skipped: bool = False
    reason: str = ""


class PlanMemory:
    """The plan's state so far, from the record (all times in elapsed session seconds)."""

    def __init__(self, items: Iterable[str], dose: float | None = None) -> None:
        """`items`: the ids of the planned items (events about others are passed over)."""
        self.items = frozenset(items)
        self.dose = dose
        self.ready: float | None = None
        self.announced: dict[str, float] = {}
        """Item -> the due moment it was announced for (due again only after a put-off)."""
        self.put_off: dict[str, float] = {}
        """Item -> when its put-off ends."""
        self.finished: dict[str, Done] = {}
        self.missed: set[str] = set()
        """Items that fell due while the app was down."""
        self.last: dict[str, tuple[float, float]] = {}
        """Value name -> (the last value recorded, when)."""
        self.harbour_since: float | None = None
        self.overrides = 0
        self.resumed_at: float | None = None
        """When the session was last resumed after an interruption."""

    def replay(self, events: Iterable[Event], *, keep_dose: bool = False) -> None:
        """Take in the record's `events`; `keep_dose`: the dose given stands (the dose marks
        among them are passed over)."""
        for event in events:
            if keep_dose and event.type == ev.DOSE_MARKED:
                continue
            handler = _REPLAY.get(event.type)
            if handler is not None:
                handler(self, event)

    def remember(self, values: Mapping[str, Any], elapsed: float) -> None:
        """Keep the numbers among `values` as the last of each value name."""
        for name, value in values.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                self.last[name] = (value, elapsed)

    def planned(self, event: Event) -> str | None:
        """The planned item `event` is about, or None when it names none of them."""
        item = event.get("item")
        return item if item in self.items else None


def _dose_marked(memory: PlanMemory, event: Event) -> None:
    memory.dose = event.elapsed


def _reminder_due(memory: PlanMemory, event: Event) -> None:
    item = memory.planned(event)
    if item is not None:
        memory.announced[item] = event.elapsed


def _put_off(memory: PlanMemory, event: Event) -> None:
    item = memory.planned(event)
    if item is not None:
        memory.put_off[item] = float(event.get("until", event.elapsed))


def _check_done(memory: PlanMemory, event: Event) -> None:
    values = event.get("values") if isinstance(event.get("values"), dict) else {}
    item = memory.planned(event)
    if item is not None:
        memory.finished[item] = Done(event.elapsed, dict(values), dict(event.get("marks") or {}))
    memory.remember(values, event.elapsed)


def _note(memory: PlanMemory, event: Event) -> None:
    vitals = event.get("vitals")
    if isinstance(vitals, dict):
        memory.remember({NOTE_VALUE_NAMES[k]: v for k, v in vitals.items()
                         if k in NOTE_VALUE_NAMES}, event.elapsed)


def _skipped(memory: PlanMemory, event: Event) -> None:
    item = memory.planned(event)
    if item is not None:
        memory.finished[item] = Done(event.elapsed, skipped=True,
                                     reason=str(event.get("reason") or ""))


def _ready(memory: PlanMemory, event: Event) -> None:
    memory.ready = event.elapsed


def _override(memory: PlanMemory, event: Event) -> None:
    memory.overrides += 1


def _harbour(memory: PlanMemory, event: Event) -> None:
    memory.harbour_since = event.elapsed if event.type == ev.HARBOUR_STARTED else None


def _resumed(memory: PlanMemory, event: Event) -> None:
    memory.resumed_at = event.elapsed
    memory.harbour_since = None  # the music starts afresh after a crash


_REPLAY: Mapping[str, Callable[[PlanMemory, Event], None]] = {
    ev.DOSE_MARKED: _dose_marked,
    ev.REMINDER_DUE: _reminder_due,
    ev.REMINDER_PUT_OFF: _put_off,
    ev.VITALS_DONE: _check_done,
    ev.CHECKIN_DONE: _check_done,
    ev.NOTE: _note,
    ev.REMINDER_SKIPPED: _skipped,
    ev.READY_TO_LEAVE: _ready,
    ev.OBSERVATION_OVERRIDE: _override,
    ev.HARBOUR_STARTED: _harbour,
    ev.HARBOUR_STOPPED: _harbour,
    ev.SESSION_RESUMED: _resumed,
}
"""Event type -> what it tells the plan."""
