"""The BLS panel tells the truth: the marker sits on the ear that sounds in the left-right
check, the key bar shows the panel's keys only, and `?` lists `t`."""

from __future__ import annotations

from companion.ui.screens.bilateral import BilateralScreen, check_position
from companion.ui.screens.dialogs import HelpDialog
from companion.ui.screens.session import SessionScreen
from companion.ui.widgets.keys import KeyBar
from tests.ui.fakes import begin, run_async, session_app, wait_for

SIZE = (80, 24)


def test_the_check_marker_rests_on_the_ear_that_sounds() -> None:
    assert check_position("left") == -1.0
    assert check_position("right") == 1.0
    assert check_position(None) == 0.0  # before the first tone: neither side


def _marker_side(screen: BilateralScreen) -> str:
    line = str(screen.query_one("#bls-marker").render())
    spot = line.index("●")
    return "left" if spot < len(line) / 2 - 2 else "right" if spot > len(line) / 2 + 2 else "middle"


@run_async
async def test_during_the_check_the_marker_never_leaves_the_side_the_screen_names(tmp_path):
    app, _engine, clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, BilateralScreen))
        panel = app.screen
        await pilot.press("l")
        seen = []
        for _ in range(120):  # 6 s at 50 ms: both tones and after
            clock.advance(0.05)
            panel.tick()
            words = str(panel.query_one("#bls-side").render())
            side = _marker_side(panel)
            if "LEFT" in words:
                assert side == "left", f"the marker is {side} while the screen says {words!r}"
            elif "RIGHT" in words:
                assert side == "right", f"the marker is {side} while the screen says {words!r}"
            seen.append(words)
        assert any("LEFT" in w for w in seen) and any("RIGHT" in w for w in seen)


@run_async
async def test_inside_the_panel_the_key_bar_shows_the_panels_keys_only(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        session_bar = app.screen.query_one(KeyBar)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, BilateralScreen))
        await pilot.pause()
        assert not session_bar.display, "the session's keys are hidden under the panel"
        entries = dict(app.screen.query_one(KeyBar).entries())
        assert entries["+"] == "faster" and entries["p"] == "preset"
        assert entries["l"] == "left-right check" and entries["s"] == "SUD"
        assert "vol+" not in entries.values() and "phase" not in entries.values()
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        await pilot.pause()
        assert session_bar.display, "the session's keys come back when the panel closes"


@run_async
async def test_help_lists_t_for_the_bls_panel(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpDialog))
        assert "t  bilateral stimulation" in app.screen.text()
