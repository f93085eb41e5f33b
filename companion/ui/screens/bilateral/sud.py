"""The SUD dialog: the client's distress (0-10) between sets, with an optional note."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from companion.ui.screens.dialogs import Dialog


class SudDialog(Dialog):
    """The client's SUD (0-10) and an optional note: returns (rating, note) or None.
    Escape with something typed keeps it as a note (the shared dialog's rule)."""

    WORD_LABELS = {"sud-value": "SUD", "sud-note": "note"}

    def words_title(self) -> str:
        return "SUD rating"

    DEFAULT_CSS = """
    SudDialog { align: center middle; }
    SudDialog > Vertical { width: 56; height: auto; padding: 1 2; border: round $primary-muted;
                           background: $panel; }
    SudDialog Label { width: 100%; }
    SudDialog #sud-problem { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Close", id="bls.sud.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("SUD: how disturbing does it feel now?")
            yield Label("0 = no disturbance … 10 = the most. Number, then Enter.")
            yield Input(placeholder="0-10", id="sud-value", type="integer", max_length=2)
            yield Input(placeholder="note (optional)", id="sud-note")
            yield Label("", id="sud-problem")

    def on_mount(self) -> None:
        self.query_one("#sud-value", Input).focus()

    @on(Input.Submitted)
    def _save(self) -> None:
        text = self.query_one("#sud-value", Input).value
        value = int(text) if text.strip().isdigit() else -1
        if 0 <= value <= 10:
            self.dismiss((value, self.query_one("#sud-note", Input).value.strip()))
        else:
            self.query_one("#sud-problem", Label).update("A whole number from 0 to 10, please.")
            self.query_one("#sud-value", Input).focus()
