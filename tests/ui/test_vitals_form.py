"""The vitals form and the note dialog at the keys: a pressure typed whole fills both fields,
nothing typed goes nowhere, an error goes once the value is fixed, and a value no living
person can have is saved only after a second, explicit answer."""

from __future__ import annotations

from textual.widgets import Button, Input, Label

from companion.ui.screens.dialogs import NoteDialog
from companion.ui.screens.session import SessionScreen
from companion.ui.screens.vitals import ImplausibleDialog, ReminderDialog
from tests.ui.fakes import PLAN_YAML, begin, run_async, session_app, settle, wait_for

SIZE = (80, 24)


async def open_form(pilot) -> ReminderDialog:
    await pilot.press("v")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReminderDialog))
    return pilot.app.screen


async def type_enter(pilot, *values: str) -> None:
    """Type each value, then Enter (on to the next field; on the last, save)."""
    for value in values:
        if value:
            await pilot.press(*value)
        await pilot.press("enter")
        await pilot.pause()


def field(form, name: str) -> Input:
    return form.query_one(f"#field-{name}", Input)


def problem(form) -> str:
    return str(form.query_one("#reminder-problem", Label).render())


def saved(controller, kind: str = "vitals_done"):
    controller.flush()
    return controller.record.last(kind)


@run_async
async def test_a_pressure_typed_whole_in_systolic_fills_both_fields(tmp_path):
    app, _engine, _clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        form = await open_form(pilot)
        await type_enter(pilot, "150/95")
        assert (field(form, "systolic").value, field(form, "diastolic").value) == ("150", "95")
        assert app.focused is field(form, "diastolic")  # Enter lands where the 95 went
        await type_enter(pilot, "", "78")  # the old habit still works: Enter, then HR
        assert saved(controller).get("values") == {"systolic": 150, "diastolic": 95, "hr": 78}


@run_async
async def test_leaving_systolic_by_tab_fills_the_diastolic_too(tmp_path):
    app, _engine, _clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        form = await open_form(pilot)
        await pilot.press(*"132/84", "tab")
        await pilot.pause()
        assert (field(form, "systolic").value, field(form, "diastolic").value) == ("132", "84")


@run_async
async def test_a_diastolic_typed_apart_is_never_overwritten_silently(tmp_path):
    """Today's loss: 132/84 in Systolic, then 88 in the empty Diastolic: 88 vanished."""
    app, _engine, _clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        form = await open_form(pilot)
        field(form, "systolic").value = "132/84"  # typed, never left by a key (a click away)
        field(form, "diastolic").value = "88"
        field(form, "hr").value = "70"
        form.submit()
        await pilot.pause()
        assert isinstance(app.screen, ReminderDialog)
        assert "Systolic says 132/84 but Diastolic holds 88" in problem(form)
        assert field(form, "diastolic").value == "88" and saved(controller) is None
        field(form, "systolic").value = "132"
        await pilot.pause()
        assert problem(form) == ""  # fixed: the words go at once
        form.submit()
        await settle(pilot)
        assert saved(controller).get("values") == {"systolic": 132, "diastolic": 88, "hr": 70}


@run_async
async def test_an_error_goes_once_the_value_is_fixed(tmp_path):
    app, _engine, _clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        form = await open_form(pilot)
        await type_enter(pilot, "128/82", "", "7o")
        assert problem(form) == "Heart rate: '7o' is not a number."
        assert app.focused is field(form, "hr") and saved(controller) is None
        await pilot.press("7")  # the selected slip is replaced: the words go
        await pilot.pause()
        assert problem(form) == ""  # and no doubt about a 7 on its way to 72 nags meanwhile
        await pilot.press("2", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert saved(controller).get("values") == {"systolic": 128, "diastolic": 82, "hr": 72}


@run_async
async def test_a_slip_is_asked_about_and_enter_goes_back_to_fix_it(tmp_path):
    app, _engine, _clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        form = await open_form(pilot)
        await type_enter(pilot, "15095", "95", "880")
        await wait_for(pilot, lambda: isinstance(app.screen, ImplausibleDialog))
        messages = [str(m.render()) for m in app.screen.query(".implausible-message")]
        assert messages == ["15095/95 is not a blood pressure; did you mean 150/95?",
                            "880 is not a heart rate; did you mean 88?"]
        assert app.focused.id == "implausible-fix"
        await pilot.press("enter")  # the hurried Enter goes back, it never keeps the slip
        await wait_for(pilot, lambda: app.screen is form)
        assert app.focused is field(form, "systolic")
        assert "did you mean 150/95?" in problem(form) and saved(controller) is None
        await pilot.press(*"150", "enter")  # the selected 15095 is replaced
        await pilot.pause()
        assert problem(form) == "880 is not a heart rate; did you mean 88?"  # what is left
        await type_enter(pilot, "", "")  # Diastolic 95 kept; Enter on HR saves: 880 asked
        await wait_for(pilot, lambda: isinstance(app.screen, ImplausibleDialog))
        await pilot.press("escape")  # Escape is "back to the form" too
        await wait_for(pilot, lambda: app.screen is form)
        assert app.focused is field(form, "hr") and saved(controller) is None
        await pilot.press(*"88", "enter")
        await settle(pilot)
        assert saved(controller).get("values") == {"systolic": 150, "diastolic": 95, "hr": 88}


@run_async
async def test_the_likely_fix_is_used_when_chosen(tmp_path):
    app, _engine, _clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await open_form(pilot)
        await type_enter(pilot, "15095", "", "880")
        await wait_for(pilot, lambda: isinstance(app.screen, ImplausibleDialog))
        assert str(app.screen.query_one("#implausible-use", Button).label) == "Use 150/95, 88"
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert saved(controller).get("values") == {"systolic": 150, "diastolic": 95, "hr": 88}


@run_async
async def test_a_slip_is_kept_as_typed_only_on_the_explicit_answer(tmp_path):
    app, _engine, _clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await open_form(pilot)
        await type_enter(pilot, "400", "95", "8")  # no likely fix: only back, or keep
        await wait_for(pilot, lambda: isinstance(app.screen, ImplausibleDialog))
        assert not app.screen.query("#implausible-use")
        await pilot.click("#implausible-keep")
        await settle(pilot)
        assert saved(controller).get("values") == {"systolic": 400, "diastolic": 95, "hr": 8}


async def open_note(pilot) -> NoteDialog:
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, NoteDialog))
    return pilot.app.screen


@run_async
async def test_a_slip_in_a_note_is_asked_about_and_fixed_in_place(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        note = await open_note(pilot)
        await pilot.press(*"BP 15095/95 HR 72", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ImplausibleDialog))
        assert [str(m.render()) for m in app.screen.query(".implausible-message")] == [
            "15095/95 is not a blood pressure; did you mean 150/95?"]
        assert str(app.screen.query_one("#implausible-fix", Button).label) == "Back to the note"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is note)
        text = note.query_one("#note-text", Input)
        assert text.selection == (3, 11)  # the slip, selected to retype
        await pilot.press(*"150/95", "enter")
        await settle(pilot)
        saved_note = saved(controller, "note")
        assert saved_note.get("text") == "BP 150/95 HR 72"
        assert saved_note.get("vitals") == {"systolic": 150, "diastolic": 95, "hr": 72}


@run_async
async def test_a_note_takes_the_likely_fix_or_is_kept_as_written(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await open_note(pilot)
        await pilot.press(*"calm, HR 880", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ImplausibleDialog))
        await pilot.click("#implausible-use")
        await settle(pilot)
        assert saved(controller, "note").get("text") == "calm, HR 88"
        await open_note(pilot)
        await pilot.press(*"HR 8 on the monitor", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ImplausibleDialog))
        await pilot.click("#implausible-keep")
        await settle(pilot)
        assert saved(controller, "note").get("text") == "HR 8 on the monitor"
        assert saved(controller, "note").get("vitals") == {"hr": 8}


@run_async
async def test_escape_with_values_typed_asks_and_hurried_escapes_keep_them(tmp_path):
    from companion.ui.screens.dialogs import ConfirmDialog

    app, _engine, clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        clock.advance(1)
        controller.poll()
        form = await open_form(pilot)
        await type_enter(pilot, "128/82")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Put off without saving 128, 82?" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("escape")  # a second Escape: back to the form, nothing lost
        await wait_for(pilot, lambda: app.screen is form)
        await pilot.press("escape", "enter")  # Escape, Enter: back again
        await wait_for(pilot, lambda: app.screen is form)
        assert field(form, "systolic").value == "128" and field(form, "diastolic").value == "82"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("tab", "enter")  # the explicit choice: put off, kept as a note
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert saved(controller, "reminder_put_off") is not None and saved(controller) is None
