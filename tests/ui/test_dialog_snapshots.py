"""Every dialog of a session at 80x24 and at 60x18, as pictures: each must show its whole
question, its fields and its buttons (nothing cut, nothing off-screen). A dialog that would
be cut draws its fields and buttons on one line each; a longer text wraps.

Review with `pytest tests/ui/test_dialog_snapshots.py --snapshot-report`; what a reviewer
should see is said beside each dialog below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
from textual.app import App

from companion.plan import FormField
from companion.ui.screens.dialogs import (
    ConfirmDialog,
    DistressDialog,
    EarlyEndDialog,
    EndDialog,
    HelpDialog,
    LogDialog,
    NoteDialog,
    PhaseDialog,
    PickDialog,
    ReasonDialog,
    ReportDialog,
    ResumeDialog,
)
from companion.ui.screens.session_keys import KEY_HELP, SESSION_BINDINGS
from companion.ui.screens.vitals import ReminderDialog
from companion.ui.theme import apply_calm_theme

PHASES = ["Settling", "Onset", "Peak", "Return", "Integration"]


class OneDialog(App):
    """A dialog over an empty calm screen, as the session shows it."""

    CSS_PATH = str(Path(__file__).resolve().parents[2] / "companion" / "ui" / "app.tcss")

    def __init__(self, make: Callable[[], Any]) -> None:
        super().__init__()
        self._make = make

    def on_mount(self) -> None:
        apply_calm_theme(self)
        self.push_screen(self._make())


def vitals_form() -> ReminderDialog:
    fields = (FormField("systolic", "Systolic", "mmHg", low=90, high=140, last=128, last_elapsed=35),
              FormField("diastolic", "Diastolic", "mmHg", low=60, high=90, last=82, last_elapsed=35),
              FormField("hr", "Heart rate", "/min", last=72, last_elapsed=35),
              FormField("spo2", "SpO2", "%", low=94),
              FormField("moaa-s", "MOAA/S", "", 0, 5, words="5 = responds readily to name"))
    return ReminderDialog("Vitals", fields, save=lambda values: None, detail="Due now",
                          words="I'm going to take your blood pressure.",
                          skip=lambda reason: None, put_off_minutes=5)


def help_keys() -> list[tuple[str, str]]:
    keys = [(b.key_display or b.key.split(",")[0], KEY_HELP.get(b.id or "", b.description))
            for b in SESSION_BINDINGS]
    return keys + [("f", KEY_HELP["harbour"]), ("ctrl+f", "harbour, also while typing"),
                   ("ctrl+c", "end the session (asks)")]


DIALOGS: dict[str, Callable[[], Any]] = {
    # Two buttons, the question wrapped whole ("Mark it again now?" is not cut).
    "dose-again": lambda: ConfirmDialog("The dose is already marked. Mark it again now?",
                                        "'Since dose' would then count from now.",
                                        yes="Mark again", no="Keep the first"),
    # The observation left and the readings outside the ranges, then Not yet / Ready to leave.
    "ready-to-leave": lambda: ConfirmDialog(
        "Mark the client ready to leave?",
        "Minimum observation: 1 h 56 min still to go of 2 h after the dose.\n"
        "Outside the ranges, with no in-range reading since:\n"
        "  0:04:00  systolic 170 high, diastolic 105 high\n  0:04:00  SpO2 92 low",
        yes="Ready to leave", no="Not yet"),
    "phase-jump": lambda: ConfirmDialog(
        "Jump ahead to Integration?",
        "From Onset, skipping Peak and Return. The music crossfades to Integration's first track.",
        yes="Jump to Integration", no="Stay in Onset"),
    # The note field, the hint that typed words are kept, Keep going / End session.
    "end": EndDialog,
    # How long is left, the reason (needed) and the note, the hint, and both buttons.
    "early-end": lambda: EarlyEndDialog("1 h 56 min", "2 h"),
    "skip-reason": lambda: ReasonDialog("Skip vitals?", "Say why, for the record (optional).",
                                        placeholder="e.g. client asleep", required=False),
    # The text field, the four tags, and the keys (ctrl+f safe harbour among them).
    "note": NoteDialog,
    "distress": DistressDialog,
    # Onset (now) highlighted in a visible muted sage.
    "phase": lambda: PhaseDialog(PHASES, 1),
    "pick-playlist": lambda: PickDialog("Choose a playlist", ["Gentle default",
                                                              "Sublingual KAP, two hours"]),
    "resume": lambda: ResumeDialog("Began Wed 25 Nov 14:00 (client K-17), 0:42:13 in, "
                                   "Peak; the dose was marked at 0:14:00."),
    "help": lambda: HelpDialog(help_keys()),
    "log": lambda: LogDialog([f"0:{m:02d}:00  note: line {m}" for m in range(30)]),
    # The path wraps; Save report / View report / Close all on screen.
    "report": lambda: ReportDialog("# Session", Path("/root/.local/share/companion/sessions/"
                                                     "2026-11-25T14-00-00-K-17.md"),
                                   lambda path, text: None),
    # Every field on one line with its last value and range; Skip… / Save; the keys.
    "vitals-form": vitals_form,
}
SIZES = {"80x24": (80, 24), "60x18": (60, 18)}


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_dialog_fits(name, size, snap_compare):
    async def steady_cursor(pilot) -> None:
        from textual.widgets import Input

        await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor would make the picture flicker
        await pilot.pause()

    assert snap_compare(OneDialog(DIALOGS[name]), terminal_size=SIZES[size],
                        run_before=steady_cursor)


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_dialog_buttons_are_on_screen(name, size):
    """Not a picture: every button and field lies inside the terminal, none cut by the box."""
    import asyncio


    async def check() -> None:
        app = OneDialog(DIALOGS[name])
        width, height = SIZES[size]
        async with app.run_test(size=SIZES[size]) as pilot:
            await pilot.pause()
            await pilot.pause(0.1)
            box = app.screen.query_one(".dialog")
            inside = box.content_region
            for widget in app.screen.query("Button, Input"):
                region = widget.region
                assert region.height > 0, f"{name} at {size}: {widget} is not shown"
                assert inside.contains_region(region), (
                    f"{name} at {size}: {widget} at {region} is outside {inside}")
                assert region.bottom <= height and region.right <= width

    asyncio.run(check())


def test_a_dialog_that_grows_after_it_is_shown_still_shows_its_buttons():
    """The early-end dialog at 60x18 whose hint grows to three lines once shown (a problem
    said): it turns compact then, not only when it first opens."""
    import asyncio

    from textual.widgets import Button

    async def check() -> None:
        app = OneDialog(DIALOGS["early-end"])
        async with app.run_test(size=(60, 18)) as pilot:
            await pilot.pause(0.1)
            app.screen.set_class(False, "-dialog-compact")
            for widget in app.screen.query("Input, Button"):
                widget.compact = False  # as a dialog that fitted when it opened
            app.screen.hint("A reason is needed to end before the minimum observation time: "
                            "type it above, then Tab to the closing note, then Tab to End.")
            await pilot.pause(0.1)
            inside = app.screen.query_one(".dialog").content_region
            for button in app.screen.query(Button):
                assert inside.contains_region(button.region), f"{button} is cut off"

    asyncio.run(check())
