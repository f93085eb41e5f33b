"""The 5-4-3-2-1 grounding exercise as a plain state machine, reporting through `on_event`.

Five steps (see 5, hear 4, feel 3, smell 2, taste 1), one at a time. Each noticed item may
carry a few words. A step is done when its count is reached, and the exercise moves on by
itself (`auto_advance`); the person guiding it can also go back, move on, skip a step,
repeat it, start over or finish early. After the last step comes the gentle closing,
where an optional 0-10 distress rating may be given before `finish()`.

Events use the session record's names and fields, each as `on_event(type, fields)`:
`grounding_started` (mode, lang), `grounding_step` (step: the sense or "closing", number,
count, action: start/done/next/back/skip/repeat/restart), `grounding_item` (step, item,
count, text?), `grounding_item_removed` (step, item), `distress_rating` (rating, scale,
context "grounding", moment before/after), and at the end `grounding_completed` (from the
closing) or `grounding_stopped` (left early), with the items per step, skipped steps,
duration and ratings. The rating after is sent just after the end, as the record's
reports expect. Times come from an injected monotonic clock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from companion.clock import Clock
from companion.errors import ExerciseError
from companion.record import events as ev
from companion.record.events import EventSink, NewEvent

if TYPE_CHECKING:
    from companion.wording import Wording

MODES = ("sitter", "client")
RATING_RANGE = (0, 10)


@dataclass(frozen=True)
class Step:
    """One sense and how many things to notice with it."""

    sense: str
    """The wording key part: `grounding.<sense>.prompt`."""
    count: int


STEPS: tuple[Step, ...] = (
    Step("see", 5),
    Step("hear", 4),
    Step("feel", 3),
    Step("smell", 2),
    Step("taste", 1),
)
"""The classic 5-4-3-2-1 sequence."""


def _ignore(_type: str, _fields: dict[str, Any]) -> None:
    """The default event sink: a client alone keeps nothing unless they ask for the journal."""


class Grounding:
    """The exercise's state: the current step, items noticed per step, skips and ratings."""

    def __init__(self, on_event: EventSink | None = None, *, clock: Clock = time.monotonic,
                 mode: str = "client", lang: str = "en", steps: tuple[Step, ...] = STEPS,
                 auto_advance: bool = True) -> None:
        if mode not in MODES:
            raise ExerciseError(f"grounding mode {mode!r} is not one of {', '.join(MODES)}")
        self.on_event: EventSink = _ignore if on_event is None else on_event
        self.clock = clock
        self.mode = mode
        self.lang = lang
        self.steps = steps
        self.auto_advance = auto_advance
        self.items: list[list[str]] = [[] for _ in steps]
        """Per step, the words given for each item noticed ('' when none were given)."""
        self.skipped: set[int] = set()
        self.index = 0
        """The current step (0-based); `len(steps)` means the closing."""
        self.rating_before: int | None = None
        self.rating_after: int | None = None
        self.started_at: float | None = None
        self.finished = False

    # -- state ------------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        """True once `start()` was called."""
        return self.started_at is not None

    @property
    def at_closing(self) -> bool:
        """True after the last step: time for the gentle closing (and the rating after)."""
        return self.index >= len(self.steps)

    @property
    def step(self) -> Step | None:
        """The current step, or None at the closing."""
        return None if self.at_closing else self.steps[self.index]

    @property
    def number(self) -> int:
        """The current step's number, 1-based (`len(steps) + 1` at the closing)."""
        return self.index + 1

    @property
    def noticed(self) -> tuple[str, ...]:
        """The items noticed in the current step so far (their words, '' when none)."""
        return () if self.at_closing else tuple(self.items[self.index])

    @property
    def remaining(self) -> int:
        """How many more items the current step asks for."""
        step = self.step
        return 0 if step is None else max(0, step.count - len(self.items[self.index]))

    def duration(self) -> float:
        """Seconds since `start()` (0 before)."""
        return 0.0 if self.started_at is None else self.clock() - self.started_at

    def completed_steps(self) -> list[str]:
        """The senses whose count was reached."""
        return [s.sense for i, s in enumerate(self.steps) if len(self.items[i]) >= s.count]

    # -- transitions ------------------------------------------------------------------------

    def start(self) -> None:
        """Begin at step 1 and report it (a second call does nothing)."""
        if self.started:
            return
        self.started_at = self.clock()
        self._emit(ev.grounding_started(self.mode, self.lang))
        self._report_step("start")

    def rate(self, moment: str, value: int | None) -> None:
        """Record a 0-10 distress rating `before` or `after`; None means the person skipped it."""
        if moment not in ("before", "after"):
            raise ExerciseError(f"a distress rating is 'before' or 'after', not {moment!r}")
        if value is None:
            return
        _check_rating(value)
        setattr(self, f"rating_{moment}", value)
        self._emit(ev.distress_rating(value, context="grounding", moment=moment))

    def notice(self, words: str = "") -> None:
        """Count one item in the current step, with optional words; moves on when it is full."""
        self._require_running()
        step = self.step
        if step is None:
            return
        items = self.items[self.index]
        if len(items) >= step.count:
            return
        words = " ".join(words.split())
        items.append(words)
        self.skipped.discard(self.index)
        self._emit(ev.grounding_item(step.sense, len(items), step.count, words))
        if len(items) >= step.count and self.auto_advance:
            self._move(self.index + 1, "done")

    def undo(self) -> None:
        """Take back the last item of the current step (a mark made by mistake)."""
        self._require_running()
        if self.at_closing or not self.items[self.index]:
            return
        self.items[self.index].pop()
        step = self.steps[self.index]
        self._emit(ev.grounding_item_removed(step.sense, len(self.items[self.index]) + 1))

    def next(self) -> None:
        """Move on to the next step (or the closing), keeping what was noticed."""
        self._require_running()
        if not self.at_closing:
            self._move(self.index + 1, "next")

    def back(self) -> None:
        """Go back one step (from the closing, to the last step), keeping its items."""
        self._require_running()
        if self.index > 0:
            self._move(self.index - 1, "back")

    def skip(self) -> None:
        """Leave the current step out and move on."""
        self._require_running()
        if self.at_closing:
            return
        self.skipped.add(self.index)
        self._move(self.index + 1, "skip")

    def repeat(self) -> None:
        """Do the current step again from its first item."""
        self._require_running()
        if self.at_closing:
            return
        self.items[self.index].clear()
        self.skipped.discard(self.index)
        self._report_step("repeat")

    def restart(self) -> None:
        """Start over from step 1 with nothing noticed (ratings are kept)."""
        self._require_running()
        self.items = [[] for _ in self.steps]
        self.skipped.clear()
        self.index = 0
        self._report_step("restart")

    def finish(self, rating_after: int | None = None) -> dict[str, Any]:
        """End the exercise (at the closing or early), report it, and return the summary.

        Ends with `grounding_completed` from the closing, `grounding_stopped` before it;
        a rating given here follows as the `after` rating.
        """
        if self.finished:
            return self.summary()
        if rating_after is not None:
            _check_rating(rating_after)
        if not self.started:
            self.start()
        self.finished = True
        if rating_after is not None:
            self.rating_after = rating_after
        if self.at_closing:
            self._emit(ev.grounding_completed(self.summary()))
        else:
            self._emit(ev.grounding_stopped(self.steps[self.index].sense, self.summary()))
        if rating_after is not None:
            self._emit(ev.distress_rating(rating_after, context="grounding", moment="after"))
        return self.summary()

    def summary(self) -> dict[str, Any]:
        """What happened, as JSON-ready data (for the record's completion event and the journal)."""
        return {
            "mode": self.mode,
            "lang": self.lang,
            "items": {s.sense: len(self.items[i]) for i, s in enumerate(self.steps)},
            "words": {s.sense: [w for w in self.items[i] if w]
                      for i, s in enumerate(self.steps) if any(self.items[i])},
            "skipped": [self.steps[i].sense for i in sorted(self.skipped)],
            "all_steps": len(self.completed_steps()) == len(self.steps),
            "duration": round(self.duration(), 1),
            "rating_before": self.rating_before,
            "rating_after": self.rating_after,
        }

    # -- internals --------------------------------------------------------------------------

    def _require_running(self) -> None:
        if not self.started:
            raise ExerciseError("the grounding exercise has not started yet")
        if self.finished:
            raise ExerciseError("the grounding exercise has already finished")

    def _move(self, index: int, action: str) -> None:
        self.index = max(0, min(index, len(self.steps)))
        self._report_step(action)

    def _report_step(self, action: str) -> None:
        step = self.step
        if step is None:
            self._emit(ev.grounding_step("closing", self.number, action))
        else:
            self._emit(ev.grounding_step(step.sense, self.number, action, step.count))

    def _emit(self, event: NewEvent) -> None:
        self.on_event(event.type, event.fields)


def _check_rating(value: Any) -> None:
    low, high = RATING_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ExerciseError(f"a distress rating is a whole number from {low} to {high}, "
                            f"not {value!r}")


SITTER_VARIANTS = {"prompt": "sitter", "hint": "sitter_hint"}
"""A step's line -> its sitter-mode variant: the words read aloud, and the hint for the room."""


def step_line(wording: Wording, sense: str, part: str, mode: str) -> str:
    """A step's `prompt`/`hint` line for `mode`: in sitter mode its variant (`sitter`,
    `sitter_hint`) when one exists."""
    shared = f"grounding.{sense}.{part}"
    variant = SITTER_VARIANTS.get(part)
    if mode != "sitter" or variant is None:
        return wording.get(shared)
    sitter = f"grounding.{sense}.{variant}"
    overrides = getattr(wording, "overrides", {})
    # A clinician who rewrote only the shared line means it for both modes.
    rewrote_shared_only = shared in overrides and sitter not in overrides
    if wording.has(sitter) and not rewrote_shared_only:
        return wording.get(sitter)
    return wording.get(shared)
