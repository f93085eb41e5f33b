"""SVG snapshots of the vitals form and of its question about a value no one can have, at
80x24 and 60x18: look at them as pictures when they change (each docstring says what to see)."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.ui.fakes import PLAN_YAML, begin, session_app, settle, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((60, 18), id="60x18")]


def _planned_form(tmp_path, *typed: str):
    """The planned check 16 s after the dose (BP, HR, SpO2, MOAA/S), with `typed` entered."""
    app, _engine, clock = session_app(tmp_path, client_code="K-17", plan=PLAN_YAML)

    async def run_before(pilot) -> None:
        from companion.ui.screens.vitals import ImplausibleDialog, ReminderDialog

        controller = await begin(pilot)
        controller.tracker.done("start+0:vitals", {"systolic": 128, "diastolic": 82, "hr": 72})
        await pilot.press("d")
        for _ in range(16):
            clock.advance(1)
            controller.poll()
        await settle(pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReminderDialog))
        for value in typed:
            await pilot.press(*value, "enter")
            await pilot.pause()
        if typed:
            await wait_for(pilot, lambda: isinstance(app.screen, ImplausibleDialog))
        for screen in app.screen_stack:  # a blinking cursor would make the picture flaky
            for field in screen.query(Input):
                field.cursor_blink = False
        await settle(pilot)

    return app, run_before


@pytest.mark.parametrize("size", SIZES)
def test_vitals_form_sizes(tmp_path, snap_compare, size):
    """The form over the dimmed session: title "Vitals", "Due now", one line per reading
    (Systolic with the 132/84 placeholder, Diastolic, Heart rate, SpO2, MOAA/S and its words),
    Skip… and Save visible, the keys hint at the bottom; nothing cut at 60x18 either."""
    app, run_before = _planned_form(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_vitals_form_question(tmp_path, snap_compare, size):
    """15095, 95, 880 typed: "Check these readings" over the form, the two sentences
    ("15095/95 is not a blood pressure; did you mean 150/95?", "880 is not a heart rate; did
    you mean 88?"), the buttons "Back to the form" (focused), "Use 150/95, 88" and "Keep as
    typed" all visible, and "Nothing is saved yet" under them."""
    app, run_before = _planned_form(tmp_path, "15095", "95", "880", "97", "4")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
