"""The plan in the room on the session screen: reminders, the vitals form, ready to leave,
ending early, the safe harbour and the soft landing, driven by keys on a fake clock."""

from __future__ import annotations

from textual.widgets import Input, Label

from companion.ui.screens.dialogs import EarlyEndDialog, EndDialog, ReasonDialog, ReportDialog
from companion.ui.screens.session import SessionScreen
from companion.ui.screens.vitals import ReminderDialog
from companion.ui.widgets.keys import KeyBar
from companion.ui.widgets.reminders import Reminders
from tests.ui.fakes import PLAN_YAML, begin, run_async, session_app, settle, wait_for

SIZE = (80, 24)


def plan_app(tmp_path, **options):
    return session_app(tmp_path, plan=PLAN_YAML, **options)


def reminders(app) -> Reminders:
    screen = next(s for s in app.screen_stack if isinstance(s, SessionScreen))
    return screen.query_one(Reminders)


async def tick(pilot, clock, seconds: float) -> None:
    """Let `seconds` of session time pass, polled as the screen's timer does."""
    controller = pilot.app.controller
    steps = max(1, int(seconds))
    for _ in range(steps):
        clock.advance(seconds / steps)
        controller.poll()
    await settle(pilot)


async def fill(pilot, *values: str) -> None:
    """Type each value into the form's fields in turn (Enter moves on; on the last it saves)."""
    for value in values:
        if value:
            await pilot.press(*value)
        await pilot.press("enter")
        await pilot.pause()


def last(controller, kind: str):
    controller.flush()
    return controller.record.last(kind)


@run_async
async def test_reminders_show_what_is_next_then_what_is_due_in_a_calm_accent(tmp_path):
    app, _engine, clock = plan_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await tick(pilot, clock, 1)
        widget = reminders(app)
        assert "Vitals before the dose due" in widget.text and widget.has_class("-due")
        assert last(controller, "reminder_due").get("item") == "start+0:vitals"
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        await fill(pilot, "128/82", "", "70")
        await settle(pilot)
        assert not widget.has_class("-due")
        assert widget.text.startswith("Next: Vitals")
        await pilot.press("d")
        await tick(pilot, clock, 5)
        assert "Vitals in less than a minute" in widget.text
        assert "Observation: less than a minute left" in widget.text
        await tick(pilot, clock, 10)
        assert widget.text.startswith("Vitals due") and widget.has_class("-due")
        await tick(pilot, clock, 13)  # 12 s (overdue_after 0.2 min) after its time: overdue
        assert "Vitals overdue, less than a minute late" in widget.text
        assert "Check-in due" in widget.text  # at +24 s: both listed, the earliest first


@run_async
async def test_v_opens_the_form_with_the_last_values_and_enter_saves_them(tmp_path):
    app, _engine, clock = plan_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        await fill(pilot, "132/84", "", "78")
        done = last(controller, "vitals_done")
        assert done.get("item") == "start+0:vitals"
        assert done.get("values") == {"systolic": 132, "diastolic": 84, "hr": 78}
        await pilot.press("d")
        await tick(pilot, clock, 16)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        hints = [str(label.render()) for label in app.screen.query(".form-hint").results(Label)]
        assert hints[0].startswith("last 132") and "range 90–140" in hints[0]
        assert hints[2].startswith("last 78") and hints[3] == "range 94–"
        await fill(pilot, "150", "90", "80", "92", "5")
        done = last(controller, "vitals_done")
        assert done.get("item") == "dose+0.25:vitals"
        assert done.get("marks") == {"systolic": "high", "spo2": "low"}
        assert done.get("late") >= 0
        assert isinstance(app.screen, SessionScreen)
        assert "BP 150/90 HR 80 SpO2 92 moaa-s 5" in str(app.screen.query_one("#notes").render())


@run_async
async def test_a_value_the_plan_refuses_is_said_in_the_form_and_nothing_is_lost(tmp_path):
    app, _engine, clock = plan_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        controller.tracker.done("start+0:vitals", {"hr": 70})
        await pilot.press("d")
        await tick(pilot, clock, 16)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        form = app.screen
        form.query_one("#field-systolic", Input).value = "120"
        form.query_one("#field-moaa-s", Input).value = "9"
        form.submit()
        await pilot.pause()
        assert isinstance(app.screen, ReminderDialog)
        assert "scored from 0 to 5, not 9" in str(form.query_one("#reminder-problem").render())
        assert form.query_one("#field-systolic", Input).value == "120"
        assert last(controller, "vitals_done").get("item") == "start+0:vitals"  # only the first


@run_async
async def test_escape_puts_a_reminder_off_and_it_falls_due_again(tmp_path):
    app, _engine, clock = plan_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await tick(pilot, clock, 1)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        await pilot.press("escape")
        await settle(pilot)
        put_off = last(controller, "reminder_put_off")
        assert put_off.get("item") == "start+0:vitals" and put_off.get("minutes") == 0.1
        assert "put off, due again in less than a minute" in reminders(app).text
        await tick(pilot, clock, 7)
        again = last(controller, "reminder_due")
        assert again.get("item") == "start+0:vitals" and again.get("again") is True


@run_async
async def test_skip_asks_why_and_the_record_keeps_the_reason(tmp_path):
    app, _engine, clock = plan_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        app.screen.query_one("#reminder-skip").press()
        await wait_for(pilot, lambda: isinstance(app.screen, ReasonDialog))
        await pilot.press(*"client asleep", "enter")
        await settle(pilot)
        skipped = last(controller, "reminder_skipped")
        assert skipped.get("item") == "start+0:vitals" and skipped.get("reason") == "client asleep"
        assert isinstance(app.screen, SessionScreen)


@run_async
async def test_a_check_in_shows_its_words_and_enter_marks_it_done(tmp_path):
    app, _engine, clock = plan_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        controller.tracker.skip("start+0:vitals")
        await pilot.press("d")
        await tick(pilot, clock, 16)
        controller.tracker.done("dose+0.25:vitals", {"hr": 70})
        await tick(pilot, clock, 9)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        assert "I'm right here" in str(app.screen.query_one("#reminder-words").render())
        await pilot.press("enter")
        await settle(pilot)
        assert last(controller, "checkin_done").get("item") == "dose+0.4:check_in"


@run_async
async def test_v_with_nothing_planned_takes_vitals_outside_the_schedule(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        assert reminders(app).has_class("-empty")
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        app.screen.query_one("#field-hr", Input).value = "72"
        app.screen.submit()
        await settle(pilot)
        done = last(controller, "vitals_done")
        assert done.get("values") == {"hr": 72} and done.get("item") is None


@run_async
async def test_e_marks_ready_to_leave_and_the_check_before_leaving_falls_due(tmp_path):
    app, _engine, clock = plan_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("d")
        await tick(pilot, clock, 3)
        await pilot.press("e")
        await pilot.pause()
        assert last(controller, "ready_to_leave") is None  # asked first
        await pilot.press("tab", "enter")  # "Ready to leave"
        await tick(pilot, clock, 1)
        ready = last(controller, "ready_to_leave")
        assert ready is not None and ready.get("observation_left") > 0
        assert "Ready to leave at 0:00:03" in reminders(app).text
        due = [e.get("item") for e in controller.record.events if e.type == "reminder_due"]
        assert "leaving:vitals" in due
        await pilot.press("e")  # a second press asks before moving the time
        await pilot.pause()
        assert not isinstance(app.screen, SessionScreen)
        await pilot.press("escape")


@run_async
async def test_ending_before_the_minimum_observation_asks_why_and_records_the_override(tmp_path):
    app, engine, clock = plan_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("d")
        await tick(pilot, clock, 10)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, EarlyEndDialog))
        assert str(app.screen.query_one("#early-left").render()) == (
            "Before the minimum observation time: the plan asks for less than a minute after "
            "the dose, and less than a minute is still to go.")
        await pilot.press("enter", "enter")  # no reason: the End button says one is needed
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EarlyEndDialog)
        assert "reason is needed" in str(app.screen.query_one("#end-hint").render())
        await pilot.press(*"client wished to go home", "enter", *"ride arranged", "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportDialog))
        override = last(controller, "observation_override")
        assert override.get("reason") == "client wished to go home"
        assert 0 < override.get("observation_left") <= 20
        assert controller.record.last("session_ended").get("note") == "ride arranged"
        landing = controller.record.last("landing_started")
        assert landing.get("reason") == "ended" and landing.get("fade") == 3
        assert ("stop", {"slot": "music", "fade_s": 3.0}) in engine.commands


@run_async
async def test_ending_after_the_minimum_observation_asks_only_the_usual_question(tmp_path):
    app, _engine, clock = plan_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("d")
        await tick(pilot, clock, 31)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, EndDialog))
        await pilot.press("escape")
        assert last(controller, "observation_override") is None


@run_async
async def test_f_fades_to_the_harbour_opens_grounding_under_its_words_and_f_returns(tmp_path):
    from companion.ui.screens.harbour import HarbourScreen

    app, engine, clock = plan_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        assert ("f", "harbour") in app.screen.query_one(KeyBar).entries()
        clock.advance(30)
        sent = len(engine.commands)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, HarbourScreen))
        commands = engine.commands[sent:]
        assert ("suspend", {"slot": "music", "fade_s": 2.0}) in commands
        harbour = next(f for kind, f in commands if kind == "play")
        assert harbour["slot"] == "harbour" and harbour["builtin"] == "ocean"
        assert harbour["fade_in"] == 2.0
        assert ("set_volume", {"percent": 30.0, "ramp_s": 2.0}) in commands
        assert "You're safe. I'm right here." in str(app.screen.query_one("#harbour-words").render())
        assert last(controller, "harbour_started").get("level") == 30
        assert controller.view().state == "harbour" and controller.view().title == "Harbour"
        clock.advance(40)
        sent = len(engine.commands)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        commands = engine.commands[sent:]
        assert ("stop", {"slot": "harbour", "fade_s": 2.0}) in commands
        assert ("unsuspend", {"slot": "music", "fade_s": 2.0}) in commands
        assert ("set_volume", {"percent": 50.0, "ramp_s": 2.0}) in commands
        stopped = last(controller, "harbour_stopped")
        assert stopped.get("reason") == "key" and stopped.get("length") == 40
        assert controller.view().state == "playing"


@run_async
async def test_closing_the_harbours_grounding_returns_from_the_harbour(tmp_path):
    from companion.ui.screens.harbour import HarbourScreen

    app, _engine, _clock = plan_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, HarbourScreen))
        await settle(pilot)
        assert "In the safe harbour since 0:00:00 · f returns" in reminders(app).text
        await pilot.press("enter")  # past the opening words, into the steps
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        assert last(controller, "harbour_stopped").get("reason") == "grounding_done"
        assert "grounding_started" in [e.type for e in controller.record.events]
        assert not controller.in_harbour


@run_async
async def test_the_harbour_key_works_over_breathing_too(tmp_path):
    from companion.ui.screens.harbour import HarbourScreen

    app, _engine, _clock = plan_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, HarbourScreen))
        assert controller.in_harbour


@run_async
async def test_the_last_phase_ending_makes_the_soft_landing(tmp_path):
    app, engine, clock = plan_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("d")
        await settle(pilot)
        for _ in range(90):  # 20 + 40 + 30 minutes of phases, polled every minute
            clock.advance(60)
            controller.poll()
        controller.flush()  # the screen reads phases from the record, which fsyncs each event
        await tick(pilot, clock, 1)
        landing = last(controller, "landing_started")
        assert landing is not None and landing.get("reason") == "last_phase"
        assert ("stop", {"slot": "music", "fade_s": 3.0}) in engine.commands
        assert controller.view().landed
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, EndDialog))
        await pilot.press("tab", "tab", "enter")   # ended without a note: on the End button
        await wait_for(pilot, lambda: isinstance(app.screen, ReportDialog))
        kinds = [e.type for e in controller.record.events]
        assert kinds.count("landing_started") == 1
