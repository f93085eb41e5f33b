"""Breathing from a key: the picker, then the pacer for the pattern chosen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.app import App

from companion.breathing import BreathingSummary, PacerGuide, Pattern
from companion.ui.screens.breathing.pacer import PacerScreen
from companion.ui.screens.breathing.picker import PatternPickerScreen


def push_breathing(app: App[Any], patterns: Sequence[Pattern], *,
                   on_done: Callable[[BreathingSummary | None], None] | None = None,
                   guides: Callable[[Pattern], Sequence[PacerGuide]] | None = None,
                   **pacer_options: Any) -> None:
    """Push the picker, then the pacer for the chosen pattern (options go to PacerScreen).

    `guides(pattern)`: the voice and breath-sound guides for the pattern chosen.
    """

    def picked(pattern: Pattern | None) -> None:
        if pattern is None:
            if on_done is not None:
                on_done(None)
            return
        chosen = tuple(guides(pattern)) if guides is not None else ()
        app.push_screen(PacerScreen(pattern, guides=chosen, **pacer_options), callback=on_done)

    app.push_screen(PatternPickerScreen(patterns, wording=pacer_options.get("wording")),
                    callback=picked)
