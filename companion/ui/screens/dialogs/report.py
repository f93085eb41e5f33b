"""The report at the end: save it, view it, or close."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label

from companion.ui.screens.dialogs.base import Dialog


class ReportScreen(Dialog):
    """The Markdown report, to read."""

    BINDINGS = [Binding("escape,q", "cancel", "Close", id="dialog.cancel")]

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self._markdown = markdown

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # markdown-it is slow to import: only when asked

        with Vertical(classes="dialog dialog-tall dialog-wide"):
            with VerticalScroll(id="report-scroll"):
                yield Markdown(self._markdown, id="report")
            yield Label("↑↓ scroll · Escape closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#report-scroll", VerticalScroll).focus()


class ReportDialog(Dialog):
    """After the end: save the Markdown report, view it, or close. Returns the saved path."""

    def __init__(self, markdown: str, default_path: Path, save: Callable[[Path, str], None],
                 status: str = "", saved: Path | None = None) -> None:
        """`saved`: where the report was already saved as the session ended (if it was)."""
        super().__init__()
        self._markdown = markdown
        self._default = default_path
        self._save = save
        self._status = status
        self._saved: Path | None = saved

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("The session has ended", classes="dialog-title")
            yield Label(self._status or "The record is complete.", classes="dialog-text",
                        id="report-status")
            # The path in words that wrap, so it is read whole at any width; the field is
            # only for saving elsewhere (empty: the path above).
            yield Label(f"Report: {self._default}", classes="dialog-text", id="report-file")
            yield Input(placeholder="or type another file to save it to", id="report-path",
                        compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save report", id="save-report", variant="primary")
                yield Button("View report", id="view-report")
                yield Button("Close", id="close-report")

    def on_mount(self) -> None:
        self.query_one("#save-report", Button).focus()

    def unsent_words(self) -> list[tuple[str, str]]:
        return []  # a file name, and the record is closed: nothing to keep as a note

    def action_cancel(self) -> None:
        self.dismiss(self._saved)

    @on(Button.Pressed, "#save-report")
    @on(Input.Submitted, "#report-path")
    def _save_report(self) -> None:
        path = Path(self.query_one("#report-path", Input).value.strip() or self._default).expanduser()
        label = self.query_one("#report-status", Label)
        try:
            self._save(path, self._markdown)
        except OSError as error:
            label.update(f"Could not save {path}: {error.strerror or error}")
            return
        self._saved = path
        # The path is said once, in the line that wraps (a second copy would push the
        # buttons off a small terminal).
        label.update("Saved.")
        self.query_one("#report-file", Label).update(f"Report: {path}")
        self.query_one("#close-report", Button).focus()

    @on(Button.Pressed, "#view-report")
    def _view(self) -> None:
        self.app.push_screen(ReportScreen(self._markdown))

    @on(Button.Pressed, "#close-report")
    def _close(self) -> None:
        self.dismiss(self._saved)
