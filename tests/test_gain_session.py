"""The gain structure in a session: the sound check, the volume limits, a track too quiet to hear."""

from __future__ import annotations

from companion.session import AudioSetup, begin_session
from tests.ui.fakes import FakeEngine, clocks

PLAYLIST = """\
name: Gains
playback:
  volume: 85
  ceiling: 95
  holding: {builtin: warm-pad, title: Held, seed: 7}
phases:
  - name: Settling
    minutes: 10
    tracks:
      - {builtin: ocean, title: Typo, seed: 1, gain_db: -40}
"""


def start(tmp_path, audible: bool = True):
    clock, wall = clocks()
    path = tmp_path / "gains.yaml"
    path.write_text(PLAYLIST, encoding="utf-8")
    engine = FakeEngine("miniaudio" if audible else "none")
    audio = AudioSetup(engine, engine.info, None if audible else "audio output set to none")
    controller = begin_session(path, tmp_path / "sessions", audio=audio, clock=clock, wall=wall)
    return controller, engine


def test_the_sound_check_plays_the_holding_sound_at_the_session_volume_and_is_recorded(tmp_path):
    controller, engine = start(tmp_path)
    controller.player.play()
    question = controller.sound_check()
    assert question.startswith("Can you hear this comfortably? Held plays at 85 %")
    [check] = [f for kind, f in engine.commands if kind == "play" and f["slot"] == "sound_check"]
    assert check["builtin"] == "warm-pad" and check["fade_in"] >= 1.0 and check["seconds"] == 8.0
    assert ("suspend", {"slot": "music", "fade_s": 2.0}) in engine.commands
    controller.flush()
    [event] = [e for e in controller.record.events if e.type == "sound_check"]
    assert event.get("sound") == "Held" and event.get("volume") == 85 and event.get("heard")
    assert -26 <= event.get("device_lufs") <= -20


def test_volume_keys_say_when_they_are_at_the_ceiling_or_the_floor(tmp_path):
    controller, _engine = start(tmp_path)
    assert controller.volume_limit(+5) is None
    controller.change_volume(+5)
    controller.change_volume(+5)
    assert controller.volume_limit(+5) == "at the ceiling, 95 %: the playlist sets it"
    for _ in range(19):
        controller.change_volume(-5)
    assert controller.volume == 0
    assert controller.volume_limit(-5) == "at the floor, 0 %: silence"
    assert controller.view().state_word == "playing, too quiet to hear"


def test_a_track_40_db_down_is_marked_too_quiet_to_hear(tmp_path):
    controller, engine = start(tmp_path)
    controller.player.play()
    controller.player.poll()
    controller.flush()
    [started] = [e for e in controller.record.events if e.type == "track_started"]
    assert started.get("below_target_db") >= 38
    assert controller.view().state_word == "playing, too quiet to hear"
