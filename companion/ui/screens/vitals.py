"""The vitals form and the check-in card: one planned item, the last values beside each field.

Built from `PlanTracker.form(item)`: one line per reading (label and unit, a field, the
last value recorded this session, the clinician's range or a scale's bounds). Enter moves
to the next field and saves on the last (a blood pressure may be typed `132/84` in the
first field); the save goes through the caller's `save(values)`, so a value the plan
refuses (a score off its scale, words where a number belongs) is said in the form and
nothing is lost. Escape puts the reminder off; Skip asks why. No range is built in: a
value outside the clinician's range is marked in the record, never refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from companion.plan import FormField, PlanError
from companion.session_view import format_clock
from companion.ui.screens.dialogs import Dialog, ReasonDialog

DONE, SKIPPED, PUT_OFF = "done", "skipped", "put_off"
"""What the dialog returns (None: closed without a change, for vitals outside the plan)."""


def field_hint(field: FormField) -> str:
    """What is shown beside a field: the last value (and when), the range or the scale."""
    parts = []
    if field.last is not None:
        when = f" at {format_clock(field.last_elapsed)}" if field.last_elapsed is not None else ""
        parts.append(f"last {field.last:g}{when}")
    if field.minimum is not None and field.maximum is not None:
        parts.append(f"{field.minimum:g}-{field.maximum:g}")
    if field.low is not None or field.high is not None:
        low = "" if field.low is None else f"{field.low:g}"
        high = "" if field.high is None else f"{field.high:g}"
        parts.append(f"range {low}–{high}")
    return " · ".join(parts)


def split_pressure(values: Mapping[str, str]) -> dict[str, str]:
    """`132/84` typed as the systolic value fills the diastolic one too."""
    out = dict(values)
    high, slash, low = out.get("systolic", "").partition("/")
    if slash and "diastolic" in out:
        out["systolic"] = high.strip()
        if low.strip():
            out["diastolic"] = low.strip()
    return out


class ReminderDialog(Dialog):
    """One planned check: vitals fields or a check-in's words; returns done/skipped/put_off.

    `save(values)` records it (values by field name, as typed) and raises PlanError for a
    value the plan refuses; `skip(reason)`, when given, records a skip. `put_off_minutes`
    (None: Escape just closes, for vitals taken outside the plan).
    """

    BINDINGS = [Binding("escape", "cancel", "Put off", id="reminder.put_off")]

    def __init__(self, title: str, fields: Sequence[FormField], *,
                 save: Callable[[dict[str, str]], Any], words: str = "", detail: str = "",
                 skip: Callable[[str], Any] | None = None,
                 put_off_minutes: float | None = None) -> None:
        super().__init__()
        self._title, self._fields, self._words, self._detail = title, list(fields), words, detail
        self._save, self._skip, self._put_off = save, skip, put_off_minutes
        self.CANCEL = PUT_OFF if put_off_minutes is not None else None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-form", id="reminder"):
            yield Label(self._title, classes="dialog-title", id="reminder-title")
            if self._detail:
                yield Label(self._detail, classes="dialog-hint", id="reminder-detail")
            if self._words:
                yield Label(f"“{self._words}”", classes="dialog-text", id="reminder-words")
            for field in self._fields:
                with Horizontal(classes="form-row"):
                    unit = f" ({field.unit})" if field.unit else ""
                    yield Label(f"{field.label}{unit}", classes="form-label")
                    yield Input(id=f"field-{field.name}", classes="form-input", compact=True,
                                placeholder="132/84" if field.name == "systolic" else "")
                    yield Label(field_hint(field), classes="form-hint")
                if field.words:
                    yield Label(field.words, classes="form-words")
            yield Label("", id="reminder-problem", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                if self._skip is not None:
                    yield Button("Skip…", id="reminder-skip", compact=True)
                yield Button("Save" if self._fields else "Done", id="reminder-save",
                             variant="primary", compact=True)
            yield Label(self._keys_hint(), classes="dialog-hint", id="reminder-keys")

    def _keys_hint(self) -> str:
        enter = "Enter: next field, saves on the last" if len(self._fields) > 1 else "Enter saves"
        if self._put_off is not None:
            escape = f"Esc: put off {self._put_off:g} min"
        else:
            escape = "Esc closes"
        return f"{enter} · {escape}"

    def on_mount(self) -> None:
        inputs = list(self.query(Input))
        (inputs[0] if inputs else self.query_one("#reminder-save", Button)).focus()

    def words_sent(self, result: object) -> bool:
        return result == DONE  # put off, skipped or closed: what was typed is kept as a note

    def values(self) -> dict[str, str]:
        """The fields as typed, by value name."""
        return split_pressure({field.name: self.query_one(f"#field-{field.name}", Input).value.strip()
                               for field in self._fields})

    def show_problem(self, text: str) -> None:
        """Say what is wrong, in the form (nothing typed is lost)."""
        self.query_one("#reminder-problem", Label).update(text)

    @on(Input.Submitted, ".form-input")
    def _next_or_save(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
            return
        self.submit()

    @on(Button.Pressed, "#reminder-save")
    def submit(self) -> None:
        """Save through the caller; a PlanError keeps the form open and says why."""
        try:
            self._save(self.values())
        except PlanError as error:
            self.show_problem(str(error))
            return
        self.dismiss(DONE)

    @on(Button.Pressed, "#reminder-skip")
    def _ask_skip(self) -> None:
        def answered(reason: str | None) -> None:
            if reason is None or self._skip is None:
                return
            try:
                self._skip(reason)
            except PlanError as error:
                self.show_problem(str(error))
                return
            self.dismiss(SKIPPED)

        self.app.push_screen(ReasonDialog(f"Skip {self._title.split(' · ')[0].lower()}?",
                                          "Say why, for the record (optional).",
                                          placeholder="e.g. client asleep", required=False),
                             answered)
