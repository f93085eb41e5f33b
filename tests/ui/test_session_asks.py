"""Keys that change the session ask first, and words typed in the session's dialogs reach the
record: `e` asks (observation left, readings still outside the ranges), `p` starts on the
current phase and asks before a long jump, ctrl+f opens the safe harbour from inside a text
field, and words left in a dialog become a note. Pilot at 80x24 on a fake clock."""

from __future__ import annotations

from rich.color import Color, ColorSystem
from textual.widgets import Input, OptionList

from companion.ui.screens.dialogs import ConfirmDialog, EndDialog, NoteDialog, PhaseDialog
from companion.ui.screens.session import SessionScreen
from companion.ui.screens.vitals import ReminderDialog
from companion.ui.theme import CALM_THEME
from tests.ui.fakes import PLAN_YAML, begin, run_async, session_app, settle, wait_for

SIZE = (80, 24)


def events_of(controller, kind: str) -> list:
    controller.flush()
    return [e for e in controller.record.events if e.type == kind]


@run_async
async def test_words_left_in_the_end_dialog_are_kept_as_a_note_and_the_session_goes_on(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, EndDialog))
        await pilot.press(*"client calm, ride at 4", "tab", "enter")  # Tab lands on Keep going
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        await settle(pilot)
        (note,) = events_of(controller, "note")
        assert note.get("text") == "Kept from “End the session?” — closing note: client calm, ride at 4"
        assert not events_of(controller, "session_ended")
        assert "client calm, ride at 4" in str(app.screen.query_one("#notes").render())


@run_async
async def test_e_asks_first_with_the_observation_left_and_readings_outside_the_ranges(tmp_path):
    app, _engine, clock = session_app(tmp_path, plan=PLAN_YAML.replace(
        "min_observation_minutes: 0.5", "min_observation_minutes: 120"))
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("d")
        clock.advance(4 * 60)
        controller.add_note("vitals", "BP 170/105 SpO2 92")
        controller.add_note("vitals", "SpO2 97")  # back in range: SpO2 is answered
        await settle(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        text = " ".join(str(label.render()) for label in app.screen.query(".dialog-text"))
        assert "Minimum observation: 1 h 56 min still to go of 2 h after the dose." in text
        assert "0:04:00  systolic 170 high" in text and "SpO2" not in text
        await pilot.press("enter")  # "Not yet" has the focus
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        assert not events_of(controller, "ready_to_leave")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("tab", "enter")  # "Ready to leave"
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        (ready,) = events_of(controller, "ready_to_leave")
        assert ready.get("observation_left") > 0


@run_async
async def test_p_starts_on_the_current_phase_and_asks_before_skipping_phases(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("d")  # Settling gives way to Onset
        await settle(pilot)
        assert controller.view().phase.name == "Onset"
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PhaseDialog))
        assert app.screen.query_one(OptionList).highlighted == 1  # Onset, the current phase
        await pilot.press("enter")  # Enter at once: nothing changes
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen) and controller.view().phase.name == "Onset"
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PhaseDialog))
        await pilot.press("down", "down", "enter")  # Onset to Return: skips Peak
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "skipping Peak" in " ".join(str(x.render()) for x in app.screen.query(".dialog-text"))
        await pilot.press("enter")  # "Stay in Onset" has the focus
        await settle(pilot)
        assert controller.view().phase.name == "Onset"
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PhaseDialog))
        await pilot.press("down", "enter")  # the next phase: no question
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen) and controller.view().phase.name == "Peak"


@run_async
async def test_ctrl_f_opens_the_harbour_from_inside_a_note_and_the_note_waits(tmp_path):
    from companion.ui.screens.harbour import HarbourScreen

    app, _engine, _clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteDialog))
        await pilot.press(*"fidgeting, ")  # f is a letter here
        assert not events_of(controller, "harbour_started")
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, HarbourScreen))
        assert events_of(controller, "harbour_started")
        await pilot.press("f")  # no field has the focus in the harbour: f returns
        await wait_for(pilot, lambda: isinstance(app.screen, NoteDialog))
        assert app.screen.query_one("#note-text", Input).value == "fidgeting, "
        await pilot.press(*"calmer now", "enter")
        await settle(pilot)
        (note,) = events_of(controller, "note")
        assert note.get("text") == "fidgeting, calmer now"
        assert events_of(controller, "harbour_stopped")


@run_async
async def test_ctrl_f_works_in_the_vitals_form_too(tmp_path):
    from companion.ui.screens.harbour import HarbourScreen

    app, _engine, _clock = session_app(tmp_path, plan=PLAN_YAML)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        await pilot.press("1", "5", "0", "ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, HarbourScreen))
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        assert app.screen.query_one("#field-systolic", Input).value == "150"
        assert len(events_of(controller, "harbour_started")) == 1


def test_the_list_highlight_stands_out_in_256_colours_and_stays_calm():
    """The issue saw grey 237 on 235; the cursor must be several grey steps off the surface."""
    def grey_level(hex_colour: str) -> float:
        r, g, b = Color.parse(hex_colour).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
        return (r + g + b) / 3

    cursor = CALM_THEME.variables["block-cursor-background"]
    for background in (CALM_THEME.surface, CALM_THEME.panel, CALM_THEME.background):
        assert grey_level(cursor) - grey_level(background) >= 40
    assert grey_level(cursor) < 128  # not bright: a dim room
