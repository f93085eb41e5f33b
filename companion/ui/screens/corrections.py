"""Correcting an entry: pick one of the recent entries, then strike it or give what was true.

The record is never rewritten: every choice here becomes a new `correction` entry (see
`companion.record.corrections`); the screen, the clocks and the plan follow it. A vitals
reading is corrected in the vitals form, filled with the old values; a note by editing its
text; the dose mark by giving its real time; "ready to leave" can only be struck.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from companion.plan import PlanError
from companion.record import events as ev
from companion.record.events import Event
from companion.clock import format_clock
from companion.session.formats import vitals_text
from companion.ui.screens.dialogs import ConfirmDialog, Dialog

STRIKE, CORRECT = "strike", "correct"


@dataclass(frozen=True)
class Entry:
    """One correctable entry as the dialog lists it."""

    line: int
    when: str
    """Its clock time (elapsed session time)."""
    what: str
    """What it says, in a few words."""
    kind: str
    """`vitals`, `note`, `dose` or `ready`."""
    value: str = ""
    """What the correction field starts with: a note's text."""
    initial: Mapping[str, str] = field(default_factory=dict)
    """A vitals entry's values as the form shows them."""
    item: str | None = None
    """A vitals entry's planned item id (None: taken outside the plan)."""


_KINDS = {ev.VITALS_DONE: "vitals", ev.NOTE: "note", ev.DOSE_MARKED: "dose",
          ev.READY_TO_LEAVE: "ready"}
"""A correctable entry's type -> its kind here."""


def entry_of(line: int, event: Event) -> Entry:
    """A record entry (as corrected) as the dialog lists it."""
    kind = _KINDS[event.type]
    when = format_clock(event.elapsed)
    if kind == "vitals":
        values = event.get("values") or {}
        initial = {name: _number(value) for name, value in values.items()}
        return Entry(line, when, f"{event.get('title') or 'Vitals'}: {vitals_text(values)}",
                     kind, initial=initial, item=event.get("item"))
    if kind == "note":
        text = str(event.get("text", ""))
        tag = str(event.get("tag", "note")).replace("_", " ")
        return Entry(line, when, _short(f"Note ({tag}): {text}"), kind, value=text)
    if kind == "dose":
        return Entry(line, when, "Dose marked" + (" (time corrected)"
                                                  if event.get("corrected_by") else ""), kind)
    return Entry(line, when, "Ready to leave", kind)


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else str(value)


def _short(text: str, limit: int = 56) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


CorrectionApply = Callable[[str, str, str], None]
"""(action, value typed, reason) -> None; raises ValueError/PlanError to say what is wrong."""


class CorrectionsDialog(Dialog):
    """The recent entries that can be corrected, newest first: returns the chosen Entry."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        super().__init__()
        self._entries = list(entries)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="corrections"):
            yield Label("Correct an entry", classes="dialog-title")
            if self._entries:
                yield OptionList(*(Option(f"{e.when}  {e.what}", id=str(i))
                                   for i, e in enumerate(self._entries)), id="correct-list")
                yield Label("↑↓ choose · Enter opens it · Escape closes. The first words "
                            "stay in the record; the correction is added.",
                            classes="dialog-hint")
            else:
                yield Label("Nothing to correct yet: vitals, notes, the dose mark and "
                            "“ready to leave” can be corrected here.", classes="dialog-text")
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Close", id="correct-close", compact=True)

    def on_mount(self) -> None:
        if self._entries:
            options = self.query_one("#correct-list", OptionList)
            options.highlighted = 0
            options.focus()
        else:
            self.query_one("#correct-close", Button).focus()

    @on(OptionList.OptionSelected, "#correct-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._entries[int(event.option.id or 0)])

    @on(Button.Pressed, "#correct-close")
    def _close(self) -> None:
        self.dismiss(None)


_VALUE_LABELS = {
    "dose": ("When was it really taken? Minutes ago, or the time:",
             "e.g. 12 (minutes ago) or 14:05"),
    "note": ("The note as it should read:", ""),
}
_CORRECT_BUTTONS = {"vitals": "Correct values…", "note": "Save the text", "dose": "Save the time"}


class CorrectEntryDialog(Dialog):
    """One entry: strike it, or correct it, with an optional reason.

    `apply(action, value, reason)` writes the correction and raises ValueError/PlanError for
    a value it cannot take (said here; nothing typed is lost). A vitals entry's "Correct
    values…" returns (CORRECT, reason) without calling `apply`: the caller opens the form.
    Returns the action done, (CORRECT, reason) for vitals, or None (Escape: back).
    """

    DEFAULT_CSS = """
    CorrectEntryDialog .dialog-title { width: 100%; }
    CorrectEntryDialog #correct-value, CorrectEntryDialog #correct-reason { background: $panel-lighten-1; }
    CorrectEntryDialog #correct-value { margin: 0 0 1 0; }
    CorrectEntryDialog #correct-problem { color: $warning; margin: 1 0 0 0; width: 100%; }
    CorrectEntryDialog #correct-problem.-empty { display: none; }
    CorrectEntryDialog .dialog-buttons { margin: 0; }
    """

    def __init__(self, entry: Entry, apply: CorrectionApply) -> None:
        super().__init__()
        self._entry, self._apply = entry, apply

    def compose(self) -> ComposeResult:
        entry = self._entry
        with Vertical(classes="dialog", id="correct-entry"):
            title = entry.what if entry.kind != "note" else "Note"
            yield Label(f"Correct: {entry.when}  {title}", classes="dialog-title",
                        id="correct-entry-title")
            if entry.kind in _VALUE_LABELS:
                text, placeholder = _VALUE_LABELS[entry.kind]
                yield Label(text, classes="dialog-text")
                yield Input(entry.value, placeholder=placeholder, id="correct-value",
                            compact=True)
            yield Input(placeholder="why (optional): typo, pressed by mistake…",
                        id="correct-reason", compact=True)
            yield Label("", id="correct-problem", classes="-empty")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Strike it", id="correct-strike", variant="warning", compact=True)
                if entry.kind in _CORRECT_BUTTONS:
                    yield Button(_CORRECT_BUTTONS[entry.kind], id="correct-save",
                                 variant="primary", compact=True)
            yield Label(self._keys_hint(), classes="dialog-hint", id="correct-keys")

    def _keys_hint(self) -> str:
        if self._entry.kind == "ready":
            return "Strike it: it was not so · Esc: back"
        return "Enter: next, then saves · Esc: back"

    def on_mount(self) -> None:
        first = self.query("#correct-value")
        (first.first() if first else self.query_one("#correct-reason", Input)).focus()

    def _typed(self) -> tuple[str, str]:
        value = self.query("#correct-value")
        text = value.first(Input).value.strip() if value else ""
        return text, self.query_one("#correct-reason", Input).value.strip()

    def _do(self, action: str) -> None:
        value, reason = self._typed()
        if action == CORRECT and self._entry.kind == "vitals":
            self.dismiss((CORRECT, reason))
            return
        try:
            self._apply(action, value, reason)
        except (ValueError, PlanError) as error:
            problem = self.query_one("#correct-problem", Label)
            problem.update(str(error))
            problem.remove_class("-empty")
            return
        self.dismiss(action)

    @on(Input.Submitted, "#correct-value")
    def _value_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#correct-reason", Input).focus()

    @on(Input.Submitted, "#correct-reason")
    def _reason_done(self, event: Input.Submitted) -> None:
        event.stop()
        if self._entry.kind in _CORRECT_BUTTONS:
            self._do(CORRECT)
        else:
            self.query_one("#correct-strike", Button).focus()  # striking is a press, not Enter

    @on(Button.Pressed, "#correct-save")
    def _save(self) -> None:
        self._do(CORRECT)

    @on(Button.Pressed, "#correct-strike")
    def _strike(self) -> None:
        self._do(STRIKE)

    def action_cancel(self) -> None:
        """Escape: back, asking first when something was typed."""
        value, reason = self._typed()
        if not reason and value == self._entry.value.strip():
            self.dismiss(None)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Leave without saving this correction?",
                                           "What you typed here would be dropped.",
                                           yes="Leave", no="Stay"), answered)
