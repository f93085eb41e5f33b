"""Breathing patterns and the pacer: built-in and clinician-defined patterns, timed from the start.

A `Pattern` is an ordered cycle of `Step`s (inhale, hold, exhale, with seconds and the
sitter's words). A `Pacer` runs a pattern for a number of cycles or minutes against an
injected monotonic clock. Every answer it gives is computed from its start time and the
time spent paused, never by adding up sleeps, so it cannot drift however late the screen
that asks it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from companion.clock import Clock
from companion.errors import ExerciseError
from companion.wording import Wording

StepKind = Literal["inhale", "hold", "exhale"]
STEP_KINDS: tuple[str, ...] = ("inhale", "hold", "exhale")


MAX_STEP_SECONDS = 60.0
"""Longer than any sensible breath or hold; a larger number in a playlist is a typo."""

# Boundaries are sums of decimal seconds (5.5, 4.3): a state asked for at a boundary must
# land on the new step even when the float sum is a hair above the exact time.
_EPSILON = 1e-9


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


# The built-in patterns: name, timings (kind, seconds) and default length. Their titles and
# words live in companion/locales/<lang>/breathing.yaml under breathing.patterns.<name>.
# Why these numbers:
# - box: 4-4-4-4 as taught (e.g. in "tactical breathing"); 16 s a cycle, 3.75 breaths/min.
# - 4-7-8: Weil's pattern, in 4, hold 7, out 8; he advises four cycles at first.
# - resonance: 5.5 s in, 5.5 s out = 5.45 breaths/min, the middle of the ~4.5-6.5/min range
#   where heart-rate-variability biofeedback finds most adults' resonance frequency.
# - coherent: the rounder 5-5 (6 breaths/min) many apps and teachers use.
# - extended-exhale: in 4, out 6; a longer exhale than inhale favours vagal (calming) tone.
# - physiological-sigh: a full nasal inhale (4 s), a short top-up "sniff" to fill the lungs
#   (1.5 s: long enough for the sitter to say "and a little more", short enough to stay a
#   sniff), then a long slow exhale (8 s, longer than both inhales together, as in Balban et
#   al. 2023's cyclic sighing); 13.5 s a cycle, about 4.4 breaths/min. Three sighs by default:
#   a few are enough to settle, and the lungs should not be over-filled for minutes on end.
# - equal: 4-4, the simplest even rhythm, for someone not ready to slow further.
# - calming: in 2, out 4, for panic: a person who is hyperventilating cannot yet take a 4 s
#   breath, but can lengthen the exhale.
_Timings = tuple[tuple[StepKind, float], ...]
_BUILTIN_TIMINGS: tuple[tuple[str, _Timings, int | None, float | None], ...] = (
    ("box", (("inhale", 4), ("hold", 4), ("exhale", 4), ("hold", 4)), 6, None),
    ("4-7-8", (("inhale", 4), ("hold", 7), ("exhale", 8)), 4, None),
    ("resonance", (("inhale", 5.5), ("exhale", 5.5)), None, 5),
    ("coherent", (("inhale", 5), ("exhale", 5)), None, 5),
    ("extended-exhale", (("inhale", 4), ("exhale", 6)), None, 3),
    ("physiological-sigh", (("inhale", 4), ("inhale", 1.5), ("exhale", 8)), 3, None),
    ("equal", (("inhale", 4), ("exhale", 4)), None, 3),
    ("calming", (("inhale", 2), ("exhale", 4)), None, 2),
)

SUGGESTED_PATTERN = "extended-exhale"
"""The pattern offered to someone unsure which to choose: no hold to strain at (holds can feel
like air hunger to an anxious person), a plain 4 in and 6 out, and the longer breath out that
favours a calming response."""


def suggested_index(patterns: Sequence[Pattern]) -> int | None:
    """Where SUGGESTED_PATTERN (or a clinician's pattern of that name) is in `patterns`."""
    for index, pattern in enumerate(patterns):
        if pattern.name == SUGGESTED_PATTERN:
            return index
    return None


def builtin_patterns(wording: Wording | None = None) -> tuple[Pattern, ...]:
    """The built-in patterns, with titles and words from `wording` (default: English)."""
    text = (wording or Wording()).get
    patterns = []
    for name, timings, cycles, minutes in _BUILTIN_TIMINGS:
        base = f"breathing.patterns.{name}"
        steps = tuple(
            Step(kind=kind, seconds=float(seconds), words=text(f"{base}.step{number}"))
            for number, (kind, seconds) in enumerate(timings, start=1)
        )
        patterns.append(Pattern(name=name, title=text(f"{base}.title"), steps=steps,
                                cycles=cycles, minutes=minutes, summary=text(f"{base}.summary")))
    return tuple(patterns)


def all_patterns(custom: Iterable[Pattern | Any] = (),
                 wording: Wording | None = None) -> tuple[Pattern, ...]:
    """Built-in patterns, then custom ones (patterns or specs); a custom one replaces its namesake."""
    own = tuple(item if isinstance(item, Pattern) else Pattern.from_spec(item) for item in custom)
    names = {pattern.name for pattern in own}
    return tuple(p for p in builtin_patterns(wording) if p.name not in names) + own


def find_pattern(name: str, custom: Iterable[Pattern | Any] = (),
                 wording: Wording | None = None) -> Pattern:
    """The pattern called `name` (case does not matter); ExerciseError lists the known names."""
    patterns = all_patterns(custom, wording)
    wanted = name.strip().lower()
    for pattern in patterns:
        if pattern.name.lower() == wanted:
            return pattern
    known = ", ".join(pattern.name for pattern in patterns)
    raise ExerciseError(f"unknown breathing pattern {name!r}; known patterns: {known}")


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


def _ease(fraction: float) -> float:
    """A sine ease in and out: a breath starts and ends slowly."""
    return (1.0 - math.cos(math.pi * fraction)) / 2.0


def _lung_levels(steps: Sequence[Step]) -> tuple[tuple[float, float], ...]:
    """How full the lungs are (0..1) at the start and end of each step, for the visual.

    Consecutive inhales share the rise from empty to full in proportion to their seconds
    (the physiological sigh's top-up takes the last part), exhales the fall; holds keep
    the level.
    """
    count = len(steps)
    moves = [i for i, step in enumerate(steps) if step.kind != "hold"]
    # Start at a move whose previous move (cyclically) is of the other kind: a run's start.
    first = next(k for k in range(len(moves)) if steps[moves[k]].kind != steps[moves[k - 1]].kind)
    ordered = moves[first:] + moves[:first]
    ends: dict[int, float] = {}
    run: list[int] = []
    for position, index in enumerate(ordered + [None]):  # type: ignore[list-item]
        if run and (index is None or steps[index].kind != steps[run[0]].kind):
            total = sum(steps[i].seconds for i in run)
            done = 0.0
            for i in run:
                done += steps[i].seconds
                fraction = done / total
                ends[i] = fraction if steps[i].kind == "inhale" else 1.0 - fraction
            run = []
        if index is not None:
            run.append(index)
    for _ in range(2):  # holds take the level of the move before them, cyclically
        for i in range(count):
            if steps[i].kind == "hold":
                ends[i] = ends.get((i - 1) % count, ends.get(i, 0.0))
    return tuple((ends[(i - 1) % count], ends[i]) for i in range(count))


Phase = Literal["ready", "breathing", "done"]


@dataclass(frozen=True)
class PacerState:
    """Everything a screen needs to show the pacer at one moment."""

    phase: Phase
    """`ready` (the opening lead-in), `breathing`, or `done`."""
    step_index: int
    """Index of the current step in the pattern (-1 while ready or done)."""
    kind: str
    """`ready`, `inhale`, `hold`, `exhale` or `done`."""
    seconds_in: float
    """Seconds into the current step (or lead-in)."""
    seconds_left: float
    """Seconds left in the current step (or lead-in)."""
    count: int
    """The count the sitter says: 1, 2, 3... within the step (a countdown while ready)."""
    cycle: int
    """The current cycle, from 1 (when done: the cycles completed)."""
    cycles: int | None
    """Planned cycles (None: until stopped)."""
    cycles_done: int
    """Cycles completed."""
    progress: float
    """How full the visual is, 0 (empty) to 1 (full), eased."""
    label: str
    """The step in a word or two (`Breathe in`)."""
    words: str
    """The sitter's words for this step (the opening or closing line outside the cycle)."""
    elapsed: float
    """Seconds of breathing so far, pauses and lead-in excluded."""
    paused: bool
    finished: bool


class Pacer:
    """Runs a pattern against a monotonic clock; every state is computed from the start time.

    Length: `cycles` or `minutes` (not both), else the pattern's default, else until
    stopped. Minutes are rounded to whole cycles so the pacer always ends after a full
    breath out, which is the gentle way to stop. `lead_in` seconds before the first step
    show the opening line.
    """

    def __init__(self, pattern: Pattern, clock: Clock, cycles: int | None = None,
                 minutes: float | None = None, *, lead_in: float = 0.0,
                 wording: Wording | None = None) -> None:
        if cycles is not None and minutes is not None:
            raise ExerciseError("give a number of cycles or of minutes, not both")
        if cycles is not None and cycles < 1:
            raise ExerciseError(f"cycles must be at least 1, not {cycles!r}")
        if minutes is not None and not minutes > 0:
            raise ExerciseError(f"minutes must be above 0, not {minutes!r}")
        if cycles is None and minutes is None:
            cycles, minutes = pattern.cycles, pattern.minutes
        self.pattern = pattern
        self.clock = clock
        self.wording = wording or Wording()
        self.text = self.wording.get
        self.lead_in = float(lead_in)
        self.cycles: int | None = cycles
        if minutes is not None:
            self.cycles = max(1, round(minutes * 60.0 / pattern.cycle_seconds))
        self._bounds: list[float] = [0.0]
        for step in pattern.steps:
            self._bounds.append(self._bounds[-1] + step.seconds)
        self._cycle_seconds = self._bounds[-1]
        self._levels = _lung_levels(pattern.steps)
        self.started_at = clock()
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._stopped_at: float | None = None

    @property
    def total_seconds(self) -> float | None:
        """Seconds of breathing planned (lead-in excluded), or None when open-ended."""
        return None if self.cycles is None else self.cycles * self._cycle_seconds

    @property
    def paused(self) -> bool:
        """True while paused."""
        return self._paused_at is not None

    @property
    def stopped(self) -> bool:
        """True once stopped early with `stop()`."""
        return self._stopped_at is not None

    @property
    def finished(self) -> bool:
        """True when every planned cycle is done, or after `stop()`."""
        return self.state().finished

    @property
    def closing_line(self) -> str:
        """The gentle line said at the end."""
        return self.text("breathing.closing")

    def _active(self, now: float | None = None) -> float:
        """Seconds since start with pauses taken out (frozen while paused or once stopped)."""
        if now is None:
            now = self.clock()
        for frozen in (self._stopped_at, self._paused_at):
            if frozen is not None:
                now = min(now, frozen)
        return max(0.0, now - self.started_at - self._paused_total)

    def elapsed(self) -> float:
        """Seconds of breathing so far (lead-in and pauses excluded)."""
        breathing = self._active() - self.lead_in
        total = self.total_seconds
        if total is not None:
            breathing = min(breathing, total)
        return max(0.0, breathing)

    def pause(self) -> None:
        """Pause; the time until `resume()` is left out of every answer."""
        if self._paused_at is None and self._stopped_at is None:
            self._paused_at = self.clock()

    def resume(self) -> None:
        """Resume after `pause()`."""
        if self._paused_at is not None:
            self._paused_total += self.clock() - self._paused_at
            self._paused_at = None

    def stop(self) -> None:
        """End now; the state becomes `done` with the closing line."""
        if self._stopped_at is None:
            self.resume()
            self._stopped_at = self.clock()

    def _step_at(self, breathing: float) -> tuple[int, int, float]:
        """(cycle index from 0, step index, seconds into the step) at `breathing` seconds."""
        cycle, into = divmod(breathing + _EPSILON, self._cycle_seconds)
        index = 0
        while index + 1 < len(self._bounds) - 1 and into >= self._bounds[index + 1]:
            index += 1
        # Still carries the epsilon, so whole counts are found at their exact second too.
        return int(cycle), index, into - self._bounds[index]

    def state(self) -> PacerState:
        """The pacer's state now."""
        active = self._active()
        breathing = active - self.lead_in
        paused = self._paused_at is not None
        total = self.total_seconds
        if self._stopped_at is not None or (total is not None and breathing >= total - _EPSILON):
            breathed = max(0.0, breathing if total is None else min(breathing, total))
            done = int((breathed + _EPSILON) // self._cycle_seconds)
            return PacerState("done", -1, "done", 0.0, 0.0, 0, done, self.cycles, done, 0.0,
                              self.text("breathing.label.done"), self.closing_line,
                              breathed, False, True)
        if breathing < -_EPSILON:
            left = -breathing
            return PacerState("ready", -1, "ready", self.lead_in - left, left,
                              math.ceil(left - _EPSILON),
                              1, self.cycles, 0, 0.0, self.text("breathing.label.ready"),
                              self.text("breathing.opening"), 0.0, paused, False)
        cycle, index, nudged = self._step_at(breathing)
        into = max(0.0, nudged - _EPSILON)
        step = self.pattern.steps[index]
        fraction = min(1.0, into / step.seconds)
        start, end = self._levels[index]
        label_key = step.kind
        if step.kind == "hold" and end < 0.5:
            label_key = "hold_empty"
        elif step.kind == "inhale" and start > 0.05:
            label_key = "top_up"
        return PacerState(
            phase="breathing", step_index=index, kind=step.kind, seconds_in=into,
            seconds_left=max(0.0, step.seconds - into),
            count=min(int(nudged) + 1, math.ceil(step.seconds)),
            cycle=cycle + 1, cycles=self.cycles, cycles_done=cycle,
            progress=start + (end - start) * _ease(fraction),
            label=self.text(f"breathing.label.{label_key}"),
            words=step.words or self.text(f"breathing.words.{step.kind}"),
            elapsed=max(0.0, breathing), paused=paused, finished=False,
        )

    def _to_clock(self, active: float) -> float:
        return self.started_at + self._paused_total + active

    def next_change(self) -> float | None:
        """Clock time of the next step change (or the end), or None if paused or finished."""
        if self._paused_at is not None or self._stopped_at is not None:
            return None
        breathing = self._active() - self.lead_in
        total = self.total_seconds
        if total is not None and breathing >= total - _EPSILON:
            return None
        if breathing < -_EPSILON:
            return self._to_clock(self.lead_in)
        cycle, index, _ = self._step_at(breathing)
        return self._to_clock(self.lead_in + cycle * self._cycle_seconds + self._bounds[index + 1])

    def next_count(self) -> float | None:
        """Clock time at which the shown count or step next changes, or None if it will not."""
        change = self.next_change()
        if change is None:
            return None
        breathing = self._active() - self.lead_in
        if breathing < -_EPSILON:
            tick = self._to_clock(self.lead_in - (math.ceil(-breathing - _EPSILON) - 1))
            return min(change, tick)
        cycle, index, nudged = self._step_at(breathing)
        tick = self._to_clock(self.lead_in + cycle * self._cycle_seconds + self._bounds[index]
                              + int(nudged) + 1)
        return min(change, tick)

    def upcoming(self) -> tuple[str, float] | None:
        """The next step's kind (or `end`) and its clock time, for cue sounds sent ahead."""
        change = self.next_change()
        if change is None:
            return None
        breathing = self._active() - self.lead_in
        if breathing < -_EPSILON:
            return self.pattern.steps[0].kind, change
        cycle, index, _ = self._step_at(breathing)
        following = (index + 1) % len(self.pattern.steps)
        if self.cycles is not None and following == 0 and cycle + 1 >= self.cycles:
            return "end", change
        return self.pattern.steps[following].kind, change


class WithdrawCues:
    """A pacer guide that takes back the sounds sent ahead of their moment (cues and voice
    takes go to the audio engine 0.8 s early) when the pacer pauses or is stopped early, so
    nothing rings after the sitter has stopped. It comes first among the guides, so what the
    others send as the pacer stops (the closing line) is not taken back with the rest."""

    def __init__(self, engine: Any) -> None:
        """`engine`: anything with `withdraw_cues()` (the AudioEngine client)."""
        self.engine = engine

    def started(self, pacer: Pacer) -> None:
        """Nothing to take back yet."""

    def step(self, pacer: Pacer, index: int, at: float) -> None:
        """The step's cue is sent by others."""

    def paused(self, pacer: Pacer) -> None:
        """Held still: the next step's sound must not come."""
        self.engine.withdraw_cues()

    def resumed(self, pacer: Pacer) -> None:
        """The pacer sends the next step's sound again, at its new time."""

    def stopped(self, pacer: Pacer) -> None:
        """Stopped early: take back the next step's sound (a natural end keeps its own)."""
        if pacer.stopped:
            self.engine.withdraw_cues()
