"""Reports from a session record: a Markdown report for the integration session, CSV and JSON.

All three are built from a `ReadResult` (see `reader.read_events`). Nothing here writes
files; `companion log export` does, with private permissions.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from companion.record import events as ev
from companion.record.events import Event
from companion.record.reader import ReadResult


def clock_text(seconds: float | None) -> str:
    """Seconds as `H:MM:SS` (negative with a leading '-'), '' for None."""
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
        text = f"Session resumed after an interruption of {clock_text(f.get('gap'))}"
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
        return f"{verb}: {f.get('title', '?')}"
    if kind == ev.TRACK_FAILED:
        return f"Track could not play: {f.get('title', '?')} ({f.get('reason', 'no reason')})"
    if kind == ev.VOLUME_CHANGED:
        return f"Volume {f.get('volume', '?')}%"
    if kind == ev.BREATHING_STARTED:
        return f"Breathing started: {f.get('title') or f.get('pattern', '?')}"
    if kind == ev.BREATHING_STOPPED:
        cycles = f" after {f['cycles_done']} cycles" if f.get("cycles_done") is not None else ""
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
    if kind == ev.DISTRESS_RATING:
        context = " ".join(str(v) for v in (_moment(event), f.get("context", f.get("exercise")))
                           if v)
        return f"Distress rating {rating_value(event)}/10" + (f" ({context})" if context else "")
    if kind == ev.NOTE:
        return f"Note [{f.get('tag', 'other')}]: {f.get('text', '')}"
    if kind == ev.AUDIO_OUTPUT:
        reason = f" ({f['reason']})" if f.get("reason") else ""
        return f"Audio output: {f.get('backend', '?')}{reason}"
    if kind == ev.WRITE_ERROR:
        return (f"Disk write failed ({f.get('error', '?')}); events kept in memory and "
                "written later")
    if kind == ev.WRITE_RECOVERED:
        return f"Disk writes work again; {f.get('written', '?')} event(s) written late"
    if kind in ev.EVENT_TYPES:
        text = ev.EVENT_TYPES[kind][0].rstrip(".")
    else:
        text = kind.replace("_", " ").capitalize()
    details = ", ".join(f"{k} {v}" for k, v in f.items() if not isinstance(v, (dict, list)))
    return f"{text} ({details})" if details else text


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
           ev.GROUNDING_STARTED: ("grounding", (ev.GROUNDING_COMPLETED, ev.GROUNDING_STOPPED))}


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
        elif end.type == ev.BREATHING_STOPPED:
            cycles = end.get("cycles_done")
            done = "completed" if end.get("completed") else "stopped"
            outcome = f"{done}, {cycles} cycles" if cycles is not None else done
        else:
            outcome = "completed" if end.type == ev.GROUNDING_COMPLETED else "stopped early"
        if run["kind"] == "grounding":
            name = "5-4-3-2-1" + (f" ({start.get('mode')})" if start.get("mode") else "")
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


def vitals_rows(result: ReadResult) -> list[tuple[Event, dict[str, Any]]]:
    """(note event, its stored vitals) for every note that held vitals."""
    return [(e, e.fields["vitals"]) for e in result.of_type(ev.NOTE)
            if isinstance(e.get("vitals"), dict)]


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


# -- Markdown -------------------------------------------------------------------------------


def _md(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def since_dose_text(elapsed: float, dose: float | None) -> str:
    """`+H:MM:SS` after the dose, '' before it or when no dose was marked."""
    return "" if dose is None or elapsed < dose else "+" + clock_text(elapsed - dose)


_VITAL_COLUMNS = (("BP", ("systolic", "diastolic")), ("HR", ("heart_rate",)),
                  ("SpO2", ("spo2",)), ("RR", ("resp_rate",)), ("T", ("temperature",)))


def _vital_cell(vitals: dict[str, Any], names: tuple[str, ...]) -> str:
    if vitals.get(names[0]) is None:
        return ""
    if names[0] == "systolic":
        text = f"{vitals['systolic']}/{vitals.get('diastolic', '?')}"
    elif names[0] == "temperature":
        text = f"{vitals['temperature']} °{vitals.get('temperature_unit', '')}".rstrip(" °")
    elif names[0] == "spo2":
        text = f"{vitals['spo2']}%"
    else:
        text = str(vitals[names[0]])
    marks = vitals.get("marks", {})
    outside = [marks[n] for n in names if n in marks]
    return f"{text} ({', '.join(outside)})" if outside else text


def _rating(rating: Rating | None, anchor: float, before: bool) -> str:
    if rating is None:
        return "–"
    if rating.elapsed is None:
        return str(rating.value)
    distance = (anchor - rating.elapsed) if before else (rating.elapsed - anchor)
    when = "before" if before else "after"
    return f"{rating.value} ({clock_text(distance)} {when})"


def to_markdown(result: ReadResult) -> str:
    """The readable report a therapist brings to the integration session."""
    s = summary(result)
    start = result.started
    date = f"{start.t[:10]} {start.t[11:16]} (UTC{start.t[23:]})" if start else "unknown"
    dose = result.dose_elapsed
    lines = [f"# Session record — {date}", ""]
    facts = [("Session", s["id"]), ("Client code", s["client_code"] or "–"),
             ("Playlist", f"{s['playlist_name']} (content hash {str(s['playlist_hash'])[:12]})"),
             ("Intention", s["intention"] or "–"), ("Duration", clock_text(s["duration"])),
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

    lines += ["## Timeline", "", "| Elapsed | Since dose | Clock | Event |", "|---|---|---|---|"]
    for event in result.events:
        lines.append(f"| {clock_text(event.elapsed)} | {since_dose_text(event.elapsed, dose)} | "
                     f"{_local(event.t)} | {_md(describe(event))} |")
    lines.append("")

    phases = phase_times(result)
    lines += ["## Time in each phase", ""]
    if phases:
        lines += ["| Phase | Time |", "|---|---|"]
        lines += [f"| {_md(name)} | {clock_text(seconds)} |" for name, seconds in phases]
    else:
        lines.append("No phases were recorded.")
    lines.append("")

    runs = episodes(result)
    for kind, title in (("breathing", "Breathing"), ("grounding", "Grounding")):
        mine = [r for r in runs if r.kind == kind]
        lines += [f"## {title}", ""]
        if not mine:
            lines += [f"No {kind} exercise was recorded.", ""]
            continue
        lines += ["| Started | Exercise | Length | Outcome | Distress before | Distress after |",
                  "|---|---|---|---|---|---|"]
        for r in mine:
            length = clock_text(r.end - r.start) if r.end is not None else ""
            lines.append(f"| {clock_text(r.start)} | {_md(r.name)} | {length} | {_md(r.outcome)} "
                         f"| {_rating(r.before, r.start, True)} "
                         f"| {_rating(r.after, r.end if r.end is not None else r.start, False)} |")
        lines.append("")

    lines += ["## Vitals", ""]
    rows = vitals_rows(result)
    if rows:
        lines += ["| Elapsed | Since dose | " + " | ".join(c for c, _ in _VITAL_COLUMNS) + " |",
                  "|---|---|" + "---|" * len(_VITAL_COLUMNS)]
        for event, vitals in rows:
            cells = [_vital_cell(vitals, names) for _, names in _VITAL_COLUMNS]
            since = since_dose_text(event.elapsed, dose)
            lines.append(f"| {clock_text(event.elapsed)} | {since} | " + " | ".join(cells) + " |")
        lines += ["", "Marked values are outside the ranges set in the clinic's configuration."]
    else:
        lines.append("No vitals were recorded.")
    lines.append("")

    lines += ["## Notes", ""]
    notes = list(result.of_type(ev.NOTE))
    if notes:
        for note in notes:
            lines.append(f"- **{clock_text(note.elapsed)}** ({note.get('tag', 'other')}) "
                         f"{note.get('text', '')}")
    else:
        lines.append("No notes were written.")
    lines.append("")
    return "\n".join(lines)


# -- CSV and JSON ---------------------------------------------------------------------------

CSV_COLUMNS = ("t", "elapsed", "since_dose", "type", "description", "fields")


def to_csv(result: ReadResult) -> str:
    """One row per event: t, elapsed, since_dose, type, description, fields (JSON)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    dose = result.dose_elapsed
    for event in result.events:
        since = "" if dose is None or event.elapsed < dose else f"{event.elapsed - dose:.3f}"
        writer.writerow([event.t, f"{event.elapsed:.3f}", since, event.type, describe(event),
                         json.dumps(dict(event.fields), ensure_ascii=False, sort_keys=True,
                                    default=str)])
    return buffer.getvalue()


def to_json(result: ReadResult) -> str:
    """The session summary, phase times, exercise runs and every event, as one JSON document."""
    document = {
        "format": "companion-session-export",
        "version": ev.FORMAT_VERSION,
        "session": summary(result),
        "phases": [{"name": n, "seconds": round(s, 3)} for n, s in phase_times(result)],
        "exercises": [_episode_dict(r) for r in episodes(result)],
        "events": [e.to_dict() for e in result.events],
    }
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
