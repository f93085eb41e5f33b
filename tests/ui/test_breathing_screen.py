"""The breathing screens under Pilot: words in time, keys, reduced motion, record and cue calls."""

from __future__ import annotations

import asyncio
import functools
import time

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Digits, Static

from companion.breathing import Pattern, Step, builtin_patterns, find_pattern
from companion.clock import FakeClock
from companion.ui.breathe_app import make_breathe_app
from companion.ui.screens.breathing import (PacerScreen, PatternPickerScreen,
                                            push_breathing)
from companion.ui.widgets.keys import KeyBar
from companion.ui.widgets.pacer import PacerVisual

SIZE = (80, 24)


def run_async(test):
    """Run an `async def` test with asyncio (no pytest async plugin is installed)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


def text_of(screen, selector: str) -> str:
    widget = screen.query_one(selector)
    if isinstance(widget, Digits):
        return widget.value
    return str(widget.render())


def keys_shown(screen) -> list[str]:
    return [description for _key, description in screen.query_one(KeyBar).entries()]


class Recorder:
    """Collects on_event and cue calls."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []
        self.cues: list[tuple[str, float]] = []

    def event(self, type_: str, fields: dict) -> None:
        self.events.append((type_, fields))

    def cue(self, role: str, at: float) -> None:
        self.cues.append((role, at))

    def types(self) -> list[str]:
        return [type_ for type_, _ in self.events]

    def last(self, type_: str) -> dict:
        return [fields for t, fields in self.events if t == type_][-1]


def box_app(clock, recorder=None, **options):
    recorder = recorder or Recorder()
    app = make_breathe_app(builtin_patterns(), find_pattern("box"), clock=clock,
                           cue=recorder.cue, **options)
    app.animation_level = "none"  # the circle's 2 s settle after a stop would slow each test
    return app


@run_async
async def test_words_follow_the_pattern_from_opening_to_each_step():
    clock = FakeClock(100.0)
    app = box_app(clock, cycles=1)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, PacerScreen)
        assert text_of(screen, "#pacer-label") == "Get comfortable"
        assert "breathe together" in text_of(screen, "#pacer-words")
        seen = []
        for seconds in (3.0, 4.0, 4.0, 4.0):
            clock.advance(seconds)
            screen.sync()
            await pilot.pause()
            seen.append((text_of(screen, "#pacer-label"), text_of(screen, "#pacer-count")))
        assert seen == [("Breathe in", "1"), ("Hold", "1"), ("Breathe out", "1"), ("Rest", "1")]
        clock.advance(2.5)
        screen.sync()
        await pilot.pause()
        assert text_of(screen, "#pacer-count") == "3"
        assert "breath 1 of 1" in text_of(screen, "#pacer-title")


@run_async
async def test_timers_change_the_words_on_their_own_in_real_time():
    quick = Pattern("quick", "Quick", (Step("inhale", 0.3, "in"), Step("exhale", 0.3, "out")),
                    cycles=2)
    recorder = Recorder()
    app = make_breathe_app([quick], quick, clock=time.monotonic, cue=recorder.cue,
                           lead_in=0.0)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        started = time.monotonic()
        seen = []
        while time.monotonic() - started < 1.5:
            label = text_of(screen, "#pacer-label")
            if not seen or seen[-1] != label:
                seen.append(label)
            await pilot.pause(0.02)
        assert seen == ["Breathe in", "Breathe out", "Breathe in", "Breathe out", "Done"]
        # Cues went out ahead, each for the moment its step begins.
        pacer = screen.pacer
        assert [role for role, _ in recorder.cues] == ["exhale", "inhale", "exhale", "end"]
        for (_, at), offset in zip(recorder.cues, (0.3, 0.6, 0.9, 1.2)):
            assert at == pytest.approx(pacer.started_at + offset, abs=1e-6)


@run_async
async def test_space_pauses_and_resumes_with_the_key_shown():
    clock = FakeClock(0.0)
    recorder = Recorder()
    app = box_app(clock, recorder, on_event=recorder.event)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        clock.advance(4.5)
        screen.sync()
        assert "Pause" in keys_shown(screen)
        await pilot.press("space")
        assert screen.pacer.paused
        assert "Paused" in text_of(screen, "#pacer-title")
        assert "Resume" in keys_shown(screen) and "Pause" not in keys_shown(screen)
        clock.advance(60)
        await pilot.press("space")
        assert not screen.pacer.paused
        assert screen.pacer.elapsed() == pytest.approx(1.5)
        assert recorder.types()[-2:] == ["breathing_paused", "breathing_resumed"]


@pytest.mark.parametrize("key", ["escape", "q"])
@run_async
async def test_stop_key_ends_gently_then_enter_closes(key):
    clock = FakeClock(0.0)
    recorder = Recorder()
    app = box_app(clock, recorder, on_event=recorder.event)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        clock.advance(3 + 16 + 5)
        screen.sync()
        await pilot.press(key)
        assert text_of(screen, "#pacer-words") == "Let your breath return to its own rhythm."
        assert screen.has_class("-done")
        assert keys_shown(screen) == ["Close"]
        stopped = recorder.last("breathing_stopped")
        assert stopped == {"pattern": "box", "cycles_done": 1, "duration": 21.0,
                           "completed": False, "rating_before": None, "rating_after": None}
        await pilot.press("enter")
    assert app.return_value.cycles_done == 1 and not app.return_value.completed


@run_async
async def test_finishing_all_cycles_records_a_completed_run():
    clock = FakeClock(0.0)
    recorder = Recorder()
    app = box_app(clock, recorder, on_event=recorder.event, cycles=2)
    async with app.run_test(size=SIZE) as pilot:
        assert recorder.events[0] == ("breathing_started", {
            "pattern": "box", "title": "Box breathing", "cycles": 2, "minutes": None,
            "reduced_motion": False})
        clock.advance(3 + 32)
        app.screen.sync()
        await pilot.pause()
        assert recorder.last("breathing_stopped")["completed"] is True
        assert recorder.last("breathing_stopped")["cycles_done"] == 2
        assert text_of(app.screen, "#pacer-label") == "Done"


@run_async
async def test_reduced_motion_shows_words_and_count_without_the_circle():
    clock = FakeClock(0.0)
    recorder = Recorder()
    app = box_app(clock, recorder, on_event=recorder.event, reduced_motion=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        clock.advance(5)
        screen.sync()
        await pilot.pause()
        assert not screen.query_one(PacerVisual).display
        assert not screen._ticker._active.is_set()  # no animation frames at all
        assert text_of(screen, "#pacer-label") == "Breathe in"
        assert text_of(screen, "#pacer-count") == "3"
        assert recorder.last("breathing_started")["reduced_motion"] is True


@run_async
async def test_small_windows_keep_the_word_and_count_visible():
    for size, circle in (((70, 15), True), ((40, 10), False)):
        clock = FakeClock(0.0)
        app = box_app(clock)
        async with app.run_test(size=size) as pilot:
            clock.advance(5.5)
            app.screen.sync()
            await pilot.pause()
            assert text_of(app.screen, "#pacer-label") == "Breathe in  3"
            assert not app.screen.query_one("#pacer-count-row").display
            assert app.screen.query_one(PacerVisual).display is circle


@run_async
async def test_animation_runs_only_while_breathing():
    clock = FakeClock(0.0)
    app = box_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen._ticker._active.is_set()
        await pilot.press("space")
        assert not screen._ticker._active.is_set()
        await pilot.press("space", "escape")
        assert not screen._ticker._active.is_set()


@run_async
async def test_distress_ratings_before_and_after_go_to_the_record():
    clock = FakeClock(0.0)
    recorder = Recorder()
    app = box_app(clock, recorder, on_event=recorder.event, ask_distress=True, cycles=1)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.stage == "rating_before" and screen.pacer is None
        await pilot.press("1", "2", "enter")
        assert "whole number from 0 to 10" in text_of(screen, "#pacer-rating-message")
        await pilot.press("backspace", "enter")
        assert screen.stage == "breathing"
        clock.advance(3 + 16)
        screen.sync()
        await pilot.pause()
        assert screen.stage == "rating_after"
        assert "own rhythm" in text_of(screen, "#pacer-rating-prompt")
        await pilot.press("0", "enter")
        await pilot.press("enter")
    assert recorder.types() == ["distress_rating", "breathing_started", "distress_rating",
                                "breathing_stopped"]
    assert recorder.events[0][1] == {"exercise": "breathing", "when": "before", "value": 1,
                                     "pattern": "box"}
    stopped = recorder.last("breathing_stopped")
    assert (stopped["rating_before"], stopped["rating_after"], stopped["completed"]) == (1, 0, True)
    assert app.return_value.rating_after == 0


@run_async
async def test_escape_skips_a_rating():
    clock = FakeClock(0.0)
    recorder = Recorder()
    app = box_app(clock, recorder, on_event=recorder.event, ask_distress=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        assert app.screen.stage == "breathing"
        assert "distress_rating" not in recorder.types()


@run_async
async def test_picker_lists_every_pattern_and_starts_the_chosen_one():
    app = make_breathe_app(builtin_patterns(), None, clock=FakeClock(0.0))
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, PatternPickerScreen)
        assert app.screen.query_one("#picker-list").option_count == 8
        assert keys_shown(app.screen) == ["Start", "Close"]
        await pilot.press("up", "up", "enter")  # from the suggested Extended exhale
        assert isinstance(app.screen, PacerScreen)
        assert app.screen.pattern.name == "resonance"


@run_async
async def test_picker_escape_leaves_without_breathing():
    app = make_breathe_app(builtin_patterns(), None, clock=FakeClock(0.0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
    assert app.return_value is None


class SessionLike(App):
    """Stands in for the session app: one screen underneath, breathing pushed over it."""

    def compose(self) -> ComposeResult:
        yield Static("session screen", id="session")


@run_async
async def test_breathing_pushed_over_a_session_returns_to_it():
    clock = FakeClock(0.0)
    recorder = Recorder()
    done = []
    app = SessionLike()
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        base = app.screen
        push_breathing(app, builtin_patterns(), on_done=done.append, clock=clock,
                       on_event=recorder.event, cue=recorder.cue)
        await pilot.pause()
        assert keys_shown(app.screen) == ["Start", "Back"]
        await pilot.press("home", "enter")
        assert isinstance(app.screen, PacerScreen)
        clock.advance(10)
        app.screen.sync()
        await pilot.press("escape", "enter")
        assert app.screen is base
    assert done[0].pattern == "box" and done[0].duration == 7.0
    assert recorder.types() == ["breathing_started", "breathing_stopped"]


@run_async
async def test_leaving_the_app_mid_breath_still_records_the_stop():
    clock = FakeClock(0.0)
    recorder = Recorder()
    app = box_app(clock, recorder, on_event=recorder.event)
    async with app.run_test(size=SIZE) as pilot:
        clock.advance(8)
        await pilot.pause()
    assert recorder.types() == ["breathing_started", "breathing_stopped"]
    assert recorder.last("breathing_stopped")["duration"] == 5.0


def test_pacer_screen_mid_inhale_snapshot(snap_compare):
    """Reviewer: box breathing, breath 1 of 6, 2.5 s into the first inhale: a round sage
    circle about three quarters of the way to a faint full-size ring, soft (blended) edges,
    "Breathe in", a large 3, the sitter's words, and the keys Space Pause and Esc/q Stop
    gently at the bottom; nothing else on screen."""
    clock = FakeClock(0.0)

    async def run_before(pilot) -> None:
        clock.advance(3 + 2.5)
        pilot.app.screen.sync()
        await pilot.pause()

    app = make_breathe_app(builtin_patterns(), find_pattern("box"), clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
