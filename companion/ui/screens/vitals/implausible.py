"""The second question before a reading no living person can have (`15095`, `880`) is saved."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from companion.record.vitals import Implausible
from companion.ui.screens.dialogs import Dialog

FIX, USE_FIX, KEEP = "fix", "use_fix", "keep"
"""What `ImplausibleDialog` returns: back to fix it, use the suggested fix, keep as typed."""


class ImplausibleDialog(Dialog):
    """Readings no living person can have, said plainly; nothing is saved until answered.

    Returns FIX (the first button, focused: Enter and Escape both go back to the form or note,
    so hurried keys never keep a slip), USE_FIX (only when every reading has a likely fix) or
    KEEP (kept exactly as typed, after looking twice).
    """

    CANCEL = FIX

    def __init__(self, problems: Sequence[Implausible], *, back: str = "Back to the form") -> None:
        super().__init__()
        self._problems, self._back = list(problems), back

    def compose(self) -> ComposeResult:
        many = len(self._problems) > 1
        with Vertical(classes="dialog", id="implausible"):
            yield Label("Check these readings" if many else "Check this reading",
                        classes="dialog-title")
            for problem in self._problems:
                yield Label(problem.message, classes="dialog-text implausible-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._back, id="implausible-fix", compact=True)
                fixes = [p.fix_text for p in self._problems]
                if all(fixes):
                    yield Button("Use " + ", ".join(fixes), id="implausible-use",
                                 variant="primary", compact=True)
                yield Button("Keep as typed", id="implausible-keep", variant="warning",
                             compact=True)
            yield Label("Nothing saved yet · Enter or Esc: back to correct it",
                        classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#implausible-fix", Button).focus()

    @on(Button.Pressed)
    def _answered(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss({"implausible-fix": FIX, "implausible-use": USE_FIX,
                      "implausible-keep": KEEP}.get(event.button.id or "", FIX))
