"""The vitals form and the check-in card: one planned item, the last values beside each field.

Built from `PlanTracker.form(item)`: one line per reading (label and unit, a field, the
last value recorded this session, the clinician's range or a scale's bounds). Enter moves
to the next field and saves on the last. A blood pressure may be typed `132/84` in the
first field: leaving it fills both fields, and never overwrites a diastolic typed apart
(the two are shown, to choose). The save goes through the caller's `save(values)`, so a
value the plan refuses (a score off its scale, words where a number belongs) is said in
the form and nothing is lost; the words go once the value is fixed. A value no living
person can have (`15095`, `880`) is not saved until the sitter answers a second question
(`ImplausibleDialog`): back to fix it (Enter, Escape), use the likely fix, or keep it as
typed. Escape puts the reminder off (asking first when values are typed: Enter and Escape
go back to the form); Skip asks why. A value outside the clinician's range is marked in the
record, never refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label
from textual.widgets.input import Selection

from companion.plan import FormField, PlanError
from companion.record.vitals import Implausible, implausible
from companion.ui.screens.dialogs import ConfirmDialog, Dialog, ReasonDialog
from companion.ui.screens.vitals.implausible import KEEP, USE_FIX, ImplausibleDialog
from companion.ui.screens.vitals.typed import (field_hint, field_problem, pressure_conflict,
                                               split_pressure)

DONE, SKIPPED, PUT_OFF = "done", "skipped", "put_off"
"""What the dialog returns (None: closed without a change, for vitals outside the plan)."""


class ReminderDialog(Dialog):
    """One planned check: vitals fields or a check-in's words; returns done/skipped/put_off.

    `save(values)` records it (values by field name, as typed) and raises PlanError for a
    value the plan refuses; `skip(reason)`, when given, records a skip. `put_off_minutes`
    (None: Escape just closes, for vitals taken outside the plan).
    """

    BINDINGS = [Binding("escape", "cancel", "Put off", id="reminder.put_off")]
    _problem_field: str | None = None
    """The value the shown problem is about (None: the plan's own words, about any value)."""
    _problem_is_doubt = False
    """The shown problem is a value no one can have (not a typing problem such as words)."""

    def __init__(self, title: str, fields: Sequence[FormField], *,
                 save: Callable[[dict[str, str]], Any], words: str = "", detail: str = "",
                 skip: Callable[[str], Any] | None = None,
                 put_off_minutes: float | None = None,
                 initial: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self._title, self._fields, self._words, self._detail = title, list(fields), words, detail
        self._initial = dict(initial or {})  # values already in the fields (a correction)
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
                    yield Input(self._initial.get(field.name, ""), id=f"field-{field.name}",
                                classes="form-input", compact=True,
                                placeholder="132/84" if field.name == "systolic" else "")
                    yield Label(field_hint(field), classes="form-hint", id=f"hint-{field.name}")
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

    def action_cancel(self) -> None:
        """Escape: put off (or close); with values typed, ask first, so none goes silently."""
        typed = [value for value in self._typed().values() if value]
        if not typed:
            self.dismiss(self.CANCEL)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(self.CANCEL)

        leaving = "Put off" if self._put_off is not None else "Close"
        self.app.push_screen(ConfirmDialog(
            f"{leaving} without saving {', '.join(typed)}?",
            "What was typed is kept as a note, not as a reading. Enter or Esc: back to the form.",
            yes=f"{leaving}, keep as a note", no="Back to the form"), answered)

    def on_resize(self) -> None:
        """Below 72 columns the hints beside the fields drop the time, so none is cut."""
        super().on_resize()
        short = self.size.width < 72
        for field in self._fields:
            self.query_one(f"#hint-{field.name}", Label).update(field_hint(field, short))

    def words_sent(self, result: object) -> bool:
        return result == DONE  # put off, skipped or closed: what was typed is kept as a note

    def values(self) -> dict[str, str]:
        """The fields as typed, by value name."""
        return split_pressure(self._typed())

    def _typed(self) -> dict[str, str]:
        return {field.name: self.query_one(f"#field-{field.name}", Input).value.strip()
                for field in self._fields}

    def _input(self, name: str) -> Input | None:
        found = self.query(f"#field-{name}").results(Input)
        return next(iter(found), None)

    def show_problem(self, text: str, field: str | None = None, doubt: bool = False) -> None:
        """Say what is wrong, in the form (nothing typed is lost); `field`: the value it is
        about, so the words go as soon as that value is right; `doubt`: a value no one can have."""
        self._problem_field, self._problem_is_doubt = field, doubt
        self.query_one("#reminder-problem", Label).update(text)

    def _typing_problems(self) -> dict[str, str]:
        """What cannot be saved as typed, by the field it is about (first one first)."""
        typed = self._typed()
        found: dict[str, str] = {}
        conflict = pressure_conflict(typed)
        if conflict:
            found["systolic"] = conflict
        for field in self._fields:
            problem = field_problem(field, typed[field.name])
            if problem:
                found.setdefault(field.name, problem)
        return found

    def _problems(self) -> dict[str, str]:
        """Every problem the form can see now: typing ones, else values no one can have."""
        found = self._typing_problems()
        if not found:
            for problem in implausible(self.values()):
                for name in problem.names:
                    found.setdefault(name, problem.message)
        return found

    @on(Input.Changed, ".form-input")
    def _recheck(self, event: Input.Changed) -> None:
        """Once the value a message is about is right, the message goes (and never before)."""
        field = self._problem_field
        label = self.query_one("#reminder-problem", Label)
        if not str(label.render()):
            return
        if field is None:
            if event.input.id and event.input.id.startswith("field-"):
                self.show_problem("")
            return
        # A typing problem fixed is not replaced by a doubt about the value being typed
        # (`7` on the way to `72`): Save asks about that. A doubt shown stays accurate.
        typing = self._typing_problems()
        doubt = self._problem_is_doubt and not typing
        problems = self._problems() if doubt else typing
        if field in problems:
            if event.input.id == f"field-{field}":
                self.show_problem(problems[field], field, doubt)
        elif problems:
            name, text = next(iter(problems.items()))
            self.show_problem(text, name, doubt)
        else:
            self.show_problem("")

    @on(Input.Blurred, "#field-systolic")
    def _systolic_left(self) -> None:
        self._fill_pressure()

    def _fill_pressure(self) -> bool:
        """`150/95` in Systolic goes into both fields; False (said in the form) when it cannot."""
        systolic = self._input("systolic")
        if systolic is None or "/" not in systolic.value:
            return True
        conflict = pressure_conflict(self._typed())
        if conflict:
            self.show_problem(conflict, "systolic")
            return False
        high, _, low = systolic.value.partition("/")
        diastolic = self._input("diastolic")
        systolic.value = high.strip()
        if diastolic is not None and low.strip():
            diastolic.value = low.strip()
        return True

    @on(Input.Submitted, ".form-input")
    def _next_or_save(self, event: Input.Submitted) -> None:
        event.stop()
        # A pressure typed whole fills Diastolic, and Enter still moves there (not past it):
        # the sitter sees the value land, and `132/84 Enter Enter 78` works as it always did.
        if event.input.id == "field-systolic" and not self._fill_pressure():
            return
        inputs = list(self.query(Input))
        index = inputs.index(event.input) + 1
        if index < len(inputs):
            inputs[index].focus()
            return
        self.submit()

    @on(Button.Pressed, "#reminder-save")
    def submit(self) -> None:
        """Save through the caller once the values make sense; a value no living person can
        have is asked about first; a PlanError keeps the form open and says why."""
        if not self._fill_pressure():
            return
        typing = self._typing_problems()
        if typing:
            self._point_at(*next(iter(typing.items())))
            return
        doubtful = implausible(self.values())
        if doubtful:
            self.app.push_screen(ImplausibleDialog(doubtful),
                                 lambda answer: self._answered(answer, doubtful))
            return
        self._save_now()

    def _answered(self, answer: str | None, doubtful: list[Implausible]) -> None:
        if answer == KEEP:
            self._save_now()
        elif answer == USE_FIX:
            for problem in doubtful:
                for name, value in problem.fix.items():
                    field = self._input(name)
                    if field is not None:
                        field.value = f"{value:g}"
            self.submit()
        else:
            self._point_at(doubtful[0].names[0], doubtful[0].message, doubt=True)

    def _point_at(self, name: str, text: str, doubt: bool = False) -> None:
        """Show `text` and put the cursor on the value it is about, selected to retype."""
        self.show_problem(text, name, doubt)
        field = self._input(name)
        if field is not None:
            field.focus()
            field.selection = Selection(0, len(field.value))

    def _save_now(self) -> None:
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
