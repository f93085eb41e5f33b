"""The plan in the room, read back from a session record: the schedule against what was done.

Pure functions of a `ReadResult`, for the reports: each planned item with its due time,
when it was done, how late, its values and marks (`plan_rows`), the stays in the safe
harbour (`harbours`), and the minimum observation, "ready to leave", overrides and
integration prompts (`monitoring`). The schedule comes from the `plan_loaded` event.
The vitals readings themselves are `companion.record.vitals.recorded`'s (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from companion.record import events as ev
from companion.record.events import Event
from companion.record.reader import ReadResult
from companion.record.vitals.recorded import (Reading, reading_dict, readings_in, values_text,
                                              vitals_readings)

__all__ = [
    "Harbour", "PlanRow", "Reading", "harbours", "monitoring", "plan_of", "plan_rows",
    "reading_dict", "readings_in", "ready_elapsed", "row_dict", "values_text",
    "vitals_readings",
]


@dataclass(frozen=True)
class PlanRow:
    """One planned (or unscheduled) vitals check or check-in, against the schedule."""

    title: str
    kind: str
    item: str | None = None
    due: float | None = None
    """Elapsed seconds it fell due (None: never, e.g. the dose was not marked)."""
    done: float | None = None
    late: float | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    marks: Mapping[str, str] = field(default_factory=dict)
    outcome: str = "done"
    """done, skipped (with the reason), not done, or unscheduled."""
    put_offs: int = 0
    after_dose: float | None = None
    """A check planned before the dose and taken after it: seconds after the dose (it has no
    `late`, since a check cannot be late for a dose that had not happened)."""


@dataclass(frozen=True)
class Harbour:
    """One stay in the safe harbour: when, how long, and how it ended."""

    start: float
    length: float
    title: str = ""
    ended_by: str = ""


def plan_of(result: ReadResult) -> Event | None:
    """The session's `plan_loaded` event (the last one), or None."""
    found = list(result.of_type(ev.PLAN_LOADED))
    return found[-1] if found else None


def ready_elapsed(result: ReadResult) -> float | None:
    """Elapsed seconds of the last "ready to leave", or None."""
    found = [e.elapsed for e in result.of_type(ev.READY_TO_LEAVE)]
    return found[-1] if found else None


def plan_rows(result: ReadResult) -> list[PlanRow]:
    """Every planned item with what happened to it, then vitals taken outside the schedule."""
    from companion.playlist.model import due_elapsed

    plan = plan_of(result)
    schedule = plan.get("schedule") if plan is not None else None
    minimum = plan.get("min_observation_minutes") if plan is not None else None
    dose, ready = result.dose_elapsed, ready_elapsed(result)
    finished: dict[str, Event] = {}
    put_offs: dict[str, int] = {}
    extra: list[PlanRow] = []
    for event in result.of_type(ev.VITALS_DONE, ev.CHECKIN_DONE, ev.REMINDER_SKIPPED,
                                ev.REMINDER_PUT_OFF):
        item = event.get("item")
        if event.type == ev.REMINDER_PUT_OFF:
            put_offs[item] = put_offs.get(item, 0) + 1
        elif item:
            finished[item] = event
        else:
            extra.append(PlanRow(str(event.get("title", "Vitals")), "vitals", None, None,
                                 event.elapsed, None, _dict(event.get("values")),
                                 _dict(event.get("marks")), "unscheduled"))
    rows = []
    for entry in schedule if isinstance(schedule, list) else []:
        if not isinstance(entry, dict):
            continue
        ident = entry.get("id")
        try:
            due = due_elapsed(str(entry.get("anchor")), float(entry.get("minutes", 0)),
                              dose=dose, ready=ready, min_observation_minutes=minimum)
        except (TypeError, ValueError):
            due = None
        event = finished.pop(ident, None)
        base = dict(title=str(entry.get("title", ident)), kind=str(entry.get("kind", "")),
                    item=ident, put_offs=put_offs.get(ident, 0))
        if event is None:
            rows.append(PlanRow(**base, due=due, outcome="not done"))
        elif event.type == ev.REMINDER_SKIPPED:
            reason = event.get("reason")
            rows.append(PlanRow(**base, due=event.get("due", due), done=event.elapsed,
                                outcome="skipped" + (f": {reason}" if reason else "")))
        elif entry.get("anchor") == "start":
            after = event.elapsed - dose if dose is not None and event.elapsed > dose else None
            rows.append(PlanRow(**base, due=event.get("due", due), done=event.elapsed,
                                after_dose=after, values=_dict(event.get("values")),
                                marks=_dict(event.get("marks"))))
        else:
            due = event.get("due", due)
            late = event.get("late", event.elapsed - due if due is not None else None)
            rows.append(PlanRow(**base, due=due, done=event.elapsed, late=late,
                                values=_dict(event.get("values")),
                                marks=_dict(event.get("marks"))))
    for event in finished.values():  # done items the plan no longer lists
        rows.append(PlanRow(str(event.get("title", "?")), "", event.get("item"),
                            event.get("due"), event.elapsed, event.get("late"),
                            _dict(event.get("values")), _dict(event.get("marks"))))
    return rows + extra


def _dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def harbours(result: ReadResult) -> list[Harbour]:
    """Each stay in the safe harbour; one still open ends at a resume or the record's end."""
    found: list[Harbour] = []
    open_start: Event | None = None
    for event in result.events:
        if event.type == ev.HARBOUR_STARTED and open_start is None:
            open_start = event
        elif open_start is not None and event.type in (ev.HARBOUR_STOPPED, ev.SESSION_RESUMED,
                                                       ev.SESSION_ENDED):
            ended_by = {ev.HARBOUR_STOPPED: str(event.get("reason") or "key"),
                        ev.SESSION_RESUMED: "interruption",
                        ev.SESSION_ENDED: "session end"}[event.type]
            found.append(Harbour(open_start.elapsed, event.elapsed - open_start.elapsed,
                                 str(open_start.get("title") or ""), ended_by))
            open_start = None
    if open_start is not None:
        found.append(Harbour(open_start.elapsed, result.duration - open_start.elapsed,
                             str(open_start.get("title") or ""), "record ends"))
    return found


def monitoring(result: ReadResult) -> dict[str, Any]:
    """Minimum observation, dose to end of monitoring, "ready to leave" and the overrides."""
    plan = plan_of(result)
    minimum = plan.get("min_observation_minutes") if plan is not None else None
    dose, ready = result.dose_elapsed, ready_elapsed(result)
    ended = next(result.of_type(ev.SESSION_ENDED), None)
    end = ready if ready is not None else (ended.elapsed if ended else result.duration)
    return {
        "min_observation_minutes": minimum,
        "dose_elapsed": dose,
        "ready_to_leave": ready,
        "end_of_monitoring": end,
        "monitored_minutes": round((end - dose) / 60, 1) if dose is not None else None,
        "overrides": [{"elapsed": e.elapsed, "reason": e.get("reason"),
                       "observation_left": e.get("observation_left")}
                      for e in result.of_type(ev.OBSERVATION_OVERRIDE)],
        "integration_prompts": list(plan.get("integration_prompts") or []) if plan else [],
    }


def row_dict(row: PlanRow) -> dict[str, Any]:
    """A PlanRow as JSON-ready data."""
    return {"item": row.item, "title": row.title, "kind": row.kind, "due": row.due,
            "done": row.done, "late": row.late, "values": dict(row.values),
            "marks": dict(row.marks), "outcome": row.outcome, "put_offs": row.put_offs,
            "after_dose": row.after_dose}
