"""The plan in the room through the session controller: reminders, resume, harbour, landing, cues."""

from __future__ import annotations

import pytest

from companion.audio.loudness import BUILTIN_TYPICAL
from companion.audio.protocol import Cue, SourceSpec

from companion.session import AudioSetup, begin_session, resume_session
from tests.ui.fakes import PLAN_YAML, FakeEngine, clocks, write_playlist

CUED_PLAN = PLAN_YAML.replace(
    '    check_in: "Softly:', '    cue: {builtin: soft-bell, gain_db: -12}\n    check_in: "Softly:')


def start(tmp_path, plan: str = PLAN_YAML, audio=None, **options):
    clock, wall = clocks()
    engine = FakeEngine()
    audio = audio or AudioSetup(engine, engine.info, "audio output set to none")
    controller = begin_session(write_playlist(tmp_path, plan), tmp_path / "sessions", audio=audio,
                               clock=clock, wall=wall, **options)
    return controller, engine, clock


def run(controller, clock, seconds: float, step: float = 1.0) -> None:
    for _ in range(int(seconds / step)):
        clock.advance(step)
        controller.poll()
    controller.flush()


def events(controller, kind: str):
    controller.flush()
    return [e for e in controller.record.events if e.type == kind]


def test_the_plan_is_written_when_the_session_begins(tmp_path):
    controller, _engine, _clock = start(tmp_path)
    (loaded,) = events(controller, "plan_loaded")
    assert [item["id"] for item in loaded.get("schedule")] == [
        "start+0:vitals", "dose+0.25:vitals", "dose+0.4:check_in", "leaving:vitals"]
    assert loaded.get("min_observation_minutes") == 0.5


def test_each_reminder_falls_due_at_its_exact_second_from_the_dose(tmp_path):
    controller, _engine, clock = start(tmp_path)
    run(controller, clock, 60)
    controller.mark_dose()   # at 60 s
    run(controller, clock, 40, step=0.25)
    due = {e.get("item"): e.get("due") for e in events(controller, "reminder_due")}
    assert due == {"start+0:vitals": 0.0, "dose+0.25:vitals": 75.0,
                   "dose+0.4:check_in": 84.0, "leaving:vitals": 90.0}
    view = controller.view()
    assert view.observation_left == 0
    assert [s.item.id for s in view.due][:1] == ["start+0:vitals"]


def test_a_resumed_session_keeps_done_items_done_and_shows_missed_ones_overdue(tmp_path):
    controller, _engine, clock = start(tmp_path)
    controller.tracker.done("start+0:vitals", {"systolic": 120, "diastolic": 80, "hr": 70})
    controller.mark_dose()
    controller.flush()
    path = controller.record.path
    controller.close()                       # the app is gone (a crash)
    clock.advance(20)                        # the +15 s vitals fell due meanwhile
    engine = FakeEngine()
    resumed = resume_session(path, tmp_path / "sessions",
                             audio=AudioSetup(engine, engine.info, "audio output set to none"),
                             fallback_playlist=controller.playlist.path, clock=clock)
    states = {s.item.id: s.state for s in resumed.tracker.statuses()}
    assert states["start+0:vitals"] == "done"
    assert states["dose+0.25:vitals"] == "overdue"
    resumed.poll()
    missed = [e for e in events(resumed, "reminder_due") if e.get("item") == "dose+0.25:vitals"]
    assert missed[-1].get("missed") is True
    assert len(events(resumed, "plan_loaded")) == 1   # the same plan is not written again
    field = next(f for f in resumed.tracker.form("dose+0.25:vitals") if f.name == "systolic")
    assert field.last == 120


def test_a_reminder_with_a_cue_rings_it_once_when_due_and_others_are_silent(tmp_path):
    controller, engine, clock = start(tmp_path, CUED_PLAN)
    controller.mark_dose()
    run(controller, clock, 30, step=0.5)
    cues = [c for c in engine.sent if isinstance(c, Cue)]
    levelled = -12.0 + (-18.0 - BUILTIN_TYPICAL["soft-bell"][0])   # its gain, at the target
    assert [(c.source, c.gain_db, c.at, c.duck_db) for c in cues] == [
        (SourceSpec(builtin="soft-bell"), pytest.approx(levelled), None, -4.0)]


def test_a_hold_cue_rings_only_when_the_playlist_names_one(tmp_path):
    controller, engine, clock = start(tmp_path)
    controller.cue("hold", clock() + 0.5)
    controller.cue("inhale", clock() + 0.5)
    assert [f.get("at") for kind, f in engine.commands if kind == "cue"] == [clock() + 0.5]


def test_notes_vitals_are_marked_against_the_plans_ranges_without_a_config(tmp_path):
    controller, _engine, _clock = start(tmp_path)
    controller.add_note("vitals", "BP 150/85 SpO2 91")
    (note,) = events(controller, "note")
    assert note.get("vitals")["marks"] == {"systolic": "high", "spo2": "low"}


def test_the_harbour_fades_to_its_track_and_back_and_the_record_says_how_long(tmp_path):
    controller, engine, clock = start(tmp_path)
    clock.advance(10)
    assert controller.start_harbour()
    assert not controller.start_harbour()   # already there
    assert controller.view().state == "harbour"
    clock.advance(25)
    assert controller.stop_harbour("key")
    sent = [(k, f.get("slot")) for k, f in engine.commands if k in ("suspend", "unsuspend", "play", "stop")]
    assert sent[-4:] == [("suspend", "music"), ("play", "harbour"), ("stop", "harbour"),
                         ("unsuspend", "music")]
    started, = events(controller, "harbour_started")
    stopped, = events(controller, "harbour_stopped")
    assert started.get("title") == "Harbour" and started.get("fade") == 2
    assert stopped.get("length") == pytest.approx(25)
    assert controller.view().state == "playing"


def test_the_harbour_without_sound_still_records_its_time(tmp_path):
    controller, _engine, clock = start(tmp_path, audio=AudioSetup.silent("no engine"))
    controller.start_harbour()
    assert controller.view().state == "harbour"
    clock.advance(5)
    controller.stop_harbour("grounding_done")
    stopped, = events(controller, "harbour_stopped")
    assert stopped.get("reason") == "grounding_done" and stopped.get("length") == 5


def test_the_last_phase_ending_lands_softly_once_and_ending_later_does_not_land_again(tmp_path):
    controller, engine, clock = start(tmp_path)
    controller.mark_dose()
    run(controller, clock, 90 * 60, step=30)
    run(controller, clock, 2)
    (landing,) = events(controller, "landing_started")
    assert landing.get("reason") == "last_phase" and landing.get("fade") == 3
    assert ("stop", {"slot": "music", "fade_s": 3.0}) in engine.commands
    assert controller.view().landed
    controller.end("done")
    assert len(events(controller, "landing_started")) == 1


def test_landing_in_the_harbour_ends_the_harbour_with_it(tmp_path):
    controller, engine, clock = start(tmp_path)
    controller.start_harbour()
    clock.advance(3)
    controller.end("ended in the harbour")
    stopped, = events(controller, "harbour_stopped")
    assert stopped.get("reason") == "ending"
    assert ("stop", {"slot": "harbour", "fade_s": 3.0}) in engine.commands
    assert "unsuspend" not in engine.kinds()   # no fade back before the last fade


def test_ending_early_records_the_reason_and_what_was_left(tmp_path):
    controller, _engine, clock = start(tmp_path)
    controller.mark_dose()
    clock.advance(10)
    assert controller.observation_left() == pytest.approx(20)
    controller.end_early("client's ride arrived")
    controller.end()
    override, = events(controller, "observation_override")
    assert override.get("reason") == "client's ride arrived"
    assert override.get("observation_left") == pytest.approx(20)


# -- the player's side of the harbour and the landing (the patch to companion/session/player/) --

def _player(tmp_path, plan: str = PLAN_YAML):
    from companion.session.player import Player
    from companion.clock import FakeClock
    from companion.playlist.loader import load_playlist

    clock = FakeClock(100.0)
    engine = FakeEngine()
    seen: list[tuple[str, dict]] = []
    player = Player(load_playlist(write_playlist(tmp_path, plan)), engine, clock=clock,
                    on_event=lambda kind, fields: seen.append((kind, dict(fields))))
    player.play()
    player.poll()
    return player, engine, clock, seen


def test_the_dose_marked_in_the_harbour_moves_the_music_on_only_after_it(tmp_path):
    player, engine, clock, seen = _player(tmp_path)
    harbour = player.playlist.plan.harbour
    player.harbour(True, harbour.track, fade=harbour.fade, level=harbour.level)
    plays = engine.kinds().count("play")
    player.dose_marked()
    assert engine.kinds().count("play") == plays   # no new music under the harbour
    assert player.state == "harbour"
    player.harbour(False, fade=harbour.fade)
    assert [f["name"] for k, f in seen if k == "phase_changed"][-1] == "Onset"
    assert engine.commands[-1][1]["builtin"] == "warm-pad"   # the Onset's track, after it


def test_the_landing_fades_everything_then_its_after_sound_fades_in(tmp_path):
    plan = PLAN_YAML.replace("landing:\n  fade: 3\n",
                             "landing:\n  fade: 3\n  after: {builtin: ocean, title: After}\n")
    player, engine, clock, _seen = _player(tmp_path, plan)
    player.land(3.0, player.playlist.plan.landing.after)
    stops = [f for k, f in engine.commands if k == "stop"]
    assert {"slot": "music", "fade_s": 3.0} in stops
    after = engine.commands[-1][1]
    assert after["slot"] == "landing" and after["builtin"] == "ocean" and after["at"] == 103.0
    assert player.state == "fading"
    clock.advance(4)
    assert player.state == "playing" and player.now_playing.title == "After"


def test_a_harbour_or_landing_of_zero_seconds_still_fades(tmp_path):
    player, engine, _clock, _seen = _player(tmp_path)
    player.harbour(True, None, fade=0, level=20)
    assert engine.commands[-1] == ("set_volume", {"percent": 20.0, "ramp_s": 0.05})
    player.land(0)
    assert ("stop", {"slot": "music", "fade_s": 0.05}) in engine.commands
