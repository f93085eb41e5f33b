"""One breathing exercise as the record knows it: the pacer, the ratings around it, its events.

The screen shows the exercise and calls it once per key; the exercise reports to the
session record through `on_event(type, fields)`, as the grounding exercise does:
`breathing_started`, `breathing_paused` / `breathing_resumed`, a `distress_rating` before
and after when the client gives one, and `breathing_stopped` once at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.breathing.pacer import Pacer
from companion.breathing.patterns import Pattern
from companion.clock import Clock
from companion.record import events as ev
from companion.record.events import EventSink, NewEvent
from companion.wording import Wording


@dataclass(frozen=True)
class BreathingSummary:
    """How a breathing exercise went (what `breathing_stopped` records)."""

    pattern: str
    cycles_done: int
    duration: float
    """Seconds of breathing, pauses and the opening lead-in excluded."""
    completed: bool
    """True when every planned cycle was breathed; False when stopped early."""
    rating_before: int | None = None
    rating_after: int | None = None


class BreathingExercise:
    """A pattern breathed for `cycles` or `minutes` (else its default), reported as it goes."""

    def __init__(self, pattern: Pattern, clock: Clock, *, cycles: int | None = None,
                 minutes: float | None = None, lead_in: float = 0.0,
                 wording: Wording | None = None, reduced_motion: bool = False,
                 on_event: EventSink | None = None) -> None:
        """`reduced_motion` is recorded with the start: the pacer was shown without motion."""
        self.pattern = pattern
        self.clock = clock
        self.wording = wording
        self.lead_in = lead_in
        self.reduced_motion = reduced_motion
        self.on_event = on_event
        self._length = (cycles, minutes)
        self.pacer: Pacer | None = None
        """The running pacer, from `start()` on."""
        self.rating_before: int | None = None
        self.rating_after: int | None = None
        self.summary: BreathingSummary | None = None
        """How it went, once `end()` has recorded it."""

    @property
    def ended(self) -> bool:
        """True once `breathing_stopped` was reported."""
        return self.summary is not None

    def start(self) -> Pacer:
        """Start the pacer now (after the opening lead-in) and report it."""
        cycles, minutes = self._length
        self.pacer = Pacer(self.pattern, self.clock, cycles=cycles, minutes=minutes,
                           lead_in=self.lead_in, wording=self.wording)
        self._emit(ev.breathing_started(self.pattern.name, self.pattern.title, self.pacer.cycles,
                                        minutes, self.reduced_motion))
        return self.pacer

    def pause(self) -> None:
        """Hold the pacer still."""
        if self.pacer is not None:
            self.pacer.pause()
            self._emit(ev.breathing_paused(self.pattern.name))

    def resume(self) -> None:
        """Go on from where it paused."""
        if self.pacer is not None:
            self.pacer.resume()
            self._emit(ev.breathing_resumed(self.pattern.name))

    def stop(self) -> None:
        """Stop gently now (the pacer ends after no more breaths)."""
        if self.pacer is not None:
            self.pacer.stop()

    def rate(self, moment: str, value: int) -> None:
        """The client's 0-10 distress rating `before` or `after` the breathing."""
        setattr(self, f"rating_{moment}", value)
        self._emit(ev.breathing_rating(moment, value, self.pattern.name))

    def end(self) -> BreathingSummary:
        """Report `breathing_stopped` (once) with how it went; returns the summary."""
        if self.summary is not None:
            return self.summary
        assert self.pacer is not None, "a breathing exercise ends after it started"
        state = self.pacer.state()
        completed = not self.pacer.stopped and state.cycles is not None \
            and state.cycles_done >= state.cycles
        self.summary = BreathingSummary(
            pattern=self.pattern.name, cycles_done=state.cycles_done,
            duration=round(self.pacer.elapsed(), 1), completed=completed,
            rating_before=self.rating_before, rating_after=self.rating_after)
        s = self.summary
        self._emit(ev.breathing_stopped(s.pattern, s.cycles_done, s.duration, s.completed,
                                        s.rating_before, s.rating_after))
        return self.summary

    def _emit(self, event: NewEvent) -> None:
        if self.on_event is not None:
            self.on_event(event.type, event.fields)
