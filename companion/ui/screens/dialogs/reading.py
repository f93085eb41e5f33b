"""Dialogs to read: every key and what it does, and the session's record so far."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, Static

from companion.ui.screens.dialogs.base import Dialog

HELP_TWO_COLUMNS_WIDTH = 72
"""Below this terminal width the keys are listed in one column."""


class HelpDialog(Dialog):
    """Every key and what it does."""

    BINDINGS = [Binding("escape,question_mark,q", "cancel", "Close", id="dialog.cancel")]

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._keys = list(keys)

    def compose(self) -> ComposeResult:
        width = max((len(key) for key, _ in self._keys), default=1)
        lines = [f"{key.rjust(width)}  {description}" for key, description in self._keys]
        half = (len(lines) + 1) // 2
        # Scrollable with the arrows: at 60x18 the keys take more lines than there are.
        with VerticalScroll(classes="dialog dialog-wide", id="help-box"):
            yield Label("Keys", classes="dialog-title")
            with Horizontal(id="help-columns"):
                yield Static(Text("\n".join(lines[:half])), id="help-keys", classes="help-column")
                yield Static(Text("\n".join(lines[half:])), id="help-keys-more",
                             classes="help-column")
            yield Label("Keys can be changed in the config file (see the README). Escape closes.",
                        classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#help-box", VerticalScroll).focus()
        self._columns()

    def on_resize(self) -> None:
        self._columns()

    def _columns(self) -> None:
        # Two columns of keys wrap every line in a narrow terminal: one reads better there.
        self.set_class(self.app.size.width < HELP_TWO_COLUMNS_WIDTH, "-one-column")

    def text(self) -> str:
        """Everything the dialog lists, for tests and screen readers."""
        return "\n".join(f"{key}  {description}" for key, description in self._keys)


class LogDialog(Dialog):
    """The session's record so far, newest at the bottom."""

    BINDINGS = [Binding("escape,l,q", "cancel", "Close", id="dialog.cancel")]

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__()
        self._lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-tall dialog-wide"):
            yield Label("The session so far", classes="dialog-title")
            with VerticalScroll(id="log-scroll"):
                yield Static("\n".join(self._lines) or "(nothing yet)", id="log-lines", markup=False)
            yield Label("↑↓ scroll · Escape closes", classes="dialog-hint")

    def on_mount(self) -> None:
        scroll = self.query_one("#log-scroll", VerticalScroll)
        scroll.focus()
        scroll.scroll_end(animate=False)
