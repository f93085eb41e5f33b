"""The Markdown report's sections on the plan in the room: monitoring, the schedule, harbours, prompts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from companion.clock import duration_text
from companion.record import events as ev
from companion.record.monitoring import harbours, monitoring, plan_of, plan_rows
from companion.record.reader import ReadResult
from companion.record.report.words import (clock_text, late_text, local_time, md, moment_text,
                                           since_dose_text)
from companion.record.vitals.recorded import values_text


def _marks_text(marks: Mapping[str, str], scales: Any) -> str:
    parts = []
    for name, mark in marks.items():
        scale = scales.get(name) if isinstance(scales, dict) else None
        label = scale.get("title", name) if isinstance(scale, dict) else name
        parts.append(f"{label} {mark}")
    return ", ".join(parts)


_ENDED_BY = {"key": "the harbour key", "grounding_done": "grounding finished",
             "ending": "the session ended"}


def plan_markdown(result: ReadResult) -> list[str]:
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
            f"{local_time(ready_event.t)} ({moment_text(ready, dose)})" if ready_event is not None
            else "not marked") + " |")
        lines.append(f"| Overrides | {len(facts['overrides'])} |")
        lines.append("")
        if rows:
            lines += ["### Vitals and check-ins against the plan", "",
                      "| Item | Due | Done | Late | Values | Marks |", "|---|---|---|---|---|---|"]
            for row in rows:
                late = "" if row.late is None else late_text(row.late)
                if row.after_dose is not None:
                    late = f"taken {duration_text(row.after_dose)} after the dose"
                if row.put_offs:
                    late += f" (put off {row.put_offs}×)"
                done = (moment_text(row.done, dose) if row.outcome in ("done", "unscheduled")
                        else row.outcome)
                if row.outcome.startswith("skipped") and row.done is not None:
                    done = f"{row.outcome} at {moment_text(row.done, dose)}"
                title = row.title + (" (unscheduled)" if row.outcome == "unscheduled" else "")
                lines.append(f"| {md(title)} | {moment_text(row.due, dose)} | {md(done)} | "
                             f"{late.strip()} | {md(values_text(row.values, scales))} | "
                             f"{md(_marks_text(row.marks, scales))} |")
            lines += ["", "Marks are against the ranges in the clinic's plan; values outside "
                      "them are marked, never alarmed.", ""]
        if facts["overrides"]:
            lines += ["### Overrides", ""]
            for override in facts["overrides"]:
                left = override["observation_left"]
                early = (f" ({duration_text(left)} before the minimum observation time)"
                         if isinstance(left, (int, float)) else "")
                lines.append(f"- **{moment_text(override['elapsed'], dose)}** ended early"
                             f"{early}: {override['reason'] or ''}")
            lines.append("")
    if plan is not None or stays:
        lines += ["## Safe harbour", ""]
        if stays:
            lines += ["| Started | Since dose | Length | Track | Ended by |",
                      "|---|---|---|---|---|"]
            lines += [f"| {clock_text(h.start)} | {since_dose_text(h.start, dose)} | "
                      f"{duration_text(h.length)} | {md(h.title or '–')} | "
                      f"{md(_ENDED_BY.get(h.ended_by, h.ended_by))} |"
                      for h in stays]
        else:
            lines.append("The safe harbour was not used.")
        lines.append("")
    prompts = facts["integration_prompts"]
    if prompts:
        lines += ["## For the integration session", ""]
        lines += [f"- {md(prompt)}" for prompt in prompts]
        lines.append("")
    return lines
