"""The grounding screen with Pilot: client mode alone, sitter mode over a session, small windows."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Digits, Input, Static

from companion.ui.ground_app import make_ground_app
from companion.ui.screens.grounding import (MIN_HEIGHT, MIN_WIDTH, GroundingScreen,
                                            join_keys, open_in_session)
from companion.ui.theme import apply_calm_theme
from companion.wording import Wording


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test in its own event loop (no asyncio plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


class SessionStandIn(App[None]):
    """A stand-in for the session app: a plain screen under a sitter-mode grounding screen."""

    def __init__(self, wording: Wording | None = None, ratings: bool = True) -> None:
        super().__init__()
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.results: list[dict[str, Any] | None] = []
        self.wording = wording
        self.ratings = ratings

    def compose(self) -> ComposeResult:
        yield Static("the session screen", id="session")

    def on_mount(self) -> None:
        apply_calm_theme(self)
        self.push_screen(GroundingScreen(mode="sitter", wording=self.wording, ratings=self.ratings,
                                         on_event=lambda t, f: self.events.append((t, f))),
                         callback=self.results.append)

    def types(self) -> list[str]:
        return [t for t, _ in self.events]


def text(app: App[Any], selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def type_line(pilot: Any, words: str) -> None:
    await pilot.press(*(" " if c == " " else c for c in words), "enter")


# -- client mode ----------------------------------------------------------------------------


@run_async
async def test_client_walks_all_five_steps_by_typing_and_enter() -> None:
    app = make_ground_app(Wording("en"))
    async with app.run_test(size=(80, 24)) as pilot:
        assert "how distressed" in text(app, "#ground-prompt")
        await type_line(pilot, "6")
        for number, (sense, count) in enumerate([("See", 5), ("Hear", 4), ("Feel", 3),
                                                 ("Smell", 2), ("Taste", 1)], start=1):
            assert text(app, "#ground-head") == f"Grounding · Step {number} of 5 · {sense}"
            assert str(app.screen.query_one(Digits).value) == str(count)
            for item in range(count):
                await type_line(pilot, f"{sense[0].lower()}{item}")
        assert "Well done" in text(app, "#ground-prompt")
        await type_line(pilot, "2")
    summary = app.return_value
    assert summary is not None and summary["all_steps"] is True
    assert summary["items"] == {"see": 5, "hear": 4, "feel": 3, "smell": 2, "taste": 1}
    assert summary["words"]["hear"] == ["h0", "h1", "h2", "h3"]
    assert (summary["rating_before"], summary["rating_after"]) == (6, 2)


@run_async
async def test_client_sees_progress_and_what_they_noticed() -> None:
    app = make_ground_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # no rating
        await type_line(pilot, "the lamp")
        await pilot.press("enter")  # noticed, no words
        assert text(app, "#ground-marks") == "● ● ○ ○ ○   2 of 5"
        assert text(app, "#ground-items") == "the lamp"
        assert "If nothing" not in text(app, "#ground-hint")


@run_async
async def test_client_letters_are_words_not_keys() -> None:
    app = make_ground_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await type_line(pilot, "swr w")  # s, w, r and space are sitter keys
        screen = app.screen
        assert isinstance(screen, GroundingScreen)
        assert screen.exercise.noticed == ("swr w",) and screen.exercise.index == 0


@run_async
async def test_client_moves_back_next_and_repeats_with_arrows_and_ctrl_r() -> None:
    app = make_ground_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        exercise = app.screen.exercise
        await pilot.press("down")  # nothing noticed: moving on skips the step
        assert exercise.index == 1 and exercise.summary()["skipped"] == ["see"]
        await type_line(pilot, "rain")
        await pilot.press("down")
        assert exercise.index == 2 and exercise.summary()["skipped"] == ["see"]
        await pilot.press("up")
        assert exercise.index == 1 and exercise.noticed == ("rain",)
        await pilot.press("ctrl+r")
        assert exercise.noticed == ()
        assert app.screen.query_one(Input).has_focus


@run_async
async def test_client_taste_step_offers_water_or_a_mint() -> None:
    app = make_ground_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "down", "down", "down", "down")
        assert "Taste" in text(app, "#ground-head")
        assert text(app, "#ground-hint") == (
            "If nothing, take a sip of water or a mint and notice it.")


@run_async
async def test_client_rating_must_be_0_to_10() -> None:
    app = make_ground_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "x", "1", "enter")  # letters are refused as they are typed
        assert "number from 0 to 10" in text(app, "#ground-message")
        assert not app.screen.exercise.started
        await type_line(pilot, "10")
        assert app.screen.exercise.rating_before == 10 and app.screen.exercise.started


@run_async
async def test_client_leaves_only_on_a_second_escape() -> None:
    app = make_ground_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await type_line(pilot, "cloud")
        await pilot.press("escape")
        assert "Press Esc again" in text(app, "#ground-message")
        await type_line(pilot, "tree")  # going on disarms it
        await pilot.press("escape")
        assert app.is_running
        await pilot.press("escape")
    assert app.return_value is not None
    assert app.return_value["words"] == {"see": ["cloud", "tree"]}
    assert app.return_value["all_steps"] is False


@run_async
async def test_client_leaving_before_starting_keeps_nothing() -> None:
    app = make_ground_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
    assert app.return_value is None


@run_async
async def test_client_in_spanish() -> None:
    app = make_ground_app(Wording("es"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert text(app, "#ground-head") == "Anclaje · Paso 1 de 5 · Ver"
        assert "cinco cosas que puedes ver" in text(app, "#ground-prompt")
        assert "Enter anotado" in text(app, "#ground-keys")


# -- sitter mode ----------------------------------------------------------------------------


@run_async
async def test_sitter_marks_items_with_one_key_and_optional_words() -> None:
    app = SessionStandIn()
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Ask: how distressed" in text(app, "#ground-prompt")
        await type_line(pilot, "7")
        prompt = text(app, "#ground-prompt")
        assert prompt.startswith("“Let your eyes wander") and prompt.endswith("”")
        assert not app.screen.query_one(Input).display  # nothing to type until `w`
        await pilot.press("space", "space")
        await pilot.press("w")
        assert app.screen.query_one(Input).has_focus
        await type_line(pilot, "the window")
        await pilot.press("backspace")  # undo the last mark
        assert text(app, "#ground-marks") == "● ● ○ ○ ○   2 of 5"
        await pilot.press("w", "x", "escape")  # Esc cancels the words, not the exercise
        assert isinstance(app.screen, GroundingScreen)
        assert app.screen.exercise.noticed == ("", "")
    items = [f for t, f in app.events if t == "grounding_item"]
    assert [f.get("text") for f in items] == [None, None, "the window"]
    assert app.events[0] == ("distress_rating", {"rating": 7, "scale": "0-10",
                                                 "context": "grounding", "moment": "before"})
    assert "grounding_item_removed" in app.types()


@run_async
async def test_sitter_back_next_skip_repeat_and_start_over() -> None:
    app = SessionStandIn(ratings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        exercise = app.screen.exercise
        await pilot.press("space", "right")
        assert exercise.index == 1
        await pilot.press("s")
        assert exercise.index == 2 and exercise.summary()["skipped"] == ["hear"]
        await pilot.press("left", "left")
        assert exercise.index == 0 and exercise.noticed == ("",)
        await pilot.press("r")
        assert exercise.noticed == ()
        await pilot.press("right", "right", "home")
        assert exercise.index == 0
    actions = [f["action"] for t, f in app.events if t == "grounding_step"]
    assert actions == ["start", "next", "skip", "back", "back", "repeat", "next", "next",
                       "restart"]


@run_async
async def test_sitter_completes_and_rates_after_from_the_closing() -> None:
    app = SessionStandIn()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        for count in (5, 4, 3, 2, 1):
            await pilot.press(*["space"] * count)
        assert "You did that really well" in text(app, "#ground-prompt")
        await type_line(pilot, "3")
        assert not isinstance(app.screen, GroundingScreen)
    assert app.types()[-2:] == ["grounding_completed", "distress_rating"]
    assert app.results[0] is not None and app.results[0]["rating_after"] == 3
    assert app.results[0]["all_steps"] is True


@run_async
async def test_sitter_escape_closes_and_records_the_stop() -> None:
    app = SessionStandIn(ratings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "space", "escape")
        assert app.screen.query_one("#session")
    assert app.types()[-1] == "grounding_stopped"
    assert app.results[0] is not None and app.results[0]["items"]["see"] == 1


@run_async
async def test_open_in_session_uses_the_playlists_wording_and_the_record() -> None:
    class Playlist:
        language = "es"
        wording = {"grounding.see.sitter": "Mira: cinco cosas."}

    class Controller:
        playlist = Playlist()

        def __init__(self) -> None:
            self.events: list[tuple[str, dict[str, Any]]] = []

        def exercise_event(self, type_: str, fields: dict[str, Any]) -> None:
            self.events.append((type_, fields))

    controller = Controller()
    app = App[None]()
    async with app.run_test(size=(80, 24)) as pilot:
        open_in_session(app, controller, ratings=False)
        await pilot.pause()
        open_in_session(app, controller, ratings=False)  # already open: no second screen
        await pilot.pause()
        assert sum(isinstance(s, GroundingScreen) for s in app.screen_stack) == 1
        await pilot.press("enter", "space")
        assert text(app, "#ground-prompt") == "«Mira: cinco cosas.»"
    assert [t for t, _ in controller.events] == ["grounding_started", "grounding_step",
                                                 "grounding_item"]


# -- sizes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["client", "sitter"])
@run_async
async def test_smaller_windows_drop_the_large_number_but_keep_the_words(mode: str) -> None:
    app = make_ground_app() if mode == "client" else SessionStandIn()
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert screen.has_class("-compact") and not screen.has_class("-too-small")
        assert not screen.query_one("#ground-count-row").display
        assert screen.query_one("#ground-prompt").region.height >= 1
        assert screen.query_one("#ground-keys").region.bottom <= 18
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen.query_one("#ground-count-row").display


@pytest.mark.parametrize("mode", ["client", "sitter"])
@run_async
async def test_a_too_small_window_says_so_plainly(mode: str) -> None:
    app = make_ground_app() if mode == "client" else SessionStandIn()
    async with app.run_test(size=(40, 12)) as pilot:
        screen = app.screen
        message = text(app, "#ground-too-small")
        assert "too small" in message.replace("\n", " ") or "small" in message
        assert "40×12" in message and f"{MIN_WIDTH}×{MIN_HEIGHT}" in message
        assert screen.query_one("#ground-too-small").region.height > 0
        assert screen.query_one("#ground-body").region.height == 0
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not screen.has_class("-too-small")
        assert screen.query_one("#ground-body").region.height > 0


def test_sitter_mode_snapshot(snap_compare: Any) -> None:
    """Sitter mode at 80×24 in step 1: the quoted line to read aloud in bold, the large 5,
    the hint, two of five marks (one with the words "the window"), and every key on the
    two bottom lines; dark and muted, nothing else on screen."""
    assert snap_compare(SessionStandIn(ratings=False), terminal_size=(80, 24),
                        press=["enter", "space", "w", *"the", "space", *"window", "enter"])


@run_async
async def test_client_ctrl_q_asks_like_escape() -> None:
    app = make_ground_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "ctrl+q")
        assert app.is_running and "Press Esc again" in text(app, "#ground-message")
        await pilot.press("ctrl+c")
    assert app.return_value is not None and app.return_value["all_steps"] is False


@pytest.mark.parametrize(("width", "expected"), [
    (80, "Enter noticed  ·  ↑ back  ·  Esc leave"),
    (30, "Enter noticed  ·  ↑ back\nEsc leave"),
    (5, "Enter noticed\n↑ back\nEsc leave"),
])
def test_key_hints_wrap_between_hints_never_inside_one(width: int, expected: str) -> None:
    assert join_keys(["Enter noticed", "↑ back", "Esc leave"], width) == expected
