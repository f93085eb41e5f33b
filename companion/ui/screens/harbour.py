"""The safe harbour's screen: sitter-mode grounding with the harbour's words on top.

The music has already begun to fade to the harbour track when this opens (the session
controller does that); the screen adds the sitter's first words from the plan and says
which key returns. Finishing or leaving the grounding returns from the harbour too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App, ComposeResult
from textual.widgets import Static

from companion.ui.screens.grounding import GroundingScreen

if TYPE_CHECKING:
    from companion.session import SessionController

DEFAULT_WORDS = "You're safe. I'm right here. Let's notice the room."
"""Shown when the plan gives no harbour words (the issue's own example)."""


class HarbourScreen(GroundingScreen):
    """Grounding in sitter mode under the harbour's words."""

    AUTO_FOCUS = ""
    """Nothing takes focus by itself: a focused text box would take the harbour key as typing."""

    DEFAULT_CSS = """
    HarbourScreen #harbour-words {
        dock: top;
        height: auto;
        padding: 0 2;
        background: $surface;
        color: $accent;
        text-style: bold;
    }
    """

    def __init__(self, words: str, return_key: str, **options: Any) -> None:
        # No rating box at the opening: a text field there would take the harbour key as
        # typing, and a frightened client is not asked for a number first.
        options.setdefault("ratings", False)
        super().__init__(mode="sitter", **options)
        self.words = words or DEFAULT_WORDS
        self.return_key = return_key

    def compose(self) -> ComposeResult:
        yield Static(f"“{self.words}”\nSafe harbour · {self.return_key} returns to the music, "
                     "as does finishing", id="harbour-words", markup=False)
        yield from super().compose()

    def leave(self) -> None:
        """Close the grounding (its end goes to the record) without asking."""
        self.dismiss(self.exercise.finish() if self.exercise.started else None)


def open_harbour(app: App[Any], controller: SessionController, return_key: str,
                 on_done: Callable[[dict[str, Any] | None], None] | None = None) -> HarbourScreen:
    """Push the harbour's grounding over the session; `on_done(summary)` when it closes."""
    screen = HarbourScreen(controller.harbour_words, return_key, wording=controller.wording(),
                           on_event=controller.exercise_event)
    app.push_screen(screen, on_done)
    return screen
