"""The session controller without a screen: record, player and engine wired together."""

from __future__ import annotations

import threading
import time

import pytest

from companion.errors import AudioDeviceError
from companion.session import (
    AudioSetup,
    begin_session,
    find_session_playlist,
    open_audio,
    resume_session,
)
from companion.clock import format_clock, format_short
from tests.ui.fakes import FakeEngine, clocks, write_playlist


def start(tmp_path, *, audio=None, clock=None, wall=None, **options):
    """A controller on the test playlist with a fake engine (or the given audio setup)."""
    if clock is None:
        clock, wall = clocks()
    engine = FakeEngine()
    audio = audio or AudioSetup(engine, engine.info, "audio output set to none")
    controller = begin_session(write_playlist(tmp_path), tmp_path / "sessions", audio=audio,
                               clock=clock, wall=wall, **options)
    return controller, engine, clock


def types(controller):
    controller.flush()
    return [e.type for e in controller.record.events]


@pytest.mark.parametrize(("seconds", "clock_text", "short_text"), [
    (0, "0:00:00", "0:00"),
    (59.9, "0:00:59", "0:59"),
    (3599, "0:59:59", "59:59"),
    (3600, "1:00:00", "1:00:00"),
    (7322, "2:02:02", "2:02:02"),
    (-5, "0:00:00", "0:00"),
    (None, "-:--:--", "--:--"),
])
def test_time_is_shown_as_hours_minutes_seconds(seconds, clock_text, short_text):
    assert format_clock(seconds) == clock_text
    assert format_short(seconds) == short_text


def test_a_two_hour_session_runs_in_milliseconds_with_phases_on_time(tmp_path):
    controller, _engine, clock = start(tmp_path)
    began = time.monotonic()
    clock.advance(15 * 60)
    controller.mark_dose()
    while clock.now - 1000 < 2 * 3600:   # two hours, polled once a second
        clock.advance(1.0)
        controller.poll()
    controller.flush()
    assert time.monotonic() - began < 5
    changes = [(e.get("name"), round(e.elapsed)) for e in controller.record.events
               if e.type == "phase_changed"]
    assert changes == [("Settling", 0), ("Onset", 900), ("Peak", 900 + 1200),
                       ("Return", 900 + 1200 + 2400)]
    view = controller.view()
    assert [(p.name, p.started, p.ended) for p in view.phases][:3] == [
        ("Settling", 0.0, 900.0), ("Onset", 900.0, 2100.0), ("Peak", 2100.0, 4500.0)]
    assert view.phase.name == "Return"
    assert view.since_dose == pytest.approx(view.elapsed - 900)


def test_record_writes_never_hold_up_the_caller(tmp_path):
    controller, _engine, _clock = start(tmp_path)
    release = threading.Event()
    real_append = controller.record.append

    def slow_append(*args, **kwargs):
        release.wait(5)          # a disk that takes its time over fsync
        return real_append(*args, **kwargs)

    controller.record.append = slow_append
    began = time.monotonic()
    controller.mark_dose()
    controller.rate_distress(4)
    controller.add_note("observation", "eyes closed")
    assert time.monotonic() - began < 0.2
    release.set()
    assert types(controller)[-3:] == ["phase_changed", "distress_rating", "note"] or \
        {"dose_marked", "distress_rating", "note"} <= set(types(controller))


def test_volume_stays_within_zero_and_the_ceiling(tmp_path):
    controller, engine, _clock = start(tmp_path)
    for _ in range(20):
        controller.change_volume(+5)
    assert controller.volume == 80
    for _ in range(30):
        controller.change_volume(-5)
    assert controller.volume == 0
    sent = [fields["percent"] for kind, fields in engine.commands if kind == "set_volume"]
    assert max(sent) == 80 and min(sent) == 0


def test_notes_keep_vitals_and_mark_them_against_the_clinics_ranges(tmp_path):
    from companion.record.vitals import VitalsRanges

    controller, _engine, _clock = start(tmp_path, vitals_ranges=VitalsRanges(heart_rate=(50, 100)))
    controller.add_note("vitals", "BP 128/80 HR 112")
    controller.flush()
    note = controller.record.last("note")
    assert note.get("vitals")["hr"] == 112
    assert controller.view().notes[-1].outside_range == ("hr high",)


def test_exercise_events_and_cues_reach_the_record_and_the_engine(tmp_path):
    controller, engine, clock = start(tmp_path)
    controller.exercise_event("breathing_started", {"pattern": "box"})
    controller.cue("inhale", clock() + 0.4)
    assert "breathing_started" in types(controller)
    cue = [fields for kind, fields in engine.commands if kind == "cue"][-1]
    assert cue["at"] == pytest.approx(clock() + 0.4)


def test_ending_fades_out_and_writes_the_closing_note(tmp_path):
    controller, engine, clock = start(tmp_path)
    clock.advance(60)
    controller.mark_dose()
    clock.advance(3600)
    status = controller.end("went well")
    controller.wait_closed()
    assert status.ok
    ended = controller.record.last("session_ended")
    assert ended.get("note") == "went well"
    assert ended.get("dose_elapsed") == pytest.approx(60)
    # The soft landing: the plan's long last fade (20 s by default), never a cut; the
    # engine goes when the app quits, with what is left of the fade (at most the fade-out).
    assert ("stop", {"slot": "music", "fade_s": 20.0}) in engine.commands
    assert controller.record.last("landing_started").get("reason") == "ended"
    clock.advance(17)
    controller.silent_reason = None  # heard: the engine keeps what is left of the fade
    controller.close()
    assert engine.closed_with == pytest.approx(3.0)
    assert controller.view().ended
    assert "# " in controller.report_markdown()


def test_no_engine_at_all_still_runs_the_session_and_says_why(tmp_path):
    controller, _engine, clock = start(tmp_path, audio=AudioSetup.silent("the engine could not start"))
    controller.mark_dose()
    controller.jump_to_phase(3)
    controller.change_volume(-10)
    clock.advance(10)
    kinds = [kind for kind in types(controller) if kind != "plan_loaded"]
    assert kinds[:4] == ["session_started", "audio_output", "phase_changed", "dose_marked"]
    view = controller.view()
    assert view.state_word == "silent: no sound device"
    assert view.phase.name == "Return"
    assert view.volume == 40
    assert controller.record.last("audio_output").get("reason") == "the engine could not start"


class _Engine(FakeEngine):
    def __init__(self, fail_on=("auto", "miniaudio")):
        super().__init__()
        self.fail_on = fail_on

    def start(self, output="auto", timeout=15.0):
        if output in self.fail_on:
            raise AudioDeviceError("failed to init device (-401)")
        return self.info


def test_no_audio_device_falls_back_to_the_silent_output(monkeypatch):
    import companion.audio.client

    monkeypatch.setattr(companion.audio.client, "AudioEngine", _Engine)
    setup = open_audio("miniaudio")
    assert setup.engine is not None
    assert setup.output.backend == "none"
    assert "-401" in setup.silent_reason
    assert setup.describe() == "No sound device: the session runs silent, with words on screen"


def test_an_engine_that_cannot_start_at_all_means_silent(monkeypatch):
    import companion.audio.client

    monkeypatch.setattr(companion.audio.client, "AudioEngine",
                        lambda: _Engine(fail_on=("auto", "miniaudio", "none")))
    setup = open_audio("auto")
    assert setup.engine is None
    assert "could not start" in setup.silent_reason


def test_resume_continues_the_clock_phase_dose_and_volume(tmp_path):
    clock, wall = clocks()
    first, _engine, _ = start(tmp_path, clock=clock, wall=wall)
    clock.advance(600)
    first.mark_dose()
    first.change_volume(-10)
    clock.advance(300)
    first.flush()
    first.record.close()   # then the process dies: no end; the kernel drops its lock
    path = first.record.path
    clock.advance(90)
    engine = FakeEngine()
    second = resume_session(path, tmp_path / "sessions", audio=AudioSetup(engine, engine.info, None),
                            fallback_playlist=tmp_path / "test-session.yaml", clock=clock, wall=wall)
    view = second.view()
    assert view.elapsed == pytest.approx(990)
    assert view.since_dose == pytest.approx(390)
    assert view.phase.name == "Onset" and second.player.phase_index == 1
    assert second.player.volume == 40
    assert second.playlist_note == ""
    resumed = second.record.last("session_resumed")
    assert resumed.get("last_elapsed") == pytest.approx(600)   # the volume change
    assert resumed.get("gap") == pytest.approx(390)


def test_a_changed_playlist_is_found_by_name_and_said(tmp_path):
    controller, _engine, _clock = start(tmp_path)
    controller.flush()
    started = controller.record.events[0]
    playlist = tmp_path / "test-session.yaml"
    playlist.write_text(playlist.read_text().replace("volume: 50", "volume: 45"))
    path, note = find_session_playlist(started, playlist)
    assert path == playlist
    assert "has changed" in note


def test_with_no_engine_the_phases_still_follow_their_targets(tmp_path):
    controller, _engine, clock = start(tmp_path, audio=AudioSetup.silent("no engine"))
    clock.advance(120)
    controller.mark_dose()               # Settling (until dose) gives way to Onset
    controller.flush()                   # (real polls are a quarter second apart)
    for _ in range(25 * 60):             # Onset's 20 minutes pass
        clock.advance(1)
        controller.poll()
    controller.flush()
    changes = [(e.get("name"), round(e.elapsed)) for e in controller.record.events
               if e.type == "phase_changed"]
    assert changes == [("Settling", 0), ("Onset", 120), ("Peak", 1320)]


def test_a_silent_session_closes_without_waiting_for_a_fade_nobody_hears(tmp_path):
    controller, engine, clock = start(tmp_path)
    controller.end("went well")
    clock.advance(5)
    assert controller.closing_fade() == 0.0
    controller.close()
    assert engine.closed_with == 0.0
