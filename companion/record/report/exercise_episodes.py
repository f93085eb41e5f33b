"""Exercise runs read back from a record (breathing, grounding, BLS sets), with the distress
ratings just before and after each; how each kind of run is found and named is a table."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from companion.record import events as ev
from companion.record.events import Event
from companion.record.reader import ReadResult
from companion.record.report.descriptions import rating_moment, rating_value
from companion.wording import counted


@dataclass(frozen=True)
class Rating:
    """A 0-10 distress rating and when it was given (elapsed seconds, if known)."""

    value: Any
    elapsed: float | None = None


@dataclass(frozen=True)
class Episode:
    """One breathing or grounding run, with the distress ratings just before and after."""

    kind: str
    name: str
    start: float
    end: float | None
    outcome: str
    before: Rating | None
    after: Rating | None


RATING_WINDOW = 15 * 60.0
"""A rating counts as "before"/"after" a run only within this many seconds of it."""


@dataclass(frozen=True)
class _Exercise:
    """How one kind of run is found in the record and said in the report."""

    kind: str
    ends: tuple[str, ...]
    """The event types that end a run of this kind."""
    name: Callable[[Event, Event | None], str]
    """The run's name, from its start and end events."""
    outcome: Callable[[Event], str]
    """How it went, from its end event."""


def _breathing_outcome(end: Event) -> str:
    cycles = end.get("cycles_done")
    done = "completed" if end.get("completed") else "stopped"
    return f"{done}, {counted(cycles, 'cycle')}" if cycles is not None else done


def _bilateral_name(start: Event, end: Event | None) -> str:
    speeds = (end.get("speeds") if end is not None else None) or [start.get("speed")]
    return (f"{start.get('preset', 'BLS')}, "
            + " → ".join(f"{s:.1f}" for s in speeds if s is not None) + " cycles/s")


def _bilateral_outcome(end: Event) -> str:
    how = "stopped early" if end.get("stopped_early") else "completed"
    return f"{how}, {counted(end.get('passes', '?'), 'pass', 'passes')}"


EXERCISES: Mapping[str, _Exercise] = {
    ev.BREATHING_STARTED: _Exercise(
        "breathing", (ev.BREATHING_STOPPED,),
        lambda start, _end: str(start.get("title") or start.get("pattern") or "breathing"),
        _breathing_outcome),
    ev.GROUNDING_STARTED: _Exercise(
        "grounding", (ev.GROUNDING_COMPLETED, ev.GROUNDING_STOPPED),
        lambda start, _end: "5-4-3-2-1" + (f" ({start.get('mode')})" if start.get("mode")
                                           else ""),
        lambda end: "completed" if end.type == ev.GROUNDING_COMPLETED else "stopped early"),
    ev.BILATERAL_STARTED: _Exercise("bilateral", (ev.BILATERAL_STOPPED,), _bilateral_name,
                                    _bilateral_outcome),
}
"""The event that starts a run -> its kind of exercise."""
_KIND_ENDED_BY = {end: exercise.kind for exercise in EXERCISES.values() for end in exercise.ends}


@dataclass
class _Run:
    exercise: _Exercise
    start: Event
    end: Event | None = None


def _runs(result: ReadResult) -> list[_Run]:
    """Every run in the record, in order; a run still open when the next of its kind starts
    stays without an end."""
    runs: list[_Run] = []
    open_runs: dict[str, _Run] = {}
    for event in result.events:
        exercise = EXERCISES.get(event.type)
        if exercise is not None:
            run = open_runs[exercise.kind] = _Run(exercise, event)
            runs.append(run)
        elif _KIND_ENDED_BY.get(event.type) in open_runs:
            open_runs.pop(_KIND_ENDED_BY[event.type]).end = event
    return runs


def episodes(result: ReadResult) -> list[Episode]:
    """Breathing and grounding runs with their before/after distress ratings.

    "Before" is the last rating in the RATING_WINDOW before the run started (and after the
    previous run ended); "after" the first rating in the window after it ended (and before
    the next run). A rating marked as the other moment (`moment`/`when`) is not taken;
    failing a rating event, the run's own `rating_before`/`rating_after` fields are used.
    """
    runs = _runs(result)
    ratings = list(result.of_type(ev.DISTRESS_RATING))
    out = []
    for index, run in enumerate(runs):
        start, end = run.start, run.end
        previous_end = max((r.end.elapsed for r in runs[:index] if r.end is not None),
                           default=float("-inf"))
        next_start = runs[index + 1].start.elapsed if index + 1 < len(runs) else float("inf")
        before = [r for r in ratings if rating_moment(r) != "after"
                  and max(previous_end, start.elapsed - RATING_WINDOW) <= r.elapsed
                  <= start.elapsed]
        after = [r for r in ratings if end is not None and rating_moment(r) != "before"
                 and end.elapsed <= r.elapsed < min(next_start, end.elapsed + RATING_WINDOW)]
        out.append(Episode(kind=run.exercise.kind, name=run.exercise.name(start, end),
                           start=start.elapsed, end=end.elapsed if end else None,
                           outcome="not ended" if end is None else run.exercise.outcome(end),
                           before=_pick(before[-1:], end, "rating_before"),
                           after=_pick(after[:1], end, "rating_after")))
    return out


def _pick(events: list[Event], end: Event | None, field: str) -> Rating | None:
    if events:
        return Rating(rating_value(events[0]), events[0].elapsed)
    if end is not None and end.get(field) is not None:
        return Rating(end.get(field))
    return None
