"""Every session key, pressed in a headless terminal: what the player is told, what the record says."""

from __future__ import annotations

import pytest

from companion.audio.protocol import Failed
from companion.ui.screens.dialogs import (
    ConfirmDialog,
    DistressDialog,
    EndDialog,
    HelpDialog,
    LogDialog,
    NoteDialog,
    PhaseDialog,
    ReportDialog,
)
from companion.ui.screens.session import SessionScreen
from tests.ui.fakes import begin, event_types, run_async, session_app, settle, wait_for

SIZE = (80, 24)


@run_async
async def test_space_pauses_and_resumes(tmp_path):
    app, engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert controller.player.state == "paused"
        assert "paused" in str(app.screen.query_one("#np-state").render())
        await pilot.press("space")
        await settle(pilot)
        assert controller.player.state == "playing"
        assert [t for t in event_types(app) if t in ("paused", "resumed")] == ["paused", "resumed"]
        assert engine.kinds()[-2:] == ["pause", "resume"] or "pause" in engine.kinds()


@pytest.mark.parametrize(("key", "reason", "title"), [
    ("n", "next", "Shore"),
    ("b", "previous", "Soft swell"),
])
@run_async
async def test_next_and_previous_skip_tracks(tmp_path, key, reason, title):
    app, engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        plays = engine.kinds().count("play")
        await pilot.press(key)
        await settle(pilot)
        assert engine.kinds().count("play") == plays + 1
        skipped = controller.record.last("track_skipped")
        assert skipped is not None and skipped.get("reason") == reason
        assert controller.view().title == title


@run_async
async def test_plus_and_minus_change_volume_within_the_ceiling(tmp_path):
    app, engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("plus")
        await settle(pilot)
        assert controller.player.volume == 55
        assert [f for kind, f in engine.commands if kind == "set_volume"][-1]["percent"] == 55
        assert "volume 55%" in str(app.screen.query_one("#np-volume").render())
        for _ in range(10):
            await pilot.press("plus")
        await settle(pilot)
        assert controller.player.volume == 80  # the playlist's ceiling
        await pilot.press("minus")
        await settle(pilot)
        assert controller.volume == 75
        volumes = [e.get("volume") for e in controller.record.events if e.type == "volume_changed"]
        assert volumes[-1] == 75 and max(volumes) == 80


@run_async
async def test_h_switches_holding_on_and_off(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert controller.player.state == "holding"
        assert "holding" in str(app.screen.query_one("#np-state").render()) or \
            controller.silent_reason is not None
        await pilot.press("h")
        await settle(pilot)
        assert [t for t in event_types(app) if t.startswith("holding")] == [
            "holding_started", "holding_stopped"]


@run_async
async def test_d_marks_the_dose_and_starts_the_dose_clock(tmp_path):
    app, _engine, clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        clock.advance(600)
        await pilot.press("d")
        await settle(pilot)
        clock.advance(65)
        await settle(pilot)
        view = controller.view()
        assert view.since_dose == pytest.approx(65)
        assert view.phase.name == "Onset"  # the until-dose phase gave way
        assert "dose_marked" in event_types(app)
        assert controller.record.dose_elapsed == pytest.approx(600)


@run_async
async def test_p_jumps_to_the_chosen_phase(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PhaseDialog))
        await pilot.press("down", "down", "enter")  # highlighted starts on the current phase
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)  # two phases ahead: asked first
        await pilot.press("tab", "enter")  # "Jump to Peak"
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert controller.view().phase.name == "Peak"
        last = [e for e in controller.record.events if e.type == "phase_changed"][-1]
        assert last.get("index") == 2


@run_async
async def test_a_adds_a_tagged_note_with_vitals(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteDialog))
        await pilot.press("tab", "right", "right", "enter")  # choose "Vitals"
        await pilot.click("#note-text")
        await pilot.press(*"BP 132/84 HR 78")
        await pilot.press("enter")
        await settle(pilot)
        note = controller.record.last("note")
        assert note is not None
        assert note.get("tag") == "vitals"
        assert note.get("vitals")["hr"] == 78
        assert "BP 132/84 HR 78" in str(app.screen.query_one("#notes").render())


@run_async
async def test_s_records_a_distress_rating(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, DistressDialog))
        await pilot.press("7", "enter")
        await settle(pilot)
        rating = controller.record.last("distress_rating")
        assert rating is not None and rating.get("rating") == 7


@run_async
async def test_l_shows_the_log_so_far(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LogDialog))
        text = str(app.screen.query_one("#log-lines").render())
        assert "Session started" in text and "Dose marked" in text
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)


@run_async
async def test_question_mark_shows_every_key(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpDialog))
        text = app.screen.text()
        for words in ("pause or resume", "holding", "mark the dose", "breathing", "grounding",
                      "distress", "end the session", "ctrl+c"):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)


@run_async
async def test_q_asks_and_escape_keeps_the_session(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, EndDialog))
        await pilot.press("q")  # a stray second q types into the note; it never ends
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert "session_ended" not in event_types(app)


@run_async
async def test_ctrl_c_asks_before_ending(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: isinstance(app.screen, EndDialog))
        await pilot.press("ctrl+c")  # asking twice does not stack dialogs
        assert sum(isinstance(s, EndDialog) for s in app.screen_stack) == 1
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)


@run_async
async def test_ending_fades_out_writes_the_note_and_offers_the_report(tmp_path):
    app, engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, EndDialog))
        await pilot.press(*"went well", "enter")   # Enter in the note moves to "End session"
        assert isinstance(app.screen, EndDialog)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportDialog))
        ended = controller.record.last("session_ended")
        assert ended is not None and ended.get("note") == "went well"
        assert "stop" in engine.kinds()
        # The soft landing: the plan's long last fade (20 s by default), never a cut.
        assert ("stop", {"slot": "music", "fade_s": controller.playlist.plan.landing.fade}) \
            in engine.commands
        assert controller.record.last("landing_started").get("reason") == "ended"
        await pilot.press("enter")  # save the report where offered
        await settle(pilot)
        report = controller.record.path.with_suffix(".md")
        assert report.exists() and (report.stat().st_mode & 0o777) == 0o600
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0


@run_async
async def test_keys_can_be_remapped_from_config(tmp_path):
    from companion.config import Config

    app, _engine, _clock = session_app(tmp_path, config=Config(keys={"dose": "m", "pause": "k"}))
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("d")   # no longer the dose key
        await pilot.press("m")
        await pilot.press("k")
        await settle(pilot)
        assert event_types(app).count("dose_marked") == 1
        assert controller.player.state == "paused"
        bar = app.screen.query_one("KeyBar")
        assert ("m", "dose") in bar.entries() and ("k", "pause/resume") in bar.entries()


@run_async
async def test_r_opens_breathing_over_the_session_and_music_goes_on(tmp_path):
    from companion.ui.screens.breathing import PatternPickerScreen

    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, PatternPickerScreen))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("4", "enter")  # the distress rating before is offered first
        await wait_for(pilot, lambda: "breathing_started" in event_types(app), timeout=3)
        assert controller.player.state == "playing"
        await pilot.press("escape")  # stop gently: the rating after is offered
        await pilot.pause()
        await pilot.press("escape")  # skipped
        await settle(pilot)
        assert "breathing_stopped" in event_types(app)
        rating = controller.record.last("distress_rating")
        assert rating.get("value") == 4 and rating.get("when") == "before"
        # Breathing writes `value` (grounding `rating`): the screen's notes show both.
        assert any(n.text == "4 / 10" for n in controller.view().notes)


@run_async
async def test_g_opens_grounding_over_the_session(tmp_path):
    from companion.ui.screens.grounding import GroundingScreen

    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, GroundingScreen))
        assert controller.player.state == "playing"
        await pilot.press("g")  # a second press does not stack another
        assert sum(isinstance(s, GroundingScreen) for s in app.screen_stack) == 1


@run_async
async def test_a_second_d_asks_before_moving_the_dose(tmp_path):
    from companion.ui.screens.dialogs import ConfirmDialog

    app, _engine, clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        await pilot.press("d")
        await settle(pilot)
        clock.advance(60)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")        # "Keep the first" has the focus
        await settle(pilot)
        assert event_types(app).count("dose_marked") == 1
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("tab", "enter")  # "Mark again"
        await settle(pilot)
        assert event_types(app).count("dose_marked") == 2
        assert controller.view().since_dose == pytest.approx(0)


@run_async
async def test_a_track_that_cannot_play_is_said_and_recorded(tmp_path):
    app, engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        current = controller.player._current
        engine._events.append(Failed(current, "music", None, "no such file"))
        controller.poll()
        await settle(pilot)
        assert controller.record.last("track_failed").get("reason") == "no such file"
        assert any("no such file" in str(n.message) for n in app._notifications)


@run_async
async def test_an_engine_that_dies_leaves_a_silent_session_that_says_so(tmp_path):
    app, engine, _clock = session_app(tmp_path, backend="miniaudio")
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        assert "silent" not in str(app.screen.query_one("#np-state").render())
        engine.closed_with = 0.0           # the engine process is gone
        controller.poll()
        await settle(pilot)
        assert "silent: no sound device" in str(app.screen.query_one("#np-state").render())
        assert "engine stopped" in controller.record.last("audio_output").get("reason")
        assert any("engine stopped" in str(n.message) for n in app._notifications)


@run_async
async def test_a_failing_disk_is_said_on_screen_and_nothing_is_lost(tmp_path, monkeypatch):
    import errno
    import os

    import companion.record.log as record_log

    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        real_fsync = os.fsync

        def full_disk(fd):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(record_log.os, "fsync", full_disk)
        await pilot.press("d")
        await settle(pilot)
        assert "record NOT saved" in str(app.screen.query_one("#session-status").render())
        assert any("could not be written" in str(n.message) for n in app._notifications)
        monkeypatch.setattr(record_log.os, "fsync", real_fsync)
        controller.rate_distress(2)
        await settle(pilot)
        assert str(app.screen.query_one("#session-status").render()) == ""
        on_disk = controller.record.path.read_text()
        assert '"dose_marked"' in on_disk and '"distress_rating"' in on_disk
