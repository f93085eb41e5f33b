"""The session's dialogs: each a ModalScreen that returns its answer through `dismiss`.

End the session (with an optional closing note; before the minimum observation time, with
the sitter's reason), add a tagged note, a distress rating, a reason (for a skipped check),
jump to a phase, resume an interrupted session, the keys, the log so far, and the report
at the end. Escape always means "never mind" and returns None (or False).

Words typed into a dialog are never lost to a key: leaving without sending them (Escape,
"Keep going", a button that says no) keeps them as a note in the record, and the app says
so. A dialog too tall for the terminal draws its fields and buttons on one line each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.input import Selection
from textual.widgets.option_list import Option

NOTE_TAG_LABELS = (
    ("observation", "Observation"),
    ("intervention", "Intervention"),
    ("vitals", "Vitals"),
    ("client_words", "Client's words"),
)
"""(record tag, label) in the order the note dialog offers them."""

KEPT_HINT = "Keep going or Escape: anything typed is kept as a note."
"""Said under the end dialogs' fields (until a problem is): leaving never loses words."""


class Dialog(ModalScreen):
    """A small centred box; Escape dismisses it with `CANCEL`.

    Every way out goes through `dismiss`. When the answer does not carry the typed words
    (`words_sent` is False: Escape, "Keep going", a skip), the words in its fields are sent
    to the app as `Dialog.WordsKept`, which keeps them as a note. Subclasses name their
    fields for that note in `WORD_LABELS` (input id -> label; "" for the words alone).
    """

    CANCEL: object = None
    BINDINGS = [Binding("escape", "cancel", "Close", id="dialog.cancel")]
    WORD_LABELS: dict[str, str] = {}
    """How each text field is named in a kept note (default: its id)."""

    class WordsKept(Message):
        """Words typed into a dialog that was left without sending them: keep them as a note."""

        def __init__(self, text: str, tag: str) -> None:
            super().__init__()
            self.text = text
            self.tag = tag

    def __init__(self) -> None:
        super().__init__()
        self._initial: dict[int, str] = {}
        self._compact_by_design: set[int] = set()
        self._dismissed = False

    def action_cancel(self) -> None:
        self.dismiss(self.CANCEL)

    # -- words are never lost ------------------------------------------------------------

    def _on_mount(self, event: events.Mount) -> None:
        # What a field holds when shown (a default, such as the report's path) is not typed words.
        self._initial = {id(field): field.value for field in self.query(Input)}
        self._compact_by_design = {id(w) for w in self.query("Input, Button") if w.compact}  # type: ignore[attr-defined]
        self._fit()
        # A dialog can grow after it is shown (a hint or a problem said in two lines), and under
        # load the first check can run before layout: look again whenever its content resizes.
        for box in self.query(".dialog"):
            self.watch(box, "virtual_size",
                       lambda _size: self.call_after_refresh(self._compact_if_cut), init=False)
        # And once more when the first layouts are surely done: on a loaded machine both
        # checks above were seen to run before the dialog had its final size.
        for delay in (0.3, 1.0):
            self.set_timer(delay, self._compact_if_cut)

    def words_sent(self, result: object) -> bool:
        """Whether dismissing with `result` sends the typed words on (else they are kept)."""
        return result != self.CANCEL

    def kept_tag(self) -> str:
        """The tag of a note made of kept words."""
        return "observation"

    def unsent_words(self) -> list[tuple[str, str]]:
        """(label, words) for each field holding words typed since the dialog opened."""
        found = []
        for field in self.query(Input):
            words = field.value.strip()
            if words and field.value != self._initial.get(id(field), ""):
                label = self.WORD_LABELS.get(field.id or "", (field.id or "").removeprefix("field-"))
                found.append((label, words))
        return found

    def words_title(self) -> str:
        """How a kept note names the dialog: its title."""
        titles = self.query(".dialog-title")
        return str(titles.first().render()).strip() if titles else "a dialog"

    def keep_words(self) -> None:
        """Send the unsent words to the app, to be kept as a note ("Kept from ...")."""
        words = self.unsent_words()
        if not words:
            return
        title = self.words_title()
        parts = "; ".join(f"{label}: {text}" if label else text for label, text in words)
        self.app.post_message(self.WordsKept(f"Kept from “{title}” — {parts}", self.kept_tag()))

    def dismiss(self, result: Any = None) -> Any:
        if self._dismissed:  # a second key before the first close was done: nothing more to do
            return None
        self._dismissed = True
        if not self.words_sent(result):
            self.keep_words()
        return super().dismiss(result)

    # -- fitting the terminal ------------------------------------------------------------

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Full-size fields and buttons when they fit; one line each when they would be cut."""
        self._set_compact(False)
        self.call_after_refresh(self._compact_if_cut)

    def _compact_if_cut(self) -> None:
        boxes = self.query(".dialog")
        if boxes and boxes.first().max_scroll_y > 0:
            self._set_compact(True)

    def _set_compact(self, compact: bool) -> None:
        self.set_class(compact, "-dialog-compact")
        for widget in self.query("Input, Button"):
            if id(widget) not in self._compact_by_design:
                widget.compact = compact  # type: ignore[attr-defined]


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
