"""The Markdown report a therapist brings to the integration session."""

from __future__ import annotations

from collections.abc import Iterable

from companion.clock import duration_text
from companion.record import events as ev
from companion.record.corrections import corrected_result, live_result, unapplied
from companion.record.events import Event
from companion.record.reader import ReadResult
from companion.record.report.exercise_episodes import Rating, episodes
from companion.record.report.markdown_plan import plan_markdown
from companion.record.report.markdown_vitals import vitals_markdown
from companion.record.report.shown import correction_why, describe_shown, first_written
from companion.record.report.summaries import phase_times, summary
from companion.record.report.words import clock_text, local_time, md, since_dose_text


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
    lines += ["| | |", "|---|---|"] + [f"| {k} | {md(v)} |" for k, v in facts] + [""]
    if result.torn_tail is not None:
        lines += [f"> The file's last line was cut off by a crash and is not part of the "
                  f"record: `{md(result.torn_tail.text)[:80]}`", ""]

    problems = unapplied(result.events)
    if problems:
        lines += ["> Corrections that could not be applied (the entries stand as written): "
                  + "; ".join(md(p) for p in problems), ""]
    lines += ["## Timeline", "", "| Elapsed | Since dose | Clock | Event |", "|---|---|---|---|"]
    for event in result.events:
        if event.type in ev.QUIET:
            continue
        lines.append(f"| {clock_text(event.elapsed)} | {since_dose_text(event.elapsed, dose)} | "
                     f"{local_time(event.t)} | {md(describe_shown(event, result.events, True))} |")
    lines.append("")

    phases = phase_times(result)
    lines += ["## Time in each phase", ""]
    if phases:
        lines += ["| Phase | Time |", "|---|---|"]
        lines += [f"| {md(name)} | {duration_text(seconds)} |" for name, seconds in phases]
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
            lines.append(f"| {clock_text(r.start)} | {md(r.name)} | {length} | {md(r.outcome)} "
                         f"| {_rating(r.before, r.start, True)} "
                         f"| {_rating(r.after, r.end if r.end is not None else r.start, False)} |")
        lines.append("")

    lines += vitals_markdown(result)

    lines += plan_markdown(live)

    lines += ["## Notes", ""]
    notes = list(result.of_type(ev.NOTE))
    if notes:
        for note in notes:
            lines.append(_note_markdown(note, result.events))
    else:
        lines.append("No notes were written.")
    lines.append("")
    return "\n".join(lines)


def _note_markdown(note: Event, events: Iterable[Event]) -> str:
    """One note of the Notes list; a struck or corrected one shows its first words struck."""
    head = f"**{clock_text(note.elapsed)}** ({note.get('tag', 'other')})"
    if note.get("corrected_by") is None:
        return f"- {head} {note.get('text', '')}"
    why = correction_why(note, events)
    if note.get("struck"):
        return f"- ~~{head} {note.get('text', '')}~~ — struck{why}"
    return (f"- {head} {note.get('text', '')} — corrected{why}; first written: "
            f"~~{first_written(note).get('text', '')}~~")
