"""The session clock panel: time since the session started and since the dose was marked."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Label

from companion.clock import format_clock


class ClockPanel(Horizontal):
    """Two clocks, large enough to read at arm's length; one line each when space is short."""

    DEFAULT_CSS = """
    ClockPanel {
        height: auto;
        width: 1fr;
    }
    ClockPanel > Vertical {
        width: auto;
        height: auto;
        margin: 0 4 0 0;
    }
    ClockPanel .clock-label {
        color: $text-muted;
    }
    ClockPanel Digits {
        width: auto;
        color: $foreground;
    }
    ClockPanel #dose-digits {
        color: $text-muted;
    }
    ClockPanel .clock-line {
        display: none;
        text-style: bold;
    }
    ClockPanel.-compact Digits {
        display: none;
    }
    ClockPanel.-compact .clock-line {
        display: block;
    }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="session-clock"):
            yield Label("Session", classes="clock-label")
            yield Digits("0:00:00", id="session-digits")
            yield Label("0:00:00", id="session-line", classes="clock-line")
        with Vertical(id="dose-clock"):
            yield Label("Since dose", classes="clock-label")
            yield Digits("-:--:--", id="dose-digits")
            yield Label("not marked", id="dose-line", classes="clock-line")

    def show(self, elapsed: float, since_dose: float | None) -> None:
        """Show the two times; only what changed is repainted."""
        session, dose = format_clock(elapsed), format_clock(since_dose)
        digits = self.query_one("#session-digits", Digits)
        if digits.value != session:
            digits.update(session)
            self.query_one("#session-line", Label).update(session)
        dose_digits = self.query_one("#dose-digits", Digits)
        if dose_digits.value != dose:
            dose_digits.update(dose)
            self.query_one("#dose-line", Label).update(dose if since_dose is not None else "not marked")
