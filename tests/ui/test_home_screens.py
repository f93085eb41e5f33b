"""With Pilot: the same grounding keys for sitter and client, the room's own taste wording, and
the breathing picker's suggestion with no "Back" to nowhere."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import OptionList, Static

from companion import paths
from companion.breathing import all_patterns, builtin_patterns
from companion.playlist import load_playlist
from companion.ui.breathe_app import make_breathe_app
from companion.ui.ground_app import make_ground_app
from companion.ui.screens.breathing import PatternPickerScreen, push_breathing
from companion.ui.screens.grounding import GroundingScreen
from companion.ui.widgets.keys import KeyBar
from companion.wording import Wording

SIZE = (80, 24)
KAP = paths.bundled_playlists_dir() / "kap-sublingual-2h.yaml"


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


class SessionLike(App[None]):
    """One screen underneath, as in a session; grounding or breathing is pushed over it."""

    def __init__(self, wording: Wording | None = None) -> None:
        super().__init__()
        self.wording = wording
        self.events: list[tuple[str, dict[str, Any]]] = []

    def compose(self) -> ComposeResult:
        yield Static("the session screen")

    def ground(self) -> None:
        self.push_screen(GroundingScreen(mode="sitter", wording=self.wording, ratings=False,
                                         on_event=lambda t, f: self.events.append((t, f))))


def keys_line(app: App[Any]) -> list[str]:
    """The grounding screen's key hints, one per action."""
    shown = str(app.screen.query_one("#ground-keys", Static).content)
    return [part.strip() for line in shown.splitlines() for part in line.split("·")]


SHARED = ["↑ back", "↓ next", "Ctrl+R repeat step"]


@run_async
async def test_sitter_and_client_grounding_show_the_same_keys_for_the_same_actions() -> None:
    client = make_ground_app(Wording("en"), ratings=False)
    async with client.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        client_keys = keys_line(client)
    sitter = SessionLike()
    async with sitter.run_test(size=SIZE) as pilot:
        sitter.ground()
        await pilot.pause()
        await pilot.press("enter")
        sitter_keys = keys_line(sitter)
    assert client_keys == ["Enter noticed", *SHARED, "Esc leave"]
    assert sitter_keys == ["Enter/Space noticed", "w with words", "⌫ undo", "↑ back", "↓ next",
                           "s skip", "Ctrl+R repeat step", "Home start over", "Esc close"]
    for hint in SHARED:
        assert hint in client_keys and hint in sitter_keys


@run_async
async def test_the_shared_keys_do_the_same_in_both_modes() -> None:
    for mode in ("client", "sitter"):
        app: App[Any]
        if mode == "client":
            app = make_ground_app(Wording("en"), ratings=False)
        else:
            app = SessionLike()
        async with app.run_test(size=SIZE) as pilot:
            if mode == "sitter":
                app.ground()
                await pilot.pause()
            await pilot.press("enter")           # past the opening
            screen = app.screen
            assert isinstance(screen, GroundingScreen)
            await pilot.press("enter")           # one thing noticed
            assert len(screen.exercise.noticed) == 1, mode
            await pilot.press("ctrl+r")          # the step again, from its first item
            assert screen.exercise.noticed == (), mode
            await pilot.press("down")
            assert screen.exercise.step.sense == "hear", mode
            await pilot.press("up")
            assert screen.exercise.step.sense == "see", mode


@run_async
async def test_sitter_grounding_with_the_kap_playlist_shows_its_taste_wording() -> None:
    wording = Wording.for_playlist(load_playlist(KAP))
    app = SessionLike(wording)
    async with app.run_test(size=SIZE) as pilot:
        app.ground()
        await pilot.pause()
        await pilot.press("enter", "down", "down", "down", "down")
        prompt = str(app.screen.query_one("#ground-prompt", Static).content)
        hint = str(app.screen.query_one("#ground-hint", Static).content)
        assert prompt == "“And last, what is one thing you can taste, just as your mouth is now?”"
        assert hint.startswith("The lozenge may have left a bitter taste")
        assert "mint" not in hint.replace("No water or mint", "")
        await pilot.press("enter")
    items = [f for t, f in app.events if t == "grounding_item"]
    assert items == [{"step": "taste", "item": 1, "count": 1}]


def keys_shown(screen: Any) -> list[str]:
    return [f"{key} {description}" for key, description in screen.query_one(KeyBar).entries()]


@run_async
async def test_the_picker_suggests_extended_exhale_and_closes_rather_than_going_back() -> None:
    app = make_breathe_app(builtin_patterns(), None)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, PatternPickerScreen)
        suggestion = str(screen.query_one("#picker-suggestion", Static).content)
        assert suggestion == ("Not sure which? Try Extended exhale, highlighted below. "
                              "A breath out longer than the breath in; calming.")
        highlighted = screen.query_one(OptionList).highlighted
        assert screen.patterns[highlighted].name == "extended-exhale"
        assert keys_shown(screen) == ["Enter Start", "Esc Close"]
        await pilot.press("enter")
        assert app.screen.pattern.name == "extended-exhale"


@run_async
async def test_over_a_session_the_picker_goes_back_and_suggests_the_playlists_own() -> None:
    playlist = load_playlist(KAP)
    patterns = all_patterns(playlist.breathing)
    app = SessionLike()
    async with app.run_test(size=SIZE) as pilot:
        done: list[Any] = []
        push_breathing(app, patterns, on_done=done.append)
        await pilot.pause()
        screen = app.screen
        assert keys_shown(screen) == ["Enter Start", "Esc Back"]
        chosen = screen.patterns[screen.query_one(OptionList).highlighted]
        assert (chosen.name, chosen.builtin, chosen.title) == (
            "extended-exhale", False, "Extended exhale 4-6")
        assert "Try Extended exhale 4-6" in str(
            screen.query_one("#picker-suggestion", Static).content)
        await pilot.press("escape")
        assert done == [None] and not isinstance(app.screen, PatternPickerScreen)


@run_async
async def test_a_picker_without_the_suggested_pattern_starts_at_the_top() -> None:
    patterns = [p for p in builtin_patterns() if p.name != "extended-exhale"]
    app = make_breathe_app(patterns, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.screen.query("#picker-suggestion")
        assert app.screen.query_one(OptionList).highlighted == 0
