"""The start screen: playlist, client code, intention, the audio output, and resuming first."""

from __future__ import annotations

import pytest

from companion.ui.screens.dialogs import ResumeDialog
from companion.ui.screens.session import SessionScreen
from companion.ui.screens.start import StartScreen
from tests.ui.fakes import begin, clocks, run_async, session_app, settle, wait_for

SIZE = (80, 24)


@run_async
async def test_shows_the_audio_output_in_use(tmp_path):
    app, _engine, _clock = session_app(tmp_path, backend="miniaudio")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.audio is not None)
        await pilot.pause()
        assert "miniaudio: ALSA default" in str(app.screen.query_one("#audio-line").render())


@run_async
async def test_says_why_there_is_no_audio_device(tmp_path):
    app, _engine, _clock = session_app(tmp_path, reason="failed to init device (-401)")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.audio is not None)
        await pilot.pause()
        line = str(app.screen.query_one("#audio-line").render())
        # Said once, plainly; the technical reason goes to the record only.
        assert line == "No sound device: the session runs silent, with words on screen"
        controller = await begin(pilot)
        output = controller.record.last("audio_output")
        assert output.get("backend") == "none" and "-401" in output.get("reason")
        assert "silent: no sound device" in str(app.screen.query_one("#np-state").render())


@run_async
async def test_client_code_and_intention_go_into_the_record(tmp_path):
    app, _engine, _clock = session_app(tmp_path, client_code="K-17")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.audio is not None)
        assert app.screen.query_one("#client-code").value == "K-17"
        await pilot.click("#intention")
        await pilot.press(*"to feel at ease")
        controller = await begin(pilot)
        started = controller.record.events[0]
        assert started.get("client_code") == "K-17"
        assert started.get("intention") == "to feel at ease"
        assert started.get("playlist_name") == "Test session"
        assert controller.record.path.name.endswith("_K-17.jsonl")
        assert "client K-17" in str(app.screen.query_one("#session-title").render())


@run_async
async def test_a_broken_playlist_is_named_with_its_line(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    broken = tmp_path / "test-session.yaml"
    async with app.run_test(size=SIZE) as pilot:
        broken.write_text("name: Broken\nphases:\n  - name: One\n    minutes: [oops\n")
        await wait_for(pilot, lambda: app.audio is not None)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "test-session.yaml:" in
                       str(app.screen.query_one("#start-problem").render()))
        assert isinstance(app.screen, StartScreen)
        assert not app.screen.query_one("#begin").disabled


@run_async
async def test_ctrl_c_before_a_session_just_quits(tmp_path):
    app, engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.audio is not None)
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0
    assert engine.closed_with is not None


async def _interrupted_session(tmp_path, clock, wall) -> None:
    """Run a session for ten minutes with the dose and a note, then drop it (as a crash would)."""
    app, _engine, _ = session_app(tmp_path, clock=clock, wall=wall)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        clock.advance(300)
        await pilot.press("d")
        await settle(pilot)
        controller.add_note("observation", "settled")
        clock.advance(300)
        await pilot.press("plus")
        await settle(pilot)
        controller.flush()
        controller.record.close()  # as a crash does: no end, and the kernel drops the lock
        app.controller = None


@run_async
async def test_offers_to_resume_an_interrupted_session_with_its_clock(tmp_path):
    clock, wall = clocks()
    await _interrupted_session(tmp_path, clock, wall)
    clock.advance(120)  # two minutes until the app is started again
    app, _engine, _ = session_app(tmp_path, clock=clock, wall=wall)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeDialog))
        assert "Test session" in str(app.screen.query_one("#resume-description").render())
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        await settle(pilot)
        view = app.controller.view()
        assert view.elapsed == pytest.approx(720)     # not from zero
        assert view.since_dose == pytest.approx(420)
        assert view.phase.name == "Onset"
        assert view.volume == 55
        assert [n.text for n in view.notes] == ["settled"]
        resumed = app.controller.record.last("session_resumed")
        assert resumed.get("gap") == pytest.approx(120)
        assert len(list((tmp_path / "data" / "sessions").glob("*.jsonl"))) == 1


@run_async
async def test_starting_new_leaves_the_interrupted_one_alone(tmp_path):
    clock, wall = clocks()
    await _interrupted_session(tmp_path, clock, wall)
    clock.advance(60)
    app, _engine, _ = session_app(tmp_path, clock=clock, wall=wall)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeDialog))
        await pilot.press("tab", "enter")   # "Start a new session"
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        controller = await begin(pilot)
        assert controller.view().elapsed == pytest.approx(0)
        assert len(list((tmp_path / "data" / "sessions").glob("*.jsonl"))) == 2


@run_async
async def test_ctrl_o_picks_another_playlist(tmp_path, monkeypatch):
    from companion.ui.screens.dialogs import PickDialog

    app, _engine, _clock = session_app(tmp_path)   # writes test-session.yaml
    other = tmp_path / "other.yaml"
    other.write_text((tmp_path / "test-session.yaml").read_text().replace("Test session", "Other one"))
    monkeypatch.setattr("companion.paths.find_playlists", lambda: [other])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.audio is not None)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, PickDialog))
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        assert "other" in str(app.screen.query_one("#playlist").render())
        controller = await begin(pilot)
        assert controller.playlist.name == "Other one"
