"""Words typed into a dialog are never lost to a key sequence: each dialog with a text field,
driven by the sequences a hurried person types (Enter on an empty field, Tab then Enter,
Escape twice, type then Escape), and by many short random sequences. Typed words always end
up in the dialog's answer, in a kept note (`Dialog.WordsKept`), or still on screen."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Callable

import pytest
from textual.app import App
from textual.widgets import Input

from companion.plan import FormField
from companion.ui.screens.dialogs import (
    Dialog,
    DistressDialog,
    EarlyEndDialog,
    EndDialog,
    NoteDialog,
    ReasonDialog,
)
from companion.ui.screens.vitals import DONE, ReminderDialog
from companion.ui.theme import apply_calm_theme
from tests.ui.fakes import run_async

UNSET = object()
SIZE = (80, 24)


class WordsApp(App):
    """Pushes one dialog; keeps what it returned and every note of kept words."""

    CSS_PATH = str(Path(__file__).resolve().parents[2] / "companion" / "ui" / "app.tcss")

    def __init__(self, dialog: Any) -> None:
        super().__init__()
        self.dialog = dialog
        self.result: Any = UNSET
        self.kept: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        apply_calm_theme(self)
        self.push_screen(self.dialog, self._done)

    def _done(self, result: Any) -> None:
        self.result = result

    def on_dialog_words_kept(self, message: Dialog.WordsKept) -> None:
        self.kept.append((message.tag, message.text))


def vitals_form(saved: list[dict[str, str]], skipped: list[str]) -> ReminderDialog:
    fields = (FormField("systolic", "Systolic", "mmHg"), FormField("diastolic", "Diastolic", "mmHg"),
              FormField("hr", "Heart rate", "/min"))
    return ReminderDialog("Vitals", fields, save=saved.append, skip=skipped.append,
                          put_off_minutes=5)


async def run(dialog: Any, *keys: str) -> WordsApp:
    """Open `dialog`, press `keys` (text is typed with `type:words`), and let it settle."""
    app = WordsApp(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in keys:
            if key.startswith("type:"):
                await pilot.press(*key[5:])
            else:
                await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        app.still_open = [field.value for screen in app.screen_stack
                          for field in screen.query(Input)]
    return app


# -- the sequences of the issue -------------------------------------------------------------


@run_async
async def test_early_end_enter_on_an_empty_reason_says_it_is_needed_and_stays():
    app = WordsApp(EarlyEndDialog("1 h 56 min", "2 h"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "early-reason"
        assert "A reason is needed" in str(app.screen.query_one("#end-hint").render())
        await pilot.press(*"client asked")  # typed where the reason belongs
        assert app.screen.query_one("#early-reason", Input).value == "client asked"
        await pilot.press("enter")
        assert app.focused.id == "end-note"
    assert app.result is UNSET


@run_async
async def test_early_end_reason_tab_enter_never_loses_the_reason():
    # Type the reason, Tab (to the note), Enter: on to "End session", nothing lost or ended.
    app = await run(EarlyEndDialog("34 min", "2 h"), "type:client asked", "tab", "enter")
    assert app.result is UNSET
    assert "client asked" in app.still_open


@run_async
async def test_early_end_words_in_the_note_field_then_keep_going_are_kept():
    # The first report: Enter on the empty reason, the reason typed (then into the note),
    # Tab to "Keep going", Enter: both texts were gone. Now the session goes on and they are kept.
    app = await run(EarlyEndDialog("34 min", "2 h"), "tab", "type:client asked", "tab", "enter")
    assert app.result is None
    assert app.kept == [("observation", "Kept from “End the session?” — closing note: client asked")]


@run_async
async def test_early_end_with_a_reason_and_a_note_ends_with_both():
    app = await run(EarlyEndDialog("34 min", "2 h"), "type:client asked", "enter",
                    "type:ride home", "enter", "enter")
    assert app.result == ("client asked", "ride home")
    assert app.kept == []


@run_async
async def test_end_before_the_dose_note_tab_enter_keeps_the_note():
    app = await run(EndDialog(), "type:calm and warm", "tab", "enter")
    assert app.result is None  # "Keep going": the session goes on
    assert app.kept == [("observation", "Kept from “End the session?” — closing note: calm and warm")]


@run_async
async def test_end_escape_twice_keeps_the_note_once():
    app = await run(EndDialog(), "type:calm", "escape", "escape")
    assert app.result is None
    assert len(app.kept) == 1 and app.kept[0][1].endswith("closing note: calm")


@run_async
async def test_end_enter_on_nothing_still_keeps_going():
    app = await run(EndDialog(), "enter", "enter")
    assert app.result is None and app.kept == []


@run_async
async def test_note_escape_keeps_the_note_with_its_tag():
    app = await run(NoteDialog(), "type:shaking hands", "tab", "right", "enter", "escape")
    assert app.result is None
    assert app.kept == [("intervention", "Kept from “Add a note” — shaking hands")]


@run_async
async def test_reason_enter_on_empty_when_needed_stays_then_escape_keeps_words():
    app = await run(ReasonDialog("Why?"), "enter")
    assert app.result is UNSET
    app = await run(ReasonDialog("Skip vitals?"), "type:asleep", "escape", "escape")
    assert app.result is None
    assert app.kept == [("observation", "Kept from “Skip vitals?” — reason: asleep")]


@run_async
async def test_distress_escape_keeps_the_number():
    app = await run(DistressDialog(), "type:7", "escape")
    assert app.kept == [("observation", "Kept from “Distress rating” — distress rating: 7")]


@run_async
async def test_sud_escape_keeps_the_rating_and_the_note():
    from companion.ui.screens.bilateral import SudDialog

    app = await run(SudDialog(), "type:6", "tab", "type:memory softer", "escape")
    assert app.result is None
    assert app.kept == [("observation", "Kept from “SUD rating” — SUD: 6; note: memory softer")]


@run_async
async def test_vitals_form_put_off_keeps_the_values_typed():
    saved: list = []
    # Escape with values typed asks first; Tab, Enter is the explicit "put off".
    app = await run(vitals_form(saved, []), "type:150", "enter", "type:95", "escape", "tab",
                    "enter")
    assert app.result == "put_off" and saved == []
    assert app.kept == [("observation", "Kept from “Vitals” — systolic: 150; diastolic: 95")]


@run_async
async def test_vitals_form_saved_keeps_nothing_twice():
    saved: list = []
    app = await run(vitals_form(saved, []), "type:150", "enter", "type:95", "enter", "type:80",
                    "enter")
    assert app.result == DONE and saved == [{"systolic": "150", "diastolic": "95", "hr": "80"}]
    assert app.kept == []


# -- many short random sequences ------------------------------------------------------------

DIALOGS: dict[str, Callable[[list, list], Any]] = {
    "end": lambda saved, skipped: EndDialog(),
    "early-end": lambda saved, skipped: EarlyEndDialog("34 min", "2 h"),
    "note": lambda saved, skipped: NoteDialog(),
    "reason": lambda saved, skipped: ReasonDialog("Why?"),
    "reason-optional": lambda saved, skipped: ReasonDialog("Why?", required=False),
    "distress": lambda saved, skipped: DistressDialog(),
    "vitals": vitals_form,
    "sud": lambda saved, skipped: __import__("companion.ui.screens.bilateral",
                                             fromlist=["SudDialog"]).SudDialog(),
}
KEYS = ("type", "type", "enter", "enter", "tab", "shift+tab", "escape", "space", "right")
SEQUENCES_PER_DIALOG = 6


def sequences(name: str) -> list[list[str]]:
    rng = random.Random(f"words-{name}")
    return [[rng.choice(KEYS) for _ in range(rng.randint(2, 7))] for _ in range(SEQUENCES_PER_DIALOG)]


@pytest.mark.parametrize("name", sorted(DIALOGS))
@run_async
async def test_random_key_sequences_never_lose_typed_words(name):
    for sequence in sequences(name):
        saved: list = []
        skipped: list = []
        app = WordsApp(DIALOGS[name](saved, skipped))
        typed: list[str] = []
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for number, key in enumerate(sequence):
                if key == "type":
                    # Digits: the distress field takes nothing else; each word is unique.
                    word = f"{number}{len(typed) + 1}" if name == "distress" else f"zw{len(typed) + 1}x"
                    before = [f.value for s in app.screen_stack for f in s.query(Input)]
                    await pilot.press(*word)
                    after = [f.value for s in app.screen_stack for f in s.query(Input)]
                    for old, new in zip(before, after):
                        if old != new:  # what the field took (a number field takes digits only)
                            typed.append(new[len(old):] if new.startswith(old) else new)
                else:
                    await pilot.press(key)
                await pilot.pause()
            await pilot.pause()
            on_screen = " ".join(f.value for s in app.screen_stack for f in s.query(Input))
        answered = " ".join(str(x) for x in (app.result, saved, skipped) if x is not UNSET)
        kept = " ".join(text for _tag, text in app.kept)
        for word in typed:
            if word.isdigit() and app.result not in (UNSET, None):
                continue  # a rating was the answer (as a number: "07" answers 7)
            assert word in on_screen or word in answered or word in kept, (
                f"{name}: {sequence} lost {word!r} (screen {on_screen!r}, answer {answered!r}, "
                f"kept {kept!r})")
