"""The BLS panel driven as a person would (Pilot), with a fake clock and a silent stand-in for the engine."""

from __future__ import annotations

import asyncio
import functools

import pytest

from companion.bilateral import BUILTIN_PRESETS, ClockAudio, Preset
from companion.clock import FakeClock
from companion.ui.bls_app import make_bls_app
from companion.ui.screens.bilateral import (BilateralScreen, SudDialog, marker_position,
                                            track_text)

SIZE = (80, 24)


def run_async(test):
    """Run an `async def` test with asyncio (no pytest async plugin is installed)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


def make_app(presets=BUILTIN_PRESETS, reduced_motion: bool = False):
    clock = FakeClock(50.0)
    events: list[tuple[str, dict]] = []
    app = make_bls_app(presets[0], presets, ClockAudio(clock), clock=clock,
                       reduced_motion=reduced_motion, timer=False,
                       on_event=lambda kind, fields: events.append((kind, fields)))
    return app, clock, events


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def advance(pilot, clock: FakeClock, seconds: float, step: float = 0.05) -> None:
    screen = pilot.app.screen
    for _ in range(int(round(seconds / step))):
        clock.advance(step)
        screen.tick()
    await pilot.pause()


@run_async
async def test_panel_shows_preset_speed_in_both_units_and_the_emdr_note():
    app, clock, _events = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BilateralScreen)
        assert "Processing" in text(app, "#bls-preset")
        assert text(app, "#bls-speed") == "Speed: 1.0 cycles/s (2.0 passes/s)"
        assert "clinicians trained in EMDR" in text(app, "#bls-note")
        assert text(app, "#bls-status") == "Ready: space starts a set."


@run_async
async def test_space_starts_a_set_and_the_counter_follows_the_passes_heard():
    app, clock, events = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, clock, 0.3)
        assert text(app, "#bls-counter").startswith("Pass 1 of 24")
        assert "LEFT" in text(app, "#bls-side")
        await advance(pilot, clock, 0.5)
        assert text(app, "#bls-counter").startswith("Pass 2 of 24 · 0:00.5")
        assert "RIGHT" in text(app, "#bls-side")
        assert text(app, "#bls-status") == "Set 1 running"
        await pilot.press("space")
        await advance(pilot, clock, 0.1)
        assert "Set 1 stopped early: 2 passes" in text(app, "#bls-status")
    assert [k for k, _f in events] == ["bilateral_started", "bilateral_stopped"]


@run_async
async def test_plus_and_minus_change_the_speed_of_the_running_set():
    app, clock, events = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, clock, 0.5)
        await pilot.press("plus", "plus", "equals_sign")
        assert text(app, "#bls-speed") == "Speed: 1.3 cycles/s (2.6 passes/s)"
        await pilot.press("minus")
        assert app.session.current.speeds == [1.0, 1.1, 1.2, 1.3, 1.2]
        for _ in range(20):
            await pilot.press("plus")
        assert text(app, "#bls-speed").startswith("Speed: 2.0 cycles/s"), "never above 2.0"


@run_async
async def test_sud_between_sets_with_a_note_goes_to_the_record():
    app, clock, events = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, SudDialog)
        await pilot.press("1", "1", "enter")
        assert "0 to 10" in str(app.screen.query_one("#sud-problem").render())
        await pilot.press("backspace", "backspace", "6", "tab", *"tight chest", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BilateralScreen)
        assert text(app, "#bls-sud") == "SUD: 6"
    assert events == [("distress_rating", {"rating": 6, "scale": "0-10", "exercise": "bilateral",
                                           "after_set": None, "note": "tight chest"})]


@run_async
async def test_sud_waits_until_the_set_is_over():
    app, clock, events = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "s")
        assert isinstance(app.screen, BilateralScreen)


@run_async
async def test_p_picks_the_next_preset_and_its_speed():
    own = Preset("slow", "Slow tones", speed=0.4, passes=None, seconds=30, pan="smooth")
    app, clock, events = make_app(BUILTIN_PRESETS + (own,))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert "Resource" in text(app, "#bls-preset")
        assert text(app, "#bls-speed").startswith("Speed: 0.5 cycles/s (1.0 passes/s)")
        await pilot.press("p")
        assert "Slow tones" in text(app, "#bls-preset") and "30 s" in text(app, "#bls-preset")
        await pilot.press("space")
        await advance(pilot, clock, 0.3)
        assert text(app, "#bls-counter").startswith("Pass 1 · ")
    assert events[0][1]["preset"] == "slow" and events[0][1]["seconds"] == 30


@run_async
async def test_left_right_check_names_the_ear():
    app, clock, events = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await advance(pilot, clock, 0.3)
        assert text(app, "#bls-side") == "This is your LEFT ear"
        await advance(pilot, clock, 2.0)
        assert text(app, "#bls-side") == "This is your RIGHT ear"
    assert events == []


@run_async
async def test_reduced_motion_shows_the_side_in_words_without_a_marker():
    app, clock, events = make_app(reduced_motion=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, clock, 0.3)
        assert text(app, "#bls-marker") == ""
        assert "LEFT" in text(app, "#bls-side")


@run_async
async def test_escape_closes_the_panel_and_stops_the_set():
    app, clock, events = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, clock, 1.0)
        await pilot.press("escape")
        await pilot.pause()
    assert app.session.sets[0].ending
    assert app.return_value == app.session.sets


@pytest.mark.parametrize("u, smooth, expected", [
    (0.0, False, -1.0), (0.4, False, -1.0), (0.75, False, 0.0), (0.0, True, -1.0),
    (0.5, True, 0.0),
])
def test_marker_rests_on_the_side_then_glides_calmly(u, smooth, expected):
    from companion.bilateral import SetState

    state = SetState(1, BUILTIN_PRESETS[0], speed=1.0, side="left", last_onset=10.0)
    assert marker_position(state, 10.0 + u * 0.5, smooth) == pytest.approx(expected, abs=1e-9)


def test_marker_track_has_one_dot_at_each_end_position():
    assert track_text(-1.0).plain.startswith("L ●")
    assert track_text(1.0).plain.endswith("● R")
    assert track_text(0.0).plain.count("●") == 1
