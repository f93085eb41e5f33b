"""The plan in the room's events: the plan itself, reminders, checks, leaving, harbour, landing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from companion.record.events.event import NewEvent, new_event

if TYPE_CHECKING:
    from companion.playlist.model import Plan, PlanItem

PLAN_LOADED = "plan_loaded"
REMINDER_DUE = "reminder_due"
REMINDER_PUT_OFF = "reminder_put_off"
REMINDER_SKIPPED = "reminder_skipped"
VITALS_DONE = "vitals_done"
CHECKIN_DONE = "checkin_done"
READY_TO_LEAVE = "ready_to_leave"
OBSERVATION_OVERRIDE = "observation_override"
HARBOUR_STARTED = "harbour_started"
HARBOUR_STOPPED = "harbour_stopped"
LANDING_STARTED = "landing_started"

TYPES: Mapping[str, tuple[str, str]] = {
    PLAN_LOADED: ("The playlist's plan in the room, as it was when the session began (the "
                  "report's schedule and integration prompts come from here).",
                  "schedule (list of {id, kind, title, anchor: start/dose/leaving, minutes, "
                  "readings?, words?, phase?}), min_observation_minutes?, ranges? ({value: "
                  "[low, high]}, null for an open end), scales? ({name: {title, min, max}}), "
                  "integration_prompts?, harbour? ({title?, fade, level}), landing? ({fade, "
                  "after?})"),
    REMINDER_DUE: ("A planned check-in or vitals reminder came due (again, after a put-off).",
                   "item (id), kind (vitals/check_in), title, due (elapsed seconds it fell "
                   "due), since_dose?, again? (after a put-off), missed? (fell due while the "
                   "app was down)"),
    REMINDER_PUT_OFF: ("The sitter put a reminder off for a few minutes.",
                       "item, title, minutes, until (elapsed seconds)"),
    REMINDER_SKIPPED: ("The sitter skipped a planned item.", "item, title, reason?, due?"),
    VITALS_DONE: ("Vitals were taken (a planned check, or unscheduled without `item`).",
                  "item?, title, values ({systolic, diastolic, hr, spo2, rr, temp, or a "
                  "scale's name: number}), marks? ({value: low/high} against the plan's "
                  "ranges), missing? (readings not taken), due?, late? (seconds after due; "
                  "negative: early; none for a check before the dose), after_dose? (a "
                  "check before the dose taken after it: seconds after the dose), note?"),
    CHECKIN_DONE: ("A planned check-in was done.",
                   "item, title, due?, late?, after_dose?, note?"),
    READY_TO_LEAVE: ("The sitter marked the client ready to leave.",
                     "since_dose?, observation_left (seconds of minimum observation still to "
                     "go, 0 when met), open? (ids of planned items not done), note?"),
    OBSERVATION_OVERRIDE: ("The session was ended before the minimum observation time, with "
                           "the sitter's reason.",
                           "reason, observation_left (seconds), since_dose?, "
                           "min_observation_minutes"),
    HARBOUR_STARTED: ("The safe harbour key: the music faded to the harbour track and "
                      "grounding opened.", "title? (harbour track), fade, level"),
    HARBOUR_STOPPED: ("Left the safe harbour: the phase's music faded back in.",
                      "reason? (key, grounding_done, ending), length? (seconds)"),
    LANDING_STARTED: ("The soft landing: the music's last fade began.",
                      "fade (seconds), after? (title of what plays after), reason? "
                      "(last_phase, ended)"),
}


def plan_loaded(plan: Plan) -> NewEvent:
    """`plan_loaded`: the schedule and what the report needs of the plan."""
    fields: dict[str, Any] = {"schedule": [_item_fields(item) for item in plan.schedule]}
    if plan.min_observation_minutes is not None:
        fields["min_observation_minutes"] = plan.min_observation_minutes
    if plan.ranges:
        fields["ranges"] = {name: [r.low, r.high] for name, r in plan.ranges.items()}
    if plan.scales:
        fields["scales"] = {name: {"title": s.title, "min": s.minimum, "max": s.maximum}
                            for name, s in plan.scales.items()}
    if plan.integration_prompts:
        fields["integration_prompts"] = list(plan.integration_prompts)
    harbour = {"fade": plan.harbour.fade, "level": plan.harbour.level}
    if plan.harbour.track is not None:
        harbour["title"] = plan.harbour.track.title
    fields["harbour"] = harbour
    landing: dict[str, Any] = {"fade": plan.landing.fade}
    if plan.landing.after is not None:
        landing["after"] = plan.landing.after.title
    fields["landing"] = landing
    return NewEvent(PLAN_LOADED, fields)


def _item_fields(item: PlanItem) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item.id, "kind": item.kind, "title": item.title,
                           "anchor": item.anchor, "minutes": item.minutes}
    if item.readings:
        out["readings"] = list(item.readings)
    if item.words:
        out["words"] = item.words
    if item.phase:
        out["phase"] = item.phase
    return out


def reminder_due(item: str, kind: str, title: str, due: float | None, *,
                 since_dose: float | None = None, again: bool = False,
                 missed: bool = False) -> NewEvent:
    """`reminder_due`: `again` after a put-off, `missed` when it fell due while the app was down."""
    return new_event(REMINDER_DUE, {"item": item, "kind": kind, "title": title, "due": due},
                     since_dose=since_dose, again=again or None, missed=missed or None)


def reminder_put_off(item: str, title: str, minutes: float, until: float) -> NewEvent:
    """`reminder_put_off` for `minutes`, until elapsed second `until`."""
    return NewEvent(REMINDER_PUT_OFF, {"item": item, "title": title, "minutes": minutes,
                                       "until": until})


def reminder_skipped(item: str, title: str, reason: str = "",
                     due: float | None = None) -> NewEvent:
    """`reminder_skipped`, with the sitter's reason."""
    return new_event(REMINDER_SKIPPED, {"item": item, "title": title}, reason=reason or None,
                     due=due)


def _done_fields(fields: dict[str, Any], due: float | None, late: float | None,
                 after_dose: float | None, note: str) -> dict[str, Any]:
    """A done check's timing (`late`, or `after_dose` for a check planned before the dose)."""
    if due is not None:
        fields["due"] = due
    if late is not None:
        fields["late"] = late
    if after_dose is not None:
        fields["after_dose"] = after_dose
    if note:
        fields["note"] = note
    return fields


def vitals_done(title: str, values: Mapping[str, Any], *, item: str | None = None,
                marks: Mapping[str, str] | None = None, missing: Sequence[str] = (),
                due: float | None = None, late: float | None = None,
                after_dose: float | None = None, note: str = "") -> NewEvent:
    """`vitals_done`: a planned check (`item`) or vitals taken outside the plan (no `item`)."""
    fields: dict[str, Any] = {} if item is None else {"item": item}
    fields.update(title=title, values=values)
    if marks:
        fields["marks"] = marks
    if missing:
        fields["missing"] = missing
    return NewEvent(VITALS_DONE, _done_fields(fields, due, late, after_dose, note))


def checkin_done(item: str, title: str, *, due: float | None = None, late: float | None = None,
                 after_dose: float | None = None, note: str = "") -> NewEvent:
    """`checkin_done` for a planned check-in."""
    fields: dict[str, Any] = {"item": item, "title": title}
    return NewEvent(CHECKIN_DONE, _done_fields(fields, due, late, after_dose, note))


def ready_to_leave(observation_left: float, *, since_dose: float | None = None,
                   open_items: Sequence[str] = (), note: str = "") -> NewEvent:
    """`ready_to_leave`: the minimum observation left, and the planned items still open."""
    return new_event(READY_TO_LEAVE, {"observation_left": observation_left},
                     since_dose=since_dose, open=open_items or None, note=note or None)


def observation_override(reason: str, observation_left: float,
                         min_observation_minutes: float | None,
                         since_dose: float | None = None) -> NewEvent:
    """`observation_override`: ending before the minimum observation time, and why."""
    return new_event(OBSERVATION_OVERRIDE,
                     {"reason": reason, "observation_left": observation_left,
                      "min_observation_minutes": min_observation_minutes},
                     since_dose=since_dose)


def harbour_started(fade: float, level: float, title: str | None = None) -> NewEvent:
    """`harbour_started`: the fade, the level and the harbour track's title."""
    return new_event(HARBOUR_STARTED, {"fade": fade, "level": level}, title=title)


def harbour_stopped(reason: str, length: float | None = None) -> NewEvent:
    """`harbour_stopped`: why (`key`, `grounding_done`, `ending`) and after how long."""
    return new_event(HARBOUR_STOPPED, {"reason": reason}, length=length)


def landing_started(fade: float, reason: str, after: str | None = None) -> NewEvent:
    """`landing_started`: the last fade, why (`last_phase`, `ended`), and what plays after."""
    return new_event(LANDING_STARTED, {"fade": fade, "reason": reason}, after=after)
