"""The record as CSV (one row per event) and as one JSON document; `render` picks the format."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from companion.record import events as ev
from companion.record.corrections import corrected_result, live_result, unapplied
from companion.record.monitoring import harbours, monitoring, plan_rows, row_dict
from companion.record.reader import ReadResult
from companion.record.report.exercise_episodes import Episode, episodes
from companion.record.report.markdown import to_markdown
from companion.record.report.shown import describe_shown
from companion.record.report.summaries import phase_times, summary
from companion.record.vitals.recorded import reading_dict, vitals_readings


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
