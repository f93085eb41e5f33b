"""The pacer: runs a pattern against an injected monotonic clock, timed from its start.

Every answer it gives is computed from its start time and the time spent paused, never by
adding up sleeps, so it cannot drift however late the screen that asks it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from companion.breathing.lungs import ease, lung_levels
from companion.breathing.patterns import Pattern
from companion.clock import Clock
from companion.errors import ExerciseError
from companion.wording import Wording

# Boundaries are sums of decimal seconds (5.5, 4.3): a state asked for at a boundary must
# land on the new step even when the float sum is a hair above the exact time.
_EPSILON = 1e-9


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
        self._levels = lung_levels(pattern.steps)
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
            progress=start + (end - start) * ease(fraction),
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
