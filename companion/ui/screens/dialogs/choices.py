"""Questions with a few answers: yes or no, a phase to jump to, one of a few things, resume or not."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, OptionList
from textual.widgets.option_list import Option

from companion.ui.screens.dialogs.base import Dialog


class ConfirmDialog(Dialog):
    """A yes/no question: returns True for yes; No (focused first) and Escape return False."""

    CANCEL = False

    def __init__(self, question: str, detail: str = "", *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self._question, self._detail, self._yes, self._no = question, detail, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._question, classes="dialog-title")
            if self._detail:
                yield Label(self._detail, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._no, id="no")
                yield Button(self._yes, id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _answered(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class PhaseDialog(Dialog):
    """Pick a phase to jump to: returns its index, or None. The current phase is highlighted
    first, so Enter at once changes nothing (the caller asks before a jump of two or more)."""

    def __init__(self, names: Sequence[str], current: int) -> None:
        super().__init__()
        self._names = list(names)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Jump to a phase", classes="dialog-title")
            options = [Option(f"{i + 1}. {name}" + ("  (now)" if i == self._current else ""), id=str(i))
                       for i, name in enumerate(self._names)]
            yield OptionList(*options, id="phase-list")
            yield Label("↑↓ choose · Enter jumps · Escape stays", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one("#phase-list", OptionList)
        options.highlighted = min(self._current, len(self._names) - 1) if self._names else None
        options.focus()

    @on(OptionList.OptionSelected, "#phase-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


class PickDialog(Dialog):
    """Pick one of a few named things: returns its index, or None."""

    def __init__(self, title: str, names: Sequence[str], current: int = 0) -> None:
        super().__init__()
        self._title, self._names, self._current = title, list(names), current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            yield OptionList(*(Option(name, id=str(i)) for i, name in enumerate(self._names)),
                             id="pick-list")
            yield Label("↑↓ choose · Enter picks · Escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one("#pick-list", OptionList)
        options.highlighted = self._current
        options.focus()

    @on(OptionList.OptionSelected, "#pick-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


class ResumeDialog(Dialog):
    """An interrupted session exists: returns True to resume it, False to start a new one."""

    CANCEL = False

    def __init__(self, description: str) -> None:
        super().__init__()
        self._description = description

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Resume the interrupted session?", classes="dialog-title")
            yield Label(self._description, classes="dialog-text", id="resume-description")
            yield Label("Its clock continues from where it started.", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Resume", id="resume", variant="primary")
                yield Button("Start a new session", id="new-session")

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    @on(Button.Pressed, "#resume")
    def _resume(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#new-session")
    def _new(self) -> None:
        self.dismiss(False)
