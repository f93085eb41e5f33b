"""Correcting an entry from the session screen with keys (Pilot, 80x24, a fake clock)."""

from __future__ import annotations

from textual.widgets import Input, Label

from companion.ui.screens.corrections import CorrectEntryDialog, CorrectionsDialog
from companion.ui.screens.dialogs import ConfirmDialog, HelpDialog
from companion.ui.screens.session import SessionScreen
from companion.ui.screens.vitals import ReminderDialog
from tests.ui.fakes import PLAN_YAML, begin, run_async, session_app, settle

SIZE = (80, 24)


async def _open(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def _corrections(controller, kind: str):
    controller.flush()
    return [e for e in controller.record.events if e.type == "correction"
            and e.get("target_type") == kind]


@run_async
async def test_c_lists_recent_entries_newest_first(tmp_path):
    app, _engine, clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await _open(pilot, "c")
        assert isinstance(app.screen, CorrectionsDialog)
        assert "Nothing to correct yet" in str(app.screen.query_one(".dialog-text", Label)
                                               .render())
        await _open(pilot, "enter")  # Close
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("d")
        clock.advance(60)
        controller.add_note("observation", "restless")
        await _open(pilot, "c")
        options = app.screen.query_one("#correct-list")
        texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert texts == ["0:01:00  Note (observation): restless", "0:00:00  Dose marked"]
        await _open(pilot, "escape")
        assert isinstance(app.screen, SessionScreen)


@run_async
async def test_a_dose_marked_too_soon_is_moved_then_struck(tmp_path):
    app, _engine, clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        clock.advance(600)
        await _open(pilot, "d")
        clock.advance(120)
        await _open(pilot, "c", "enter")
        assert isinstance(app.screen, CorrectEntryDialog)
        await pilot.press(*"soon")
        await _open(pilot, "enter", "enter")
        problem = str(app.screen.query_one("#correct-problem", Label).render())
        assert "not a time" in problem  # said in the dialog; what was typed stays
        assert app.screen.query_one("#correct-value", Input).value == "soon"
        app.screen.query_one("#correct-value", Input).value = "5"
        app.screen.query_one("#correct-value", Input).focus()
        await _open(pilot, "enter")
        await pilot.press(*"forgot to press d")
        await _open(pilot, "enter")
        assert isinstance(app.screen, SessionScreen)
        (moved,) = _corrections(controller, "dose_marked")
        assert moved.get("values")["elapsed"] == 420 and moved.get("reason") == "forgot to press d"
        await settle(pilot)
        assert controller.view().since_dose == 300
        assert controller.tracker.dose_elapsed == 420
        # Then strike it: the clock stops counting from the dose.
        await _open(pilot, "c", "enter", "tab", "tab")
        assert app.focused.id == "correct-strike"
        await _open(pilot, "enter")
        await settle(pilot)
        assert controller.view().since_dose is None and not controller.dose_marked
        assert [c.get("action") for c in _corrections(controller, "dose_marked")] == [
            "correct", "strike"]


@run_async
async def test_ready_to_leave_by_mistake_is_struck(tmp_path):
    app, _engine, clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await _open(pilot, "d")
        controller.ready_to_leave()
        await _open(pilot, "c")
        assert "Ready to leave" in str(app.screen.query_one("#correct-list")
                                       .get_option_at_index(0).prompt)
        await _open(pilot, "enter")
        await pilot.press(*"pressed e by mistake")
        await _open(pilot, "enter")  # Enter on the reason only moves to Strike: striking is a press
        assert isinstance(app.screen, CorrectEntryDialog) and app.focused.id == "correct-strike"
        await _open(pilot, "enter")
        (struck,) = _corrections(controller, "ready_to_leave")
        assert struck.get("action") == "strike" and struck.get("reason") == "pressed e by mistake"
        await settle(pilot)
        assert controller.view().ready_elapsed is None


@run_async
async def test_a_mistyped_vitals_entry_is_corrected_in_the_form_filled_with_it(tmp_path):
    app, _engine, clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        controller.tracker.done("start+0:vitals", {"systolic": "15095", "diastolic": "95",
                                                   "hr": "880"})
        await _open(pilot, "c", "enter")
        await pilot.press(*"typo")
        await _open(pilot, "enter")
        form = app.screen
        assert isinstance(form, ReminderDialog)
        assert form.query_one("#field-systolic", Input).value == "15095"
        assert form.query_one("#field-hr", Input).value == "880"
        form.query_one("#field-systolic", Input).value = "150"
        form.query_one("#field-hr", Input).value = "88"
        await _open(pilot, "enter", "enter", "enter")
        assert isinstance(app.screen, SessionScreen)
        (fixed,) = _corrections(controller, "vitals_done")
        assert fixed.get("values")["values"] == {"systolic": 150, "diastolic": 95, "hr": 88}
        assert fixed.get("values")["marks"] == {"systolic": "high"}  # 150 > 140: marked again
        assert fixed.get("reason") == "typo"
        await settle(pilot)
        assert any("BP 150/95 HR 88 (corrected)" in n.text for n in controller.view().notes)


@run_async
async def test_a_note_is_edited_and_escape_with_typed_words_asks(tmp_path):
    app, _engine, clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        controller.add_note("observation", "HR 880, calm")
        await _open(pilot, "c", "enter")
        value = app.screen.query_one("#correct-value", Input)
        assert value.value == "HR 880, calm"
        value.value = "HR 88, calm"
        await _open(pilot, "escape")
        assert isinstance(app.screen, ConfirmDialog)  # typed words are not dropped unasked
        await _open(pilot, "enter")  # "Stay" is focused first
        assert isinstance(app.screen, CorrectEntryDialog)
        assert app.screen.query_one("#correct-value", Input).value == "HR 88, calm"
        app.screen.query_one("#correct-value", Input).focus()
        await _open(pilot, "enter", "enter")
        (fixed,) = _corrections(controller, "note")
        assert fixed.get("values")["text"] == "HR 88, calm"
        assert fixed.get("values")["vitals"]["hr"] == 88


@run_async
async def test_the_help_lists_the_correct_key(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await _open(pilot, "question_mark")
        assert isinstance(app.screen, HelpDialog)
        assert "correct or strike an entry" in app.screen.text()
