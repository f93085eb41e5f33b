"""Ending the session: the closing note, and before the minimum observation time, the reason."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from companion.ui.screens.dialogs.base import KEPT_HINT, Dialog


class EndDialog(Dialog):
    """Ask before ending: returns the closing note ("" for none), or None to keep going.

    Focus starts in the note field. Enter after a note moves to the End button, so ending
    takes a deliberate second Enter on a button that says what it does; Enter with nothing
    written moves to "Keep going", so stray keys (q, Enter, Enter) never end a session.
    Ending without a note takes Tab to the End button. Keeping going with a note written
    keeps the note in the record.
    """

    HINT = "Nothing written: Enter keeps going. To end without a note, Tab to End session."
    WORD_LABELS = {"end-note": "closing note"}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("End the session?", classes="dialog-title")
            yield from self.body()
            yield Label(KEPT_HINT, id="end-hint", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep going", id="keep-going")
                yield Button("End session", id="end-session", variant="warning")

    def body(self) -> ComposeResult:
        """The text and fields between the title and the buttons."""
        yield Label("The music fades out and the record is closed.", classes="dialog-text")
        yield Input(placeholder="closing note (optional)", id="end-note")

    def hint(self, text: str) -> None:
        """Show `text` under the fields."""
        self.query_one("#end-hint", Label).update(text)

    def answer(self) -> object:
        """What ending returns; None (with a hint shown) while something needed is missing."""
        return self.query_one("#end-note", Input).value.strip()

    @on(Input.Submitted, "#end-note")
    def _note_submitted(self) -> None:
        self.after_note()

    def after_note(self) -> None:
        """Enter in the note field: on to a button."""
        if self.query_one("#end-note", Input).value.strip():
            self.query_one("#end-session", Button).focus()
        else:
            self.hint(self.HINT)
            self.query_one("#keep-going", Button).focus()

    @on(Button.Pressed, "#keep-going")
    def _keep_going(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#end-session")
    def _end(self) -> None:
        answer = self.answer()
        if answer is not None:
            self.dismiss(answer)


class EarlyEndDialog(EndDialog):
    """Ending before the minimum observation time: returns (reason, closing note), or None.

    Says how long is left; the reason is required (it goes into the record as the
    override): Enter on an empty reason says so and stays there; Enter moves from the
    reason to the note and from the note to the button.
    """

    HINT = "A reason is needed to end before the minimum observation time: type it above."
    WORD_LABELS = {"early-reason": "reason to end early", "end-note": "closing note"}

    def __init__(self, left: str, minimum: str) -> None:
        super().__init__()
        self._left, self._minimum = left, minimum

    def body(self) -> ComposeResult:
        yield Label(f"Before the minimum observation time: the plan asks for {self._minimum} "
                    f"after the dose, and {self._left} is still to go.",
                    classes="dialog-text", id="early-left")
        yield Input(placeholder="the reason, for the record (needed)", id="early-reason")
        yield Input(placeholder="closing note (optional)", id="end-note")

    def on_mount(self) -> None:
        self.query_one("#early-reason", Input).focus()

    def answer(self) -> object:
        reason = self.query_one("#early-reason", Input).value.strip()
        if not reason:
            self.hint(self.HINT)
            self.query_one("#early-reason", Input).focus()
            return None
        return reason, self.query_one("#end-note", Input).value.strip()

    @on(Input.Submitted, "#early-reason")
    def _reason_done(self) -> None:
        if not self.query_one("#early-reason", Input).value.strip():
            self.hint(self.HINT)  # needed: say so, and stay in the field
            return
        self.hint(KEPT_HINT)
        self.query_one("#end-note", Input).focus()

    def after_note(self) -> None:
        # The reason, needed and typed, is the deliberate act here: an empty note is fine.
        self.query_one("#end-session", Button).focus()
