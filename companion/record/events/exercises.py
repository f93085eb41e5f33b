"""The exercises' events: breathing, 5-4-3-2-1 grounding, bilateral sets, distress ratings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from companion.record.events.event import NewEvent, new_event

BREATHING_STARTED = "breathing_started"
BREATHING_STOPPED = "breathing_stopped"
BREATHING_PAUSED = "breathing_paused"
BREATHING_RESUMED = "breathing_resumed"
GROUNDING_STARTED = "grounding_started"
GROUNDING_STEP = "grounding_step"
GROUNDING_ITEM = "grounding_item"
GROUNDING_ITEM_REMOVED = "grounding_item_removed"
GROUNDING_COMPLETED = "grounding_completed"
GROUNDING_STOPPED = "grounding_stopped"
DISTRESS_RATING = "distress_rating"
BILATERAL_STARTED = "bilateral_started"
BILATERAL_STOPPED = "bilateral_stopped"

_GROUNDING_OUTCOME = ("mode?, items? (per step, how many were noticed), skipped?, all_steps?, "
                      "duration?, rating_before?, rating_after?")

TYPES: Mapping[str, tuple[str, str]] = {
    BREATHING_STARTED: ("A breathing pattern began.",
                        "pattern (name), title?, cycles?, minutes?, reduced_motion?"),
    BREATHING_STOPPED: ("A breathing pattern ended or was stopped.",
                        "pattern, cycles_done?, duration?, completed? (bool), rating_before?, "
                        "rating_after?"),
    BREATHING_PAUSED: ("The breathing pacer was paused.", "pattern"),
    BREATHING_RESUMED: ("The breathing pacer went on after a pause.", "pattern"),
    GROUNDING_STARTED: ("The 5-4-3-2-1 grounding exercise began.",
                        "mode? (sitter/client), lang?"),
    GROUNDING_STEP: ("Grounding moved to a step (see, hear, feel, smell, taste, closing).",
                     "step, number?, count?, action? (start/done/next/back/skip/repeat/restart)"),
    GROUNDING_ITEM: ("Something the client noticed during grounding.",
                     "step, item?, count? (the step's), text?"),
    GROUNDING_ITEM_REMOVED: ("A noticed item was taken back.", "step, item?"),
    GROUNDING_COMPLETED: ("Grounding reached its end.", _GROUNDING_OUTCOME),
    GROUNDING_STOPPED: ("Grounding was left before its end.",
                        "step? (where it was left), " + _GROUNDING_OUTCOME),
    DISTRESS_RATING: ("A distress rating (0-10) the client gave.",
                      "rating, scale?, context? (breathing/grounding), moment? (before/after), "
                      "exercise? (bilateral, breathing), after_set? (the BLS set it follows), "
                      "note?, value?, when?, pattern? (the breathing pacer writes value for "
                      "rating and when for moment; readers accept both)"),
    BILATERAL_STARTED: ("A set of bilateral stimulation (BLS, EMDR) began.",
                        "set (number), preset, speed (cycles/s; one cycle = left then right), "
                        "passes_per_s, passes? (planned; null: by seconds or until stopped), "
                        "seconds?, sound (tone, click, music or a file), pan (hard, smooth), "
                        "sud_before?"),
    BILATERAL_STOPPED: ("A set of bilateral stimulation ended (its SUD after is the next "
                        "distress_rating with exercise bilateral).",
                        "set, preset, passes (done, counted from the sample clock), "
                        "planned_passes?, seconds (first pass to end), speeds (every speed "
                        "used, in order), speed (at the end), stopped_early, reason (end, "
                        "stopped, failed), sud_before?"),
}

SCALE = "0-10"


def breathing_started(pattern: str, title: str, cycles: int | None, minutes: float | None,
                      reduced_motion: bool) -> NewEvent:
    """`breathing_started`: the pattern, its planned length, and how the pacer was shown."""
    return NewEvent(BREATHING_STARTED, {"pattern": pattern, "title": title, "cycles": cycles,
                                        "minutes": minutes, "reduced_motion": reduced_motion})


def breathing_stopped(pattern: str, cycles_done: int, duration: float, completed: bool,
                      rating_before: int | None, rating_after: int | None) -> NewEvent:
    """`breathing_stopped`: how far it went, and the ratings given around it."""
    return NewEvent(BREATHING_STOPPED, {
        "pattern": pattern, "cycles_done": cycles_done, "duration": duration,
        "completed": completed, "rating_before": rating_before, "rating_after": rating_after})


def breathing_paused(pattern: str) -> NewEvent:
    """`breathing_paused`."""
    return NewEvent(BREATHING_PAUSED, {"pattern": pattern})


def breathing_resumed(pattern: str) -> NewEvent:
    """`breathing_resumed`."""
    return NewEvent(BREATHING_RESUMED, {"pattern": pattern})


def grounding_started(mode: str, lang: str) -> NewEvent:
    """`grounding_started`: who guides it (sitter or client) and in which language."""
    return NewEvent(GROUNDING_STARTED, {"mode": mode, "lang": lang})


def grounding_step(step: str, number: int, action: str, count: int | None = None) -> NewEvent:
    """`grounding_step`: the sense (or `closing`, which has no count) and how it was reached."""
    fields: dict[str, Any] = {"step": step, "number": number}
    if count is not None:
        fields["count"] = count
    fields["action"] = action
    return NewEvent(GROUNDING_STEP, fields)


def grounding_item(step: str, item: int, count: int, text: str = "") -> NewEvent:
    """`grounding_item`: the item's number in its step, with the client's words if any."""
    return new_event(GROUNDING_ITEM, {"step": step, "item": item, "count": count},
                     text=text or None)


def grounding_item_removed(step: str, item: int) -> NewEvent:
    """`grounding_item_removed`: the item taken back."""
    return NewEvent(GROUNDING_ITEM_REMOVED, {"step": step, "item": item})


def _outcome(summary: Mapping[str, Any]) -> dict[str, Any]:
    # The client's words and the language are for their journal, not the session record.
    return {k: v for k, v in summary.items() if k not in ("words", "lang")}


def grounding_completed(summary: Mapping[str, Any]) -> NewEvent:
    """`grounding_completed`, from the exercise's summary (`Grounding.summary()`)."""
    return NewEvent(GROUNDING_COMPLETED, _outcome(summary))


def grounding_stopped(step: str, summary: Mapping[str, Any]) -> NewEvent:
    """`grounding_stopped` at `step`, from the exercise's summary."""
    return NewEvent(GROUNDING_STOPPED, {"step": step, **_outcome(summary)})


def distress_rating(rating: int, *, context: str | None = None,
                    moment: str | None = None) -> NewEvent:
    """`distress_rating` on the 0-10 scale: `context` (the exercise) and `moment` (before or
    after it) when it belongs to one."""
    return new_event(DISTRESS_RATING, {"rating": rating, "scale": SCALE}, context=context,
                     moment=moment)


def sud_rating(rating: int, after_set: int | None, note: str | None = None) -> NewEvent:
    """`distress_rating` as the BLS panel writes it: the SUD after set `after_set`."""
    return new_event(DISTRESS_RATING, {"rating": rating, "scale": SCALE, "exercise": "bilateral",
                                       "after_set": after_set}, note=note or None)


def breathing_rating(moment: str, value: int, pattern: str) -> NewEvent:
    """`distress_rating` as the breathing pacer writes it (`value`, `when`: the older names
    readers accept for `rating`, `moment`)."""
    return NewEvent(DISTRESS_RATING, {"exercise": "breathing", "when": moment, "value": value,
                                      "pattern": pattern})


def bilateral_started(number: int, *, preset: str, speed: float, passes: int | None,
                      seconds: float | None, sound: str, pan: str,
                      sud_before: int | None) -> NewEvent:
    """`bilateral_started`: set `number` and how it sounds (passes/s follow from the speed)."""
    return NewEvent(BILATERAL_STARTED, {
        "set": number, "preset": preset, "speed": speed, "passes_per_s": round(2 * speed, 3),
        "passes": passes, "seconds": seconds, "sound": sound, "pan": pan,
        "sud_before": sud_before})


def bilateral_stopped(number: int, *, preset: str, passes: int, planned_passes: int | None,
                      seconds: float, speeds: Sequence[float], speed: float,
                      stopped_early: bool, reason: str, sud_before: int | None) -> NewEvent:
    """`bilateral_stopped`: set `number`, the passes heard, and every speed it ran at."""
    return NewEvent(BILATERAL_STOPPED, {
        "set": number, "preset": preset, "passes": passes, "planned_passes": planned_passes,
        "seconds": seconds, "speeds": speeds, "speed": speed, "stopped_early": stopped_early,
        "reason": reason, "sud_before": sud_before})
