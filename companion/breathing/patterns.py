"""Breathing patterns: a named cycle of steps (inhale, hold, exhale), and a clinician's checked.

A `Pattern` is an ordered cycle of `Step`s with seconds and the sitter's words, and a
default length in cycles or minutes. `spec_problems` says what is wrong with a pattern a
clinician wrote in a playlist; `Pattern.from_spec` makes one from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from companion.errors import ExerciseError
from companion.wording import Wording

StepKind = Literal["inhale", "hold", "exhale"]
STEP_KINDS: tuple[str, ...] = ("inhale", "hold", "exhale")


MAX_STEP_SECONDS = 60.0
"""Longer than any sensible breath or hold; a larger number in a playlist is a typo."""

@dataclass(frozen=True)
class Step:
    """One step of a breathing cycle."""

    kind: StepKind
    """`inhale`, `hold` or `exhale`."""
    seconds: float
    """How long the step lasts."""
    words: str = ""
    """What the sitter says during this step (empty: the generic words for its kind)."""


@dataclass(frozen=True)
class Pattern:
    """A named breathing pattern: one cycle of steps, repeated, with a default length."""

    name: str
    """The name used on the command line and in playlists (`box`, `4-7-8`)."""
    title: str
    """The name shown to people (`Box breathing`)."""
    steps: tuple[Step, ...]
    """One cycle, in order."""
    cycles: int | None = None
    """Default number of cycles, if the pattern has one."""
    minutes: float | None = None
    """Default length in minutes, if the pattern has one instead of cycles."""
    summary: str = ""
    """One line on what the pattern is for."""
    builtin: bool = True
    """False for a clinician's pattern from a playlist."""

    @property
    def cycle_seconds(self) -> float:
        """Seconds in one cycle."""
        return sum(step.seconds for step in self.steps)

    @property
    def breaths_per_minute(self) -> float:
        """Cycles per minute."""
        return 60.0 / self.cycle_seconds

    @classmethod
    def from_spec(cls, spec: Any) -> Pattern:
        """A pattern from a playlist's `BreathingSpec` (or anything with its attributes).

        Raises ExerciseError naming the pattern and its line for the first problem found.
        """
        problems = spec_problems(spec)
        if problems:
            raise ExerciseError(problems[0])
        steps = tuple(
            Step(kind=step.kind, seconds=float(step.seconds), words=(step.words or "").strip())
            for step in spec.steps
        )
        return cls(
            name=str(spec.name),
            title=str(getattr(spec, "title", None) or spec.name),
            steps=steps,
            cycles=getattr(spec, "cycles", None),
            minutes=getattr(spec, "minutes", None),
            builtin=False,
        )


def spec_problems(spec: Any) -> list[str]:
    """Every problem with a clinician's pattern spec, as messages for people (empty: fine)."""
    name = getattr(spec, "name", None)
    line = getattr(spec, "line", None)
    where = f"breathing pattern {name!r}" + (f" (line {line})" if line else "")
    problems: list[str] = []
    if not name or not str(name).strip():
        problems.append(f"{where}: needs a name")
    steps = tuple(getattr(spec, "steps", ()) or ())
    if not steps:
        problems.append(f"{where}: needs at least one step (inhale, hold or exhale with seconds)")
    for number, step in enumerate(steps, start=1):
        kind = getattr(step, "kind", None)
        seconds = getattr(step, "seconds", None)
        if kind not in STEP_KINDS:
            problems.append(f"{where}: step {number} is {kind!r}; use inhale, hold or exhale")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
                or not math.isfinite(seconds) or seconds <= 0:
            problems.append(
                f"{where}: step {number} lasts {seconds!r} seconds; give a number above 0")
        elif seconds > MAX_STEP_SECONDS:
            problems.append(
                f"{where}: step {number} lasts {seconds!r} seconds; at most {MAX_STEP_SECONDS:g}"
            )
    kinds = {getattr(step, "kind", None) for step in steps}
    if steps and not {"inhale", "exhale"} <= kinds:
        problems.append(f"{where}: needs at least one inhale and one exhale")
    cycles = getattr(spec, "cycles", None)
    minutes = getattr(spec, "minutes", None)
    if cycles is not None and minutes is not None:
        problems.append(f"{where}: give cycles or minutes, not both")
    if cycles is not None and (isinstance(cycles, bool) or not isinstance(cycles, int)
                               or cycles < 1):
        problems.append(f"{where}: cycles is {cycles!r}; give a whole number of at least 1")
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, (int, float))
                                or not math.isfinite(minutes) or minutes <= 0):
        problems.append(f"{where}: minutes is {minutes!r}; give a number above 0")
    return problems


def format_seconds(seconds: float) -> str:
    """`4` for whole seconds, `5.5` otherwise."""
    return f"{seconds:g}"


def timing_text(pattern: Pattern, wording: Wording | None = None) -> str:
    """The pattern's timings in words: `in 4 · hold 4 · out 4 · hold 4`."""
    text = (wording or Wording()).get
    return " · ".join(
        f"{text(f'breathing.short.{step.kind}')} {format_seconds(step.seconds)}"
        for step in pattern.steps
    )
