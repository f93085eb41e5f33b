"""Readings in a note's text that no living person can have: where they are, and the note with
the likely fixes written in."""

from __future__ import annotations

from companion.record.vitals.plausible import Implausible, as_text, implausible
from companion.record.vitals.readings import reading_fields
from companion.record.vitals.text import scan

def note_implausible(text: str) -> list[Implausible]:
    """The readings written in a note that no living person can have, with where they are."""
    found, spans = scan(text)
    values = reading_fields(found)
    problems = []
    for problem in implausible(values):
        key = "bp" if problem.names[0] in ("systolic", "diastolic") else problem.names[0]
        span = spans.get(key)
        typed, message = problem.typed, problem.message
        if span is not None:  # say it as written in the note (`T 368`, not a guessed `368 °F`)
            typed = text[span[0]:span[1]]
            message = message.replace(problem.typed, typed, 1)
        problems.append(Implausible(problem.names, typed, message, problem.fix,
                                    problem.fix_text, span))
    return problems


def fixed_note(text: str, problems: list[Implausible]) -> str | None:
    """The note with every likely fix written in (None unless each problem has one)."""
    if not problems or any(not p.fix or p.span is None for p in problems):
        return None
    found, _ = scan(text)
    values = reading_fields(found)
    for problem in sorted(problems, key=lambda p: p.span or (0, 0), reverse=True):
        start, end = problem.span or (0, 0)
        fixed = {**values, **problem.fix}
        if problem.names[0] in ("systolic", "diastolic"):
            new = as_text(fixed["systolic"]) + (f"/{as_text(fixed['diastolic'])}"
                                              if "diastolic" in fixed else "")
        elif problem.names[0] == "temp":
            written_unit = text[start:end].rstrip()[-1:].upper() in ("C", "F")
            new = as_text(fixed["temp"]) + (str(fixed.get("temp_unit", "")) if written_unit else "")
            if "temp_unit" in problem.fix and not written_unit:
                new += " °C"
        else:
            new = as_text(fixed[problem.names[0]])
        text = text[:start] + new + text[end:]
    return text
