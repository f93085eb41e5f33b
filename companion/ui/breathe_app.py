"""The standalone breathing app behind `companion breathe`: the pacer full screen, nothing else."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from textual.app import App

from companion.breathing import BreathingSummary, PacerGuide, Pattern
from companion.clock import Clock
from companion.record.events import EventSink
from companion.ui.screens.breathing import CueSink, PacerScreen, PatternPickerScreen
from companion.ui.theme import apply_calm_theme
from companion.wording import Wording


class BreatheApp(App[BreathingSummary | None]):
    """Runs one breathing pattern (or the picker first); exits with the pacer's summary."""

    TITLE = "Companion · breathing"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, patterns: Sequence[Pattern], pattern: Pattern | None = None, *,
                 cycles: int | None = None, minutes: float | None = None,
                 clock: Clock = time.monotonic, reduced_motion: bool = False,
                 ask_distress: bool = False, cue: CueSink | None = None,
                 on_event: EventSink | None = None,
                 wording: Wording | None = None, lead_in: float | None = None,
                 guides: Callable[[Pattern], Sequence[PacerGuide]] | None = None) -> None:
        """`guides(pattern)`: the voice and breath-sound guides for the chosen pattern."""
        super().__init__()
        self.guides = guides
        self.patterns = tuple(patterns)
        self.pattern = pattern
        self.wording = wording or Wording()
        self.pacer_options: dict[str, Any] = dict(
            cycles=cycles, minutes=minutes, clock=clock, reduced_motion=reduced_motion,
            ask_distress=ask_distress, cue=cue, on_event=on_event, wording=self.wording)
        if lead_in is not None:
            self.pacer_options["lead_in"] = lead_in

    def on_mount(self) -> None:
        apply_calm_theme(self)
        if self.pattern is None:
            self.push_screen(PatternPickerScreen(self.patterns, wording=self.wording,
                                                 can_go_back=False),
                             callback=self._picked)
        else:
            self._picked(self.pattern)

    def _picked(self, pattern: Pattern | None) -> None:
        if pattern is None:
            self.exit(None)
            return
        guides = self.guides(pattern) if self.guides is not None else ()
        self.push_screen(PacerScreen(pattern, guides=guides, **self.pacer_options),
                         callback=self.exit)


def make_breathe_app(patterns: Sequence[Pattern], pattern: Pattern | None = None,
                     **options: Any) -> BreatheApp:
    """The app factory shared by `companion breathe` and the tests (options as BreatheApp)."""
    return BreatheApp(patterns, pattern, **options)
