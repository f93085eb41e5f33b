"""The standalone grounding app behind `companion ground`: client mode, nothing else on screen."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.binding import Binding

from companion.clock import Clock
from companion.ui.screens.grounding import GroundingScreen
from companion.ui.theme import apply_calm_theme
from companion.wording import Wording


class GroundApp(App[dict[str, Any] | None]):
    """Runs the grounding exercise alone; exits with its summary (None when left at once)."""

    TITLE = "Companion · grounding"
    # Ctrl+Q and Ctrl+C leave the way Esc does (asking first), never abruptly.
    BINDINGS = [Binding("ctrl+q,ctrl+c", "leave", "Leave", show=False, priority=True)]
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, wording: Wording | None = None, *, clock: Clock = time.monotonic,
                 ratings: bool = True, speak: Callable[[str, str], bool] | None = None,
                 pause_s: float | None = None) -> None:
        super().__init__()
        self.wording = wording or Wording()
        self.clock = clock
        self.ratings = ratings
        self.voice_options: dict[str, Any] = {"speak": speak}
        if pause_s is not None:
            self.voice_options["pause_s"] = pause_s

    def on_mount(self) -> None:
        apply_calm_theme(self)
        self.push_screen(GroundingScreen(mode="client", wording=self.wording, clock=self.clock,
                                         ratings=self.ratings, **self.voice_options),
                         callback=self.exit)

    def action_leave(self) -> None:
        """Leave the exercise as Esc does (a second press confirms once it has begun)."""
        if isinstance(self.screen, GroundingScreen):
            self.screen.action_leave()
        else:
            self.exit(None)


def make_ground_app(wording: Wording | None = None, *, clock: Clock = time.monotonic,
                    ratings: bool = True, **voice: Any) -> GroundApp:
    """The app factory shared by `companion ground` and the tests (`speak`, `pause_s`: voice)."""
    return GroundApp(wording, clock=clock, ratings=ratings, **voice)
