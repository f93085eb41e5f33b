"""What the sitter types: a note with its tag, a distress rating, a reason."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, RadioButton, RadioSet
from textual.widgets.input import Selection

from companion.ui.screens.dialogs.base import Dialog

NOTE_TAG_LABELS = (
    ("observation", "Observation"),
    ("intervention", "Intervention"),
    ("vitals", "Vitals"),
    ("client_words", "Client's words"),
)
"""(record tag, label) in the order the note dialog offers them."""


class ReasonDialog(Dialog):
    """Ask for a few words (a reason): returns them ("" when optional and left empty), or None."""

    WORD_LABELS = {"reason": "reason"}

    def __init__(self, title: str, detail: str = "", *, placeholder: str = "",
                 required: bool = True) -> None:
        super().__init__()
        self._title, self._detail = title, detail
        self._placeholder, self._required = placeholder, required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            if self._detail:
                yield Label(self._detail, classes="dialog-text")
            yield Input(placeholder=self._placeholder, id="reason")
            yield Label("Enter confirms · Escape cancels (words typed are kept as a note)",
                        classes="dialog-hint", id="reason-hint")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _done(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if self._required and not text:
            self.query_one("#reason-hint", Label).update(
                "A few words are needed: type them above · Escape cancels")
            return
        self.dismiss(text)


class NoteDialog(Dialog):
    """A note with a tag: returns (tag, text), or None. Enter in the text saves it; Escape
    with words written keeps them too (marked as kept), so a note is never lost."""

    WORD_LABELS = {"note-text": ""}

    def __init__(self, tag: str = "observation") -> None:
        super().__init__()
        self._tag = tag

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Add a note", classes="dialog-title")
            # Short enough to be read whole in the field at 60 columns.
            yield Input(placeholder="what happened (BP 132/84 HR 78 kept as vitals)",
                        id="note-text")
            with RadioSet(id="note-tag"):
                for tag, label in NOTE_TAG_LABELS:
                    yield RadioButton(label, value=tag == self._tag, name=tag)
            yield Label("Enter saves · Tab: the tag · ctrl+f safe harbour", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#note-text", Input).focus()

    def kept_tag(self) -> str:
        return self.selected_tag()

    def selected_tag(self) -> str:
        """The tag chosen in the radio set."""
        button = self.query_one("#note-tag", RadioSet).pressed_button
        return button.name if button is not None and button.name else "observation"

    @on(Input.Submitted, "#note-text")
    def _save(self) -> None:
        text = self.query_one("#note-text", Input).value.strip()
        if not text:
            self.dismiss(None)
            return
        from companion.record.vitals import fixed_note, note_implausible
        from companion.ui.screens.vitals import KEEP, USE_FIX, ImplausibleDialog

        # Vitals no living person can have (`BP 15095/95`) are asked about before saving.
        doubtful = note_implausible(text)
        if not doubtful:
            self.dismiss((self.selected_tag(), text))
            return

        def answered(answer: str | None) -> None:
            fixed = fixed_note(text, doubtful)
            if answer == KEEP:
                self.dismiss((self.selected_tag(), text))
            elif answer == USE_FIX and fixed is not None:
                self.dismiss((self.selected_tag(), fixed))
            else:  # back in the note, the doubtful value selected to retype
                field = self.query_one("#note-text", Input)
                field.focus()
                indent = len(field.value) - len(field.value.lstrip())
                start, end = doubtful[0].span or (0, len(text))
                field.selection = Selection(start + indent, end + indent)

        self.app.push_screen(ImplausibleDialog(doubtful, back="Back to the note"), answered)


class DistressDialog(Dialog):
    """The client's distress, 0 (calm) to 10 (the most): returns the number, or None."""

    WORD_LABELS = {"distress": "distress rating"}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Distress rating", classes="dialog-title")
            yield Label("0 = calm … 10 = the most distress. Type the number, then Enter.",
                        classes="dialog-text")
            yield Input(placeholder="0-10", id="distress", type="integer", max_length=2)
            yield Label("", id="distress-problem", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#distress", Input).focus()

    @on(Input.Submitted, "#distress")
    def _save(self, event: Input.Submitted) -> None:
        try:
            value = int(event.value)
        except ValueError:
            value = -1
        if 0 <= value <= 10:
            self.dismiss(value)
        else:
            self.query_one("#distress-problem", Label).update("A whole number from 0 to 10, please.")
