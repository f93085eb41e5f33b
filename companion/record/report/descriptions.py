"""Each event in one plain line (the timelines and `log show`): a table of describers by type.

An event type without a describer of its own is said by its `EVENT_TYPES` meaning (or its
name, for a type newer than this app) followed by its simple fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from companion.clock import duration_text
from companion.record import events as ev
from companion.record.events import Event
from companion.record.vitals.recorded import values_text
from companion.record.report.words import clock_text, length_text, local_time, when_done
from companion.wording import counted

Describer = Callable[[Event], str]


def describe(event: Event) -> str:
    """One plain line saying what happened (used by the timeline and `log show`)."""
    describer = DESCRIBERS.get(event.type)
    if describer is not None:
        return describer(event)
    meaning = ev.EVENT_TYPES.get(event.type)
    title = meaning[0].rstrip(".") if meaning else event.type.replace("_", " ").capitalize()
    return _with_fields(title, event)


def _with_fields(title: str, event: Event) -> str:
    details = ", ".join(f"{k} {v}" for k, v in event.fields.items()
                        if not isinstance(v, (dict, list)))
    return f"{title} ({details})" if details else title


def rating_value(event: Event) -> Any:
    """A distress_rating event's value (`rating`, or `value` as some screens write it)."""
    return event.get("rating", event.get("value"))


def rating_moment(event: Event) -> str | None:
    """A distress_rating's moment, `before` or `after` (`moment`, or the older `when`)."""
    return event.get("moment", event.get("when"))


def _if(text: str, value: Any) -> str:
    """`text` with `{}` filled by `value` when it is given, else ''."""
    return text.format(value) if value else ""


def _session_started(e: Event) -> str:
    return (f"Session started (playlist {e.get('playlist_name', '?')!s}"
            + _if(", client {}", e.get("client_code")) + ")")


def _session_resumed(e: Event) -> str:
    return (f"Session resumed after an interruption of {length_text(e.get('gap'))}"
            + (" (a cut-off last line was set aside)" if e.get("torn_tail") else ""))


def _track_started(e: Event) -> str:
    position = e.get("position")  # a resumed session's track goes on from where it was
    return f"Track started: {e.get('title', '?')}" + (f" (from {clock_text(position)})"
                                                       if position else "")


def _breathing_stopped(e: Event) -> str:
    cycles = (f" after {counted(e.get('cycles_done'), 'cycle')}"
              if e.get("cycles_done") is not None else "")
    return f"Breathing stopped: {e.get('title') or e.get('pattern', '?')}{cycles}"


def _bilateral_stopped(e: Event) -> str:
    how = "stopped early" if e.get("stopped_early") else "ended"
    passes = counted(e.get("passes", "?"), "pass", "passes")
    return f"BLS set {e.get('set', '?')} {how} after {passes}"


def _distress_rating(e: Event) -> str:
    context = " ".join(str(v) for v in (rating_moment(e), e.get("context", e.get("exercise")))
                       if v)
    return f"Distress rating {rating_value(e)}/10" + _if(" ({})", context)


def _audio_output(e: Event) -> str:
    reason = e.get("reason")
    asked = reason == "audio output set to none"  # chosen, not a fault: say it once
    return f"Audio output: {e.get('backend', '?')}" + ("" if asked else _if(" ({})", reason))


_ENTRY_WORDS = {ev.VITALS_DONE: "vitals reading", ev.NOTE: "note", ev.DOSE_MARKED: "dose mark",
                ev.READY_TO_LEAVE: "ready-to-leave mark", ev.CORRECTION: "correction"}


def _correction(e: Event) -> str:
    """A correction event in words: what it did to which line, and why."""
    target = e.get("target_type")
    what = _ENTRY_WORDS.get(str(target), str(e.get("target_type", "entry")))
    verb = "Struck" if e.get("action") == ev.STRIKE else "Corrected"
    when = f" written at {local_time(str(e.get('target_t')))}" if e.get("target_t") else ""
    return (f"{verb} the {what}{when} (line {e.get('corrects', '?')})"
            + _if(": {}", e.get("reason")) + _if(" — NOT applied: {}", e.get("unapplied")))


def _plan_loaded(e: Event) -> str:
    minimum = e.get("min_observation_minutes")
    return (f"Plan: {counted(len(e.get('schedule') or []), 'planned check')}"
            + (f", minimum observation {duration_text(minimum * 60)}"
               if isinstance(minimum, (int, float)) else ""))


def _reminder_due(e: Event) -> str:
    return (f"Due: {e.get('title', '?')}" + (" (again)" if e.get("again") else "")
            + (" (fell due while the app was closed)" if e.get("missed") else ""))


def _reminder_put_off(e: Event) -> str:
    minutes = e.get("minutes")
    length = length_text(minutes * 60 if isinstance(minutes, (int, float)) else None)
    return f"Put off {length}: {e.get('title', '?')}"


def _vitals_done(e: Event) -> str:
    when = when_done(e.fields) or ("" if e.get("item") else " (unscheduled)")
    return f"{e.get('title', 'Vitals')}: {values_text(e.get('values')) or 'no readings'}{when}"


def _ready_to_leave(e: Event) -> str:
    left = e.get("observation_left")
    return "Client ready to leave" + (f" ({duration_text(left)} of minimum observation left)"
                                      if isinstance(left, (int, float)) and left > 0 else "")


def _observation_override(e: Event) -> str:
    left = e.get("observation_left")
    early = f" ({duration_text(left)} early)" if isinstance(left, (int, float)) else ""
    return f"Ended before the minimum observation time{early}: {e.get('reason', '')}"


def _harbour_stopped(e: Event) -> str:
    length = e.get("length")
    return "Left the safe harbour" + (f" after {duration_text(length)}"
                                      if isinstance(length, (int, float)) else "")


DESCRIBERS: Mapping[str, Describer] = {
    ev.SESSION_STARTED: _session_started,
    ev.SESSION_RESUMED: _session_resumed,
    ev.SESSION_ENDED: lambda e: "Session ended" + _if(": {}", e.get("note")),
    ev.DOSE_MARKED: lambda e: "Dose marked" + _if(": {}", e.get("note")),
    ev.PHASE_CHANGED: lambda e: f"Phase: {e.get('name', e.get('phase', '?'))}",
    ev.TRACK_STARTED: _track_started,
    ev.TRACK_ENDED: lambda e: f"Track ended: {e.get('title', '?')}",
    ev.TRACK_SKIPPED: lambda e: f"Track skipped: {e.get('title', '?')}",
    ev.TRACK_POSITION: lambda e: (f"Music at {clock_text(e.get('position'))} of "
                                  f"{e.get('title', '?')}"),
    ev.TRACK_FAILED: lambda e: (f"Track could not play: {e.get('title', '?')} "
                                f"({e.get('reason', 'no reason')})"),
    ev.VOLUME_CHANGED: lambda e: f"Volume {e.get('volume', '?')}%",
    ev.PAUSED: lambda e: "Paused",
    ev.RESUMED: lambda e: "Playback resumed",
    ev.HOLDING_STARTED: lambda e: "Holding track" + _if(": {}", e.get("title")),
    ev.HOLDING_STOPPED: lambda e: "Holding track stopped",
    ev.AUDIO_OUTPUT: _audio_output,
    ev.SOUND_CHECK: lambda e: _with_fields("Sound check", e),
    ev.BREATHING_STARTED: lambda e: (f"Breathing started: "
                                     f"{e.get('title') or e.get('pattern', '?')}"),
    ev.BREATHING_STOPPED: _breathing_stopped,
    ev.GROUNDING_STARTED: lambda e: "Grounding started" + _if(" ({} mode)", e.get("mode")),
    ev.GROUNDING_STEP: lambda e: f"Grounding step: {e.get('step', '?')}",
    ev.GROUNDING_ITEM: lambda e: (f"Grounding ({e.get('step', '?')}): "
                                  f"{e.get('text', '')}").rstrip(": "),
    ev.GROUNDING_COMPLETED: lambda e: "Grounding completed",
    ev.GROUNDING_STOPPED: lambda e: "Grounding stopped" + _if(" at {}", e.get("step")),
    ev.BILATERAL_STARTED: lambda e: (f"BLS set {e.get('set', '?')} started: "
                                     f"{e.get('preset', '?')}, {e.get('speed', '?')} cycles/s"),
    ev.BILATERAL_STOPPED: _bilateral_stopped,
    ev.DISTRESS_RATING: _distress_rating,
    ev.NOTE: lambda e: f"Note [{e.get('tag', 'other')}]: {e.get('text', '')}",
    ev.CORRECTION: _correction,
    ev.PLAN_LOADED: _plan_loaded,
    ev.REMINDER_DUE: _reminder_due,
    ev.REMINDER_PUT_OFF: _reminder_put_off,
    ev.REMINDER_SKIPPED: lambda e: f"Skipped: {e.get('title', '?')}" + _if(" ({})",
                                                                           e.get("reason")),
    ev.VITALS_DONE: _vitals_done,
    ev.CHECKIN_DONE: lambda e: f"Done: {e.get('title', '?')}" + when_done(e.fields),
    ev.READY_TO_LEAVE: _ready_to_leave,
    ev.OBSERVATION_OVERRIDE: _observation_override,
    ev.HARBOUR_STARTED: lambda e: "Safe harbour" + _if(": {}", e.get("title")),
    ev.HARBOUR_STOPPED: _harbour_stopped,
    ev.LANDING_STARTED: lambda e: f"Landing: the music fades over {length_text(e.get('fade'))}",
    ev.WRITE_ERROR: lambda e: (f"Disk write failed ({e.get('error', '?')}); events kept in "
                               "memory and written later"),
    ev.WRITE_RECOVERED: lambda e: (f"Disk writes work again; "
                                   f"{counted(e.get('written', '?'), 'event')} written late"),
}
"""Event type -> the line that says what happened."""
