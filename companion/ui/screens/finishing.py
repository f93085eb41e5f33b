"""The last screen of a session: "Finishing…" while the music fades and the record closes.

Without it the terminal went blank for the whole fade (9 s and more) and looked hung.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label


class FinishingScreen(Screen[None]):
    """Shown from Close on "The session has ended" until the app exits; takes no keys."""

    DEFAULT_CSS = """
    FinishingScreen { align: center middle; }
    FinishingScreen > Vertical { width: auto; height: auto; padding: 1 4;
                                 border: round $primary-muted; }
    FinishingScreen #finishing-title { text-style: bold; }
    FinishingScreen #finishing-detail { color: $text-muted; }
    """

    def __init__(self, fade_s: float, saved_to: str | None = None) -> None:
        super().__init__()
        self._fade_s = fade_s
        self._saved_to = saved_to

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Finishing…", id="finishing-title")
            detail = (f"The music fades out ({self._fade_s:.0f} s) and the record is closed."
                      if self._fade_s >= 1 else "The record is closed.")
            yield Label(detail, id="finishing-detail")
            if self._saved_to:
                yield Label(f"Report: {self._saved_to}", id="finishing-report")
