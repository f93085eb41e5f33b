"""Reports from a session record: a Markdown report for the integration session, CSV and JSON.

All three are built from a `ReadResult` (see `reader.read_events`). Nothing here writes
files; `companion log export` does, with private permissions.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from companion.clock import duration_text
from companion.record import events as ev
from companion.record.corrections import corrected_result, live_result, unapplied
from companion.record.events import Event
from companion.record.monitoring import (Reading, harbours, monitoring, plan_of, plan_rows,
                                         reading_dict, row_dict, values_text, vitals_readings)
from companion.record.reader import ReadResult
from companion.wording import counted


def clock_text(seconds: float | None) -> str:
    """A moment of the session as `H:MM:SS` (negative with a leading '-'), '' for None.

    For when something happened (the Elapsed column, `+0:15:00` after the dose); how long
    something lasted is `duration_text`, the reports' one duration format.
    """
    if seconds is None:
        return ""
    sign = "-" if seconds < 0 else ""
    whole = int(round(abs(seconds)))
    return f"{sign}{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _local(event_t: str, fmt: str = "%H:%M:%S") -> str:
    try:
        return datetime.fromisoformat(event_t).strftime(fmt)
    except ValueError:
        return event_t


def describe(event: Event) -> str:
    """One plain line saying what happened (used by the timeline and `log show`)."""
    f = event.fields
    kind = event.type
    if kind == ev.SESSION_STARTED:
        text = f"Session started (playlist {f.get('playlist_name', '?')!s}"
        if f.get("client_code"):
            text += f", client {f['client_code']}"
        return text + ")"
    if kind == ev.SESSION_RESUMED:
        text = f"Session resumed after an interruption of {_duration(f.get('gap'))}"
        return text + (" (a cut-off last line was set aside)" if f.get("torn_tail") else "")
    if kind == ev.SESSION_ENDED:
        return "Session ended" + (f": {f['note']}" if f.get("note") else "")
    if kind == ev.DOSE_MARKED:
        return "Dose marked" + (f": {f['note']}" if f.get("note") else "")
    if kind == ev.PHASE_CHANGED:
        return f"Phase: {f.get('name', f.get('phase', '?'))}"
    if kind in (ev.TRACK_STARTED, ev.TRACK_ENDED, ev.TRACK_SKIPPED):
        verb = {ev.TRACK_STARTED: "Track started", ev.TRACK_ENDED: "Track ended",
                ev.TRACK_SKIPPED: "Track skipped"}[kind]
        text = f"{verb}: {f.get('title', '?')}"
        if kind == ev.TRACK_STARTED and f.get("position"):
            text += f" (from {clock_text(f['position'])})"
        return text
    if kind == ev.TRACK_POSITION:
        return f"Music at {clock_text(f.get('position'))} of {f.get('title', '?')}"
    if kind == ev.TRACK_FAILED:
        return f"Track could not play: {f.get('title', '?')} ({f.get('reason', 'no reason')})"
    if kind == ev.VOLUME_CHANGED:
        return f"Volume {f.get('volume', '?')}%"
    if kind == ev.BREATHING_STARTED:
        return f"Breathing started: {f.get('title') or f.get('pattern', '?')}"
    if kind == ev.BREATHING_STOPPED:
        cycles = (f" after {counted(f['cycles_done'], 'cycle')}"
                  if f.get("cycles_done") is not None else "")
        return f"Breathing stopped: {f.get('title') or f.get('pattern', '?')}{cycles}"
    if kind == ev.GROUNDING_STARTED:
        return "Grounding started" + (f" ({f['mode']} mode)" if f.get("mode") else "")
    if kind == ev.GROUNDING_COMPLETED:
        return "Grounding completed"
    if kind == ev.GROUNDING_STOPPED:
        return "Grounding stopped" + (f" at {f['step']}" if f.get("step") else "")
    if kind in (ev.PAUSED, ev.RESUMED, ev.HOLDING_STOPPED):
        return {ev.PAUSED: "Paused", ev.RESUMED: "Playback resumed",
                ev.HOLDING_STOPPED: "Holding track stopped"}[kind]
    if kind == ev.HOLDING_STARTED:
        return "Holding track" + (f": {f['title']}" if f.get("title") else "")
    if kind == ev.GROUNDING_STEP:
        return f"Grounding step: {f.get('step', '?')}"
    if kind == ev.GROUNDING_ITEM:
        return f"Grounding ({f.get('step', '?')}): {f.get('text', '')}".rstrip(": ")
    if kind == ev.BILATERAL_STARTED:
        return (f"BLS set {f.get('set', '?')} started: {f.get('preset', '?')}, "
                f"{f.get('speed', '?')} cycles/s")
    if kind == ev.BILATERAL_STOPPED:
        how = "stopped early" if f.get("stopped_early") else "ended"
        passes = counted(f.get("passes", "?"), "pass", "passes")
        return f"BLS set {f.get('set', '?')} {how} after {passes}"
    if kind == ev.DISTRESS_RATING:
        context = " ".join(str(v) for v in (_moment(event), f.get("context", f.get("exercise")))
                           if v)
        return f"Distress rating {rating_value(event)}/10" + (f" ({context})" if context else "")
    if kind == ev.NOTE:
        return f"Note [{f.get('tag', 'other')}]: {f.get('text', '')}"
    plan_text = _describe_plan(kind, f)
    if plan_text is not None:
        return plan_text
    if kind == ev.AUDIO_OUTPUT:
        asked = f.get("reason") == "audio output set to none"  # chosen, not a fault: say it once
        reason = f" ({f['reason']})" if f.get("reason") and not asked else ""
        return f"Audio output: {f.get('backend', '?')}{reason}"
    if kind == ev.WRITE_ERROR:
        return (f"Disk write failed ({f.get('error', '?')}); events kept in memory and "
                "written later")
    if kind == ev.WRITE_RECOVERED:
        return f"Disk writes work again; {counted(f.get('written', '?'), 'event')} written late"
    if kind == ev.CORRECTION:
        return _correction_text(f)
    if kind in ev.EVENT_TYPES and kind != ev.SOUND_CHECK:
        text = ev.EVENT_TYPES[kind][0].rstrip(".")
    else:
        text = kind.replace("_", " ").capitalize()
    details = ", ".join(f"{k} {v}" for k, v in f.items() if not isinstance(v, (dict, list)))
    return f"{text} ({details})" if details else text


def _duration(seconds: Any) -> str:
    """`duration_text` for a number read from a record; '?' for anything else."""
    return duration_text(seconds) if isinstance(seconds, (int, float)) else "?"


_ENTRY_WORDS = {ev.VITALS_DONE: "vitals reading", ev.NOTE: "note", ev.DOSE_MARKED: "dose mark",
                ev.READY_TO_LEAVE: "ready-to-leave mark", ev.CORRECTION: "correction"}


def _correction_text(f: Mapping[str, Any]) -> str:
    """A correction event in words: what it did to which line, and why."""
    what = _ENTRY_WORDS.get(str(f.get("target_type")), str(f.get("target_type", "entry")))
    verb = "Struck" if f.get("action") == ev.STRIKE else "Corrected"
    when = f" written at {_local(str(f['target_t']))}" if f.get("target_t") else ""
    text = f"{verb} the {what}{when} (line {f.get('corrects', '?')})"
    if f.get("reason"):
        text += f": {f['reason']}"
    if f.get("unapplied"):
        text += f" — NOT applied: {f['unapplied']}"
    return text


def describe_shown(event: Event, events: Any = (), markdown: bool = False) -> str:
    """`describe`, with what corrections did: a struck entry struck through (`~~…~~` in
    Markdown, `[struck]` in plain text), a corrected one with its first words struck beside
    it. `events` is the corrected record (to say when and why it was corrected)."""
    text = describe(event)
    if event.get("corrected_by") is None:
        return text
    why = _correction_why(event, events)
    if event.get("struck"):
        return (f"~~{text}~~ — struck{why}" if markdown else f"[struck{why}] {text}")
    first = _first_written(event)
    first_text = describe(first)
    if first.elapsed != event.elapsed:
        first_text += f" at {_local(first.t)}"
        text += f" at {_local(event.t)}"
    struck = f"first written: ~~{first_text}~~" if markdown else f"was: {first_text}"
    return f"{text} — corrected{why}; {struck}"


def _correction_why(event: Event, events: Any) -> str:
    """` at 14:20:05 (reason)`: when the correction in force was written, and why."""
    by, events = event.get("corrected_by"), list(events)
    if not isinstance(by, int) or not 0 < by <= len(events):
        return ""
    correction = events[by - 1]
    reason = correction.get("reason")
    return f" at {_local(correction.t)}" + (f" ({reason})" if reason else "")


def _first_written(event: Event) -> Event:
    """A corrected entry as it was first written (its `original` fields put back)."""
    original = event.get("original") or {}
    fields = {k: v for k, v in event.fields.items()
              if k not in ("corrected_by", "original", "struck")}
    for name, value in original.items():
        if name in ev.RESERVED_KEYS:
            continue
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    return Event(t=str(original.get("t", event.t)), elapsed=float(original.get("elapsed",
                                                                             event.elapsed)),
                 type=event.type, fields=fields)


def _late_text(seconds: Any) -> str:
    if not isinstance(seconds, (int, float)) or abs(seconds) < 1:
        return "on time"
    return f"{duration_text(seconds)} {'late' if seconds > 0 else 'early'}"


def _when_done(f: Mapping[str, Any]) -> str:
    """How a done check sat against its time: late or early, or, for a check planned before
    the dose, only whether it was taken after the dose (it cannot be late for a dose that
    has not happened)."""
    if isinstance(f.get("after_dose"), (int, float)):
        return f" (taken {duration_text(f['after_dose'])} after the dose)"
    return f" ({_late_text(f['late'])})" if "late" in f else ""


def _describe_plan(kind: str, f: Mapping[str, Any]) -> str | None:
    """The plan's events in words (None for other events)."""
    title = f.get("title", "?")
    if kind == ev.PLAN_LOADED:
        text = f"Plan: {counted(len(f.get('schedule') or []), 'planned check')}"
        minimum = f.get("min_observation_minutes")
        return text + (f", minimum observation {duration_text(minimum * 60)}"
                       if isinstance(minimum, (int, float)) else "")
    if kind == ev.REMINDER_DUE:
        return (f"Due: {title}" + (" (again)" if f.get("again") else "")
                + (" (fell due while the app was closed)" if f.get("missed") else ""))
    if kind == ev.REMINDER_PUT_OFF:
        minutes = f.get("minutes")
        length = _duration(minutes * 60 if isinstance(minutes, (int, float)) else None)
        return f"Put off {length}: {title}"
    if kind == ev.REMINDER_SKIPPED:
        return f"Skipped: {title}" + (f" ({f['reason']})" if f.get("reason") else "")
    if kind == ev.VITALS_DONE:
        when = _when_done(f) or ("" if f.get("item") else " (unscheduled)")
        return f"{f.get('title', 'Vitals')}: {values_text(f.get('values')) or 'no readings'}{when}"
    if kind == ev.CHECKIN_DONE:
        return f"Done: {title}" + _when_done(f)
    if kind == ev.READY_TO_LEAVE:
        left = f.get("observation_left")
        return "Client ready to leave" + (
            f" ({duration_text(left)} of minimum observation left)"
            if isinstance(left, (int, float)) and left > 0 else "")
    if kind == ev.OBSERVATION_OVERRIDE:
        left = f.get("observation_left")
        early = f" ({duration_text(left)} early)" if isinstance(left, (int, float)) else ""
        return f"Ended before the minimum observation time{early}: {f.get('reason', '')}"
    if kind == ev.HARBOUR_STARTED:
        return "Safe harbour" + (f": {f['title']}" if f.get("title") else "")
    if kind == ev.HARBOUR_STOPPED:
        length = f.get("length")
        return "Left the safe harbour" + (f" after {duration_text(length)}"
                                          if isinstance(length, (int, float)) else "")
    if kind == ev.LANDING_STARTED:
        return f"Landing: the music fades over {_duration(f.get('fade'))}"
    return None


# -- summaries ------------------------------------------------------------------------------


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


def rating_value(event: Event) -> Any:
    """A distress_rating event's value (`rating`, or `value` as some screens write it)."""
    return event.get("rating", event.get("value"))


def _moment(event: Event) -> str | None:
    return event.get("moment", event.get("when"))


def phase_times(result: ReadResult) -> list[tuple[str, float]]:
    """(phase name, seconds spent in it), in order of first entry; repeated phases add up."""
    totals: dict[str, float] = {}
    current: tuple[str, float] | None = None
    for event in result.events:
        if event.type in (ev.PHASE_CHANGED, ev.SESSION_ENDED) and current is not None:
            totals[current[0]] = totals.get(current[0], 0.0) + event.elapsed - current[1]
            current = None
        if event.type == ev.PHASE_CHANGED:
            name = str(event.get("name", event.get("phase", "?")))
            current = (name, event.elapsed)
            totals.setdefault(name, 0.0)
    if current is not None:
        totals[current[0]] += result.duration - current[1]
    return list(totals.items())


_STARTS = {ev.BREATHING_STARTED: ("breathing", (ev.BREATHING_STOPPED,)),
           ev.GROUNDING_STARTED: ("grounding", (ev.GROUNDING_COMPLETED, ev.GROUNDING_STOPPED)),
           ev.BILATERAL_STARTED: ("bilateral", (ev.BILATERAL_STOPPED,))}


def episodes(result: ReadResult) -> list[Episode]:
    """Breathing and grounding runs with their before/after distress ratings.

    "Before" is the last rating in the RATING_WINDOW before the run started (and after the
    previous run ended); "after" the first rating in the window after it ended (and before
    the next run). A rating marked as the other moment (`moment`/`when`) is not taken;
    failing a rating event, the run's own `rating_before`/`rating_after` fields are used.
    """
    found: list[dict[str, Any]] = []
    open_runs: dict[str, dict[str, Any]] = {}
    for event in result.events:
        if event.type in _STARTS:
            kind = _STARTS[event.type][0]
            run = {"kind": kind, "start": event, "end": None}
            open_runs[kind] = run
            found.append(run)
        else:
            for kind, ends in ((k, e) for k, e in _STARTS.values()):
                if event.type in ends and kind in open_runs:
                    open_runs.pop(kind)["end"] = event
    ratings = list(result.of_type(ev.DISTRESS_RATING))
    out = []
    for index, run in enumerate(found):
        start: Event = run["start"]
        end: Event | None = run["end"]
        previous_end = max((r["end"].elapsed for r in found[:index] if r["end"] is not None),
                           default=float("-inf"))
        next_start = found[index + 1]["start"].elapsed if index + 1 < len(found) else float("inf")
        before = [r for r in ratings if _moment(r) != "after"
                  and max(previous_end, start.elapsed - RATING_WINDOW) <= r.elapsed
                  <= start.elapsed]
        after = [r for r in ratings if end is not None and _moment(r) != "before"
                 and end.elapsed <= r.elapsed < min(next_start, end.elapsed + RATING_WINDOW)]
        if end is None:
            outcome = "not ended"
        elif end.type == ev.BILATERAL_STOPPED:
            how = "stopped early" if end.get("stopped_early") else "completed"
            outcome = f"{how}, {counted(end.get('passes', '?'), 'pass', 'passes')}"
        elif end.type == ev.BREATHING_STOPPED:
            cycles = end.get("cycles_done")
            done = "completed" if end.get("completed") else "stopped"
            outcome = f"{done}, {counted(cycles, 'cycle')}" if cycles is not None else done
        else:
            outcome = "completed" if end.type == ev.GROUNDING_COMPLETED else "stopped early"
        if run["kind"] == "grounding":
            name = "5-4-3-2-1" + (f" ({start.get('mode')})" if start.get("mode") else "")
        elif run["kind"] == "bilateral":
            speeds = (end.get("speeds") if end is not None else None) or [start.get("speed")]
            name = (f"{start.get('preset', 'BLS')}, "
                    + " → ".join(f"{s:.1f}" for s in speeds if s is not None) + " cycles/s")
        else:
            name = str(start.get("title") or start.get("pattern") or "breathing")
        out.append(Episode(kind=run["kind"], name=name, start=start.elapsed,
                           end=end.elapsed if end else None, outcome=outcome,
                           before=_pick(before[-1:], end, "rating_before"),
                           after=_pick(after[:1], end, "rating_after")))
    return out


def _pick(events: list[Event], end: Event | None, field: str) -> Rating | None:
    if events:
        return Rating(rating_value(events[0]), events[0].elapsed)
    if end is not None and end.get(field) is not None:
        return Rating(end.get(field))
    return None


def summary(result: ReadResult) -> dict[str, Any]:
    """The session's facts at a glance (date, client, playlist, duration, status...)."""
    start = result.started
    f = start.fields if start else {}
    ended = next(result.of_type(ev.SESSION_ENDED), None)
    return {
        "id": result.id,
        "started": start.t if start else None,
        "client_code": f.get("client_code"),
        "playlist_name": f.get("playlist_name"),
        "playlist_hash": f.get("playlist_hash"),
        "app_version": f.get("app_version"),
        "intention": f.get("intention"),
        "duration": result.duration,
        "dose_elapsed": result.dose_elapsed,
        "status": "ended" if ended else "interrupted",
        "end_note": ended.get("note") if ended else None,
        "resumed": sum(1 for _ in result.of_type(ev.SESSION_RESUMED)),
        "write_errors": sum(1 for _ in result.of_type(ev.WRITE_ERROR)),
        "events": len(result.events),
        "torn_tail": result.torn_tail.text if result.torn_tail else None,
    }


# -- the plan in the room -------------------------------------------------------------------


def _moment_text(elapsed: float | None, dose: float | None) -> str:
    """`+0:15:00` after the dose, `0:05:00 from start` before it, '' for None."""
    if elapsed is None:
        return ""
    if dose is not None and elapsed >= dose:
        return "+" + clock_text(elapsed - dose)
    return f"{clock_text(elapsed)} from start"


def _marks_text(marks: Mapping[str, str], scales: Any) -> str:
    parts = []
    for name, mark in marks.items():
        scale = scales.get(name) if isinstance(scales, dict) else None
        label = scale.get("title", name) if isinstance(scale, dict) else name
        parts.append(f"{label} {mark}")
    return ", ".join(parts)


_ENDED_BY = {"key": "the harbour key", "grounding_done": "grounding finished",
             "ending": "the session ended"}


def _plan_markdown(result: ReadResult) -> list[str]:
    """The report's sections on the plan: monitoring, the schedule, harbours, prompts."""
    plan = plan_of(result)
    rows = plan_rows(result)
    stays = harbours(result)
    facts = monitoring(result)
    dose = result.dose_elapsed
    scales = plan.get("scales") if plan is not None else None
    lines: list[str] = []
    if plan is not None or rows or facts["ready_to_leave"] is not None or facts["overrides"]:
        lines += ["## Monitoring", "", "| | |", "|---|---|"]
        minimum = facts["min_observation_minutes"]
        if minimum is not None:
            met = ""
            if dose is not None:
                left = dose + minimum * 60 - facts["end_of_monitoring"]
                met = (" — met" if left <= 0 else f" — ended {duration_text(left)} before it")
            lines.append(f"| Minimum observation | {duration_text(minimum * 60)} after the dose"
                         f"{met} |")
        lines.append("| Dose to end of monitoring | "
                     + (duration_text(facts["end_of_monitoring"] - dose) if dose is not None
                        else "no dose marked") + " |")
        ready = facts["ready_to_leave"]
        ready_event = next((e for e in reversed(result.events) if e.type == ev.READY_TO_LEAVE),
                           None)
        lines.append("| Ready to leave | " + (
            f"{_local(ready_event.t)} ({_moment_text(ready, dose)})" if ready_event is not None
            else "not marked") + " |")
        lines.append(f"| Overrides | {len(facts['overrides'])} |")
        lines.append("")
        if rows:
            lines += ["### Vitals and check-ins against the plan", "",
                      "| Item | Due | Done | Late | Values | Marks |", "|---|---|---|---|---|---|"]
            for row in rows:
                late = "" if row.late is None else _late_text(row.late)
                if row.after_dose is not None:
                    late = f"taken {duration_text(row.after_dose)} after the dose"
                if row.put_offs:
                    late += f" (put off {row.put_offs}×)"
                done = (_moment_text(row.done, dose) if row.outcome in ("done", "unscheduled")
                        else row.outcome)
                if row.outcome.startswith("skipped") and row.done is not None:
                    done = f"{row.outcome} at {_moment_text(row.done, dose)}"
                title = row.title + (" (unscheduled)" if row.outcome == "unscheduled" else "")
                lines.append(f"| {_md(title)} | {_moment_text(row.due, dose)} | {_md(done)} | "
                             f"{late.strip()} | {_md(values_text(row.values, scales))} | "
                             f"{_md(_marks_text(row.marks, scales))} |")
            lines += ["", "Marks are against the ranges in the clinic's plan; values outside "
                      "them are marked, never alarmed.", ""]
        if facts["overrides"]:
            lines += ["### Overrides", ""]
            for override in facts["overrides"]:
                left = override["observation_left"]
                early = (f" ({duration_text(left)} before the minimum observation time)"
                         if isinstance(left, (int, float)) else "")
                lines.append(f"- **{_moment_text(override['elapsed'], dose)}** ended early"
                             f"{early}: {override['reason'] or ''}")
            lines.append("")
    if plan is not None or stays:
        lines += ["## Safe harbour", ""]
        if stays:
            lines += ["| Started | Since dose | Length | Track | Ended by |",
                      "|---|---|---|---|---|"]
            lines += [f"| {clock_text(h.start)} | {since_dose_text(h.start, dose)} | "
                      f"{duration_text(h.length)} | {_md(h.title or '–')} | "
                      f"{_md(_ENDED_BY.get(h.ended_by, h.ended_by))} |"
                      for h in stays]
        else:
            lines.append("The safe harbour was not used.")
        lines.append("")
    prompts = facts["integration_prompts"]
    if prompts:
        lines += ["## For the integration session", ""]
        lines += [f"- {_md(prompt)}" for prompt in prompts]
        lines.append("")
    return lines


# -- Markdown -------------------------------------------------------------------------------


def _md(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def since_dose_text(elapsed: float, dose: float | None) -> str:
    """`+H:MM:SS` after the dose, '' before it or when no dose was marked."""
    return "" if dose is None or elapsed < dose else "+" + clock_text(elapsed - dose)


_VITAL_COLUMNS = (("BP", ("systolic", "diastolic")), ("HR", ("hr",)), ("SpO2", ("spo2",)),
                  ("RR", ("rr",)), ("T", ("temp",)))


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


def _vitals_markdown(result: ReadResult) -> list[str]:
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
                     f" | {_source_text(reading)} | " + " | ".join(_md(c) for c in cells) + " |")
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


def _rating(rating: Rating | None, anchor: float, before: bool) -> str:
    if rating is None:
        return "–"
    if rating.elapsed is None:
        return str(rating.value)
    distance = (anchor - rating.elapsed) if before else (rating.elapsed - anchor)
    when = "before" if before else "after"
    if abs(distance) < 1:
        return f"{rating.value} (just {when})"
    return f"{rating.value} ({duration_text(distance)} {when})"


def to_markdown(result: ReadResult) -> str:
    """The readable report a therapist brings to the integration session.

    Corrections are applied: the timeline and notes show a corrected entry's new words with
    the first ones struck through, and a struck entry struck through; the counts (dose,
    monitoring, ready to leave) use only what is in force.
    """
    live = live_result(result)
    result = corrected_result(result)
    s = summary(result)
    start = result.started
    date = f"{start.t[:10]} {start.t[11:16]} (UTC{start.t[23:]})" if start else "unknown"
    dose = result.dose_elapsed
    lines = [f"# Session record — {date}", ""]
    facts = [("Session", s["id"]), ("Client code", s["client_code"] or "–"),
             ("Playlist", f"{s['playlist_name']} (content hash {str(s['playlist_hash'])[:12]})"),
             ("Intention", s["intention"] or "–"), ("Duration", duration_text(s["duration"])),
             ("Dose marked at", clock_text(dose) if dose is not None else "not marked"),
             ("Status", s["status"] + (f" — {s['end_note']}" if s["end_note"] else "")),
             ("App version", s["app_version"])]
    if s["resumed"]:
        facts.append(("Interruptions", f"{s['resumed']} (resumed in the same record)"))
    if s["write_errors"]:
        facts.append(("Disk write problems", f"{s['write_errors']} (no event was lost)"))
    lines += ["| | |", "|---|---|"] + [f"| {k} | {_md(v)} |" for k, v in facts] + [""]
    if result.torn_tail is not None:
        lines += [f"> The file's last line was cut off by a crash and is not part of the "
                  f"record: `{_md(result.torn_tail.text)[:80]}`", ""]

    problems = unapplied(result.events)
    if problems:
        lines += ["> Corrections that could not be applied (the entries stand as written): "
                  + "; ".join(_md(p) for p in problems), ""]
    lines += ["## Timeline", "", "| Elapsed | Since dose | Clock | Event |", "|---|---|---|---|"]
    for event in result.events:
        if event.type in ev.QUIET:
            continue
        lines.append(f"| {clock_text(event.elapsed)} | {since_dose_text(event.elapsed, dose)} | "
                     f"{_local(event.t)} | {_md(describe_shown(event, result.events, True))} |")
    lines.append("")

    phases = phase_times(result)
    lines += ["## Time in each phase", ""]
    if phases:
        lines += ["| Phase | Time |", "|---|---|"]
        lines += [f"| {_md(name)} | {duration_text(seconds)} |" for name, seconds in phases]
    else:
        lines.append("No phases were recorded.")
    lines.append("")

    runs = episodes(result)
    for kind, title in (("breathing", "Breathing"), ("grounding", "Grounding"),
                        ("bilateral", "Bilateral stimulation sets")):
        mine = [r for r in runs if r.kind == kind]
        if not mine and kind == "bilateral":
            continue  # BLS belongs to EMDR sessions only: no empty section in the others
        lines += [f"## {title}", ""]
        if not mine:
            lines += [f"No {kind} exercise was recorded.", ""]
            continue
        what, scale = ("Set", "SUD") if kind == "bilateral" else ("Exercise", "Distress")
        lines += [f"| Started | {what} | Length | Outcome | {scale} before | {scale} after |",
                  "|---|---|---|---|---|---|"]
        for r in mine:
            length = duration_text(r.end - r.start) if r.end is not None else ""
            lines.append(f"| {clock_text(r.start)} | {_md(r.name)} | {length} | {_md(r.outcome)} "
                         f"| {_rating(r.before, r.start, True)} "
                         f"| {_rating(r.after, r.end if r.end is not None else r.start, False)} |")
        lines.append("")

    lines += _vitals_markdown(result)

    lines += _plan_markdown(live)

    lines += ["## Notes", ""]
    notes = list(result.of_type(ev.NOTE))
    if notes:
        for note in notes:
            lines.append(_note_markdown(note, result.events))
    else:
        lines.append("No notes were written.")
    lines.append("")
    return "\n".join(lines)


def _note_markdown(note: Event, events: Any) -> str:
    """One note of the Notes list; a struck or corrected one shows its first words struck."""
    head = f"**{clock_text(note.elapsed)}** ({note.get('tag', 'other')})"
    if note.get("corrected_by") is None:
        return f"- {head} {note.get('text', '')}"
    why = _correction_why(note, events)
    if note.get("struck"):
        return f"- ~~{head} {note.get('text', '')}~~ — struck{why}"
    return (f"- {head} {note.get('text', '')} — corrected{why}; first written: "
            f"~~{_first_written(note).get('text', '')}~~")


# -- CSV and JSON ---------------------------------------------------------------------------

CSV_COLUMNS = ("t", "elapsed", "since_dose", "type", "description", "fields", "line",
               "corrected_by")
"""`line` is the event's line in the session file (what a correction's `corrects` names);
`corrected_by` the line of the correction in force for it (the `fields` hold `original`
and `struck`)."""


def to_csv(result: ReadResult) -> str:
    """One row per event, corrections applied: t, elapsed, since_dose, type, description,
    fields (JSON), line, corrected_by."""
    result = corrected_result(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    dose = result.dose_elapsed
    for line, event in enumerate(result.events, start=1):
        since = "" if dose is None or event.elapsed < dose else f"{event.elapsed - dose:.3f}"
        by = event.get("corrected_by")
        writer.writerow([event.t, f"{event.elapsed:.3f}", since, event.type,
                         describe_shown(event, result.events),
                         json.dumps(dict(event.fields), ensure_ascii=False, sort_keys=True,
                                    default=str), line, "" if by is None else by])
    return buffer.getvalue()


def to_json(result: ReadResult) -> str:
    """The session summary, phase times, exercise runs and every event, as one JSON document.

    Events are as corrected (in file order: the n-th is line n): a corrected one carries
    `corrected_by` and `original`, a struck one `struck`; the summaries count what is in force.
    """
    live = live_result(result)
    result = corrected_result(result)
    document = {
        "format": "companion-session-export",
        "version": ev.FORMAT_VERSION,
        "session": summary(result),
        "phases": [{"name": n, "seconds": round(s, 3)} for n, s in phase_times(result)],
        "exercises": [_episode_dict(r) for r in episodes(result)],
        "vitals": [reading_dict(r, result.dose_elapsed) for r in vitals_readings(result)],
        "monitoring": {**monitoring(live),
                       "schedule": [row_dict(r) for r in plan_rows(live)],
                       "harbours": [{"start": h.start, "length": round(h.length, 3),
                                     "title": h.title, "ended_by": h.ended_by}
                                    for h in harbours(live)]},
        "events": [e.to_dict() for e in result.events],
    }
    problems = unapplied(result.events)
    if problems:
        document["unapplied_corrections"] = problems
    return json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n"


def _episode_dict(run: Episode) -> dict[str, Any]:
    return {"kind": run.kind, "name": run.name, "start": run.start, "end": run.end,
            "outcome": run.outcome,
            "distress_before": run.before.value if run.before else None,
            "distress_after": run.after.value if run.after else None}


def render(result: ReadResult, fmt: str) -> str:
    """The report in `fmt` ("md", "csv" or "json")."""
    renderers = {"md": to_markdown, "csv": to_csv, "json": to_json}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; use md, csv or json")
    return renderers[fmt](result)
