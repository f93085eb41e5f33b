"""BLS sets as plain Python: presets, pass counting from reported onsets, SUD, record events, the command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from companion.audio.protocol import BlsOnset, BlsStarted, Position
from companion.bilateral import (BUILTIN_PRESETS, BilateralSession, ClockAudio, EngineAudio,
                                 Preset, all_presets, clamp_speed, customised, find_preset,
                                 from_playlist, speed_text)
from companion.clock import FakeClock
from companion.errors import UsageError

ROOT = Path(os.path.abspath(__file__)).parents[1]


def make(presets=BUILTIN_PRESETS, lead_s: float = 0.25):
    clock = FakeClock(100.0)
    audio = ClockAudio(clock)
    events: list[tuple[str, dict]] = []
    session = BilateralSession(audio, clock=clock, presets=presets,
                               on_event=lambda kind, fields: events.append((kind, fields)),
                               lead_s=lead_s)
    return clock, audio, session, events


def run_for(clock: FakeClock, session: BilateralSession, seconds: float, step: float = 0.01):
    for _ in range(int(round(seconds / step))):
        clock.advance(step)
        session.poll()


@pytest.mark.parametrize("speed, text", [
    (1.0, "1.0 cycles/s (2.0 passes/s)"),
    (0.5, "0.5 cycles/s (1.0 passes/s)"),
    (2.0, "2.0 cycles/s (4.0 passes/s)"),
])
def test_speed_is_shown_in_cycles_and_passes_per_second(speed, text):
    assert speed_text(speed) == text


@pytest.mark.parametrize("asked, held", [(0.05, 0.2), (0.2, 0.2), (1.23, 1.23), (9, 2.0)])
def test_speed_is_held_between_a_fifth_and_two_cycles_per_second(asked, held):
    assert clamp_speed(asked) == held


def test_builtin_presets_are_processing_and_resource():
    processing, resource = BUILTIN_PRESETS
    assert (processing.name, processing.sound, processing.speed, processing.passes) == \
        ("processing", "tone", 1.0, 24)
    assert (resource.name, resource.speed, resource.passes) == ("resource", 0.5, 6)
    assert resource.gain_db < processing.gain_db, "resource is the softer one"


def test_own_presets_follow_and_replace_builtins_of_the_same_name():
    mine = Preset("processing", "Mine", speed=1.2)
    extra = Preset("slow", "Slow", speed=0.3)
    presets = all_presets([mine, extra])
    assert [p.name for p in presets] == ["processing", "resource", "slow"]
    assert find_preset("processing", presets).speed == 1.2
    with pytest.raises(UsageError, match="choose from processing, resource, slow"):
        find_preset("fast", presets)


def test_command_line_length_replaces_the_presets_length():
    preset = customised(BUILTIN_PRESETS[0], speed=1.5, seconds=20)
    assert (preset.speed, preset.passes, preset.seconds) == (1.5, None, 20)
    assert customised(preset, passes=8).passes == 8 and customised(preset, passes=8).seconds is None


def test_passes_are_counted_when_heard_not_when_asked():
    clock, audio, session, _events = make()
    state = session.start()
    assert state is not None and state.passes == 0
    run_for(clock, session, 0.2)
    assert state.passes == 0, "the first pass is heard after the lead"
    run_for(clock, session, 0.1)
    assert (state.passes, state.side) == (1, "left")
    run_for(clock, session, 0.5)
    assert (state.passes, state.side) == (2, "right")


def test_a_set_of_24_passes_ends_by_itself_and_goes_to_the_record():
    clock, audio, session, events = make()
    session.rate_sud(7)
    session.start()
    run_for(clock, session, 12.5, step=0.05)
    state = session.sets[-1]
    assert not state.running and state.passes == 24 and not state.stopped_early
    kinds = [k for k, _f in events]
    assert kinds == ["distress_rating", "bilateral_started", "bilateral_stopped"]
    started, stopped = events[1][1], events[2][1]
    assert started["preset"] == "processing" and started["speed"] == 1.0
    assert started["passes_per_s"] == 2.0 and started["sud_before"] == 7
    assert stopped["passes"] == 24 and stopped["stopped_early"] is False
    assert stopped["seconds"] == pytest.approx(11.5, abs=0.06)


def test_space_again_stops_early_and_the_record_says_so():
    clock, audio, session, events = make()
    session.toggle()
    run_for(clock, session, 2.0)
    session.toggle()
    run_for(clock, session, 0.1)
    stopped = [f for k, f in events if k == "bilateral_stopped"][0]
    assert stopped["stopped_early"] is True and stopped["passes"] == 4


def test_sud_between_sets_is_the_sets_after_and_the_next_sets_before():
    clock, audio, session, events = make()
    session.rate_sud(8)
    session.start()
    run_for(clock, session, 12.5, step=0.05)
    session.rate_sud(5, "calmer")
    first = session.sets[0]
    assert (first.sud_before, first.sud_after) == (8, 5)
    rating = events[-1]
    assert rating == ("distress_rating", {"rating": 5, "scale": "0-10", "exercise": "bilateral",
                                          "after_set": 1, "note": "calmer"})
    second = session.start()
    assert second is not None and second.sud_before == 5


def test_speed_change_mid_set_is_passed_on_and_recorded():
    clock, audio, session, events = make()
    session.start()
    run_for(clock, session, 1.0)
    assert session.change_speed(+0.5) == 1.5
    run_for(clock, session, 1.0)
    state = session.sets[-1]
    assert state.speeds == [1.0, 1.5]
    session.stop()
    run_for(clock, session, 0.1)
    assert [f for k, f in events if k == "bilateral_stopped"][0]["speeds"] == [1.0, 1.5]


def test_only_one_set_at_a_time():
    clock, audio, session, events = make()
    assert session.start() is not None
    assert session.start() is None
    assert len(audio.started) == 1


def test_left_right_check_plays_left_then_right_and_is_not_a_set():
    clock, audio, session, events = make()
    session.left_right_check()
    run_for(clock, session, 0.3)
    assert session.check_side == "left"
    run_for(clock, session, 2.0)
    assert session.check is None, "done after the right ear"
    assert audio.started[0]["passes"] == 2 and audio.started[0]["pan"] == "hard"
    assert events == [] and session.sets == []


def test_engine_audio_passes_the_sets_sound_to_the_engine_and_reads_its_news():
    class Engine:
        def __init__(self):
            self.calls = []

        def bls(self, **fields):
            self.calls.append(("bls", fields))
            return "e1"

        def bls_speed(self, set_id, speed):
            self.calls.append(("speed", set_id, speed))

        def bls_stop(self, set_id):
            self.calls.append(("stop", set_id))

        def poll_events(self):
            return [Position({}, 0, False), BlsOnset("e1", 1, "left", 5.0)]

    engine = Engine()
    audio = EngineAudio(engine)
    assert audio.start(Preset("p", sound="click", pan="smooth").sound_fields(), 5.0) == "e1"
    fields = engine.calls[0][1]
    assert (fields["sound"], fields["pan"], fields["at"], fields["depth"]) == ("click", "smooth", 5.0, 0.6)
    audio.set_speed("e1", 1.5)
    audio.stop("e1")
    assert engine.calls[1:] == [("speed", "e1", 1.5), ("stop", "e1")]
    assert audio.poll() == [BlsOnset("e1", 1, "left", 5.0)]


def test_presets_from_a_playlist(tmp_path):
    from companion.playlist.loader import load_playlist

    (tmp_path / "beep.wav").write_bytes(b"")
    path = tmp_path / "p.yaml"
    path.write_text("name: t\nphases: [{name: a, minutes: 1}]\nbilateral:\n"
                    "  - {name: slow-tones, speed: 0.4, seconds: 30, pan: smooth}\n"
                    "  - {name: own, file: beep.wav, passes: 10}\n"
                    "  - {name: sway, sound: music, depth: 80, until_stopped: true}\n"
                    "  - {name: plain}\n")
    presets = from_playlist(load_playlist(path).bilateral)
    slow, own, sway, plain = presets
    assert (slow.speed, slow.passes, slow.seconds, slow.pan) == (0.4, None, 30, "smooth")
    assert own.sound == str(tmp_path / "beep.wav") and own.passes == 10
    assert own.sound_fields()["file"] == str(tmp_path / "beep.wav")
    assert (sway.sound, sway.depth, sway.passes, sway.seconds) == ("music", 80, None, None)
    assert sway.length_text() == "until stopped"
    assert plain.passes == 24 and plain.title == "plain"


@pytest.mark.parametrize("yaml_text, message", [
    ("  - {name: fast, speed: 2.5}\n", "`speed` must be between 0.2 and 2 cycles per second"),
    ("  - {name: both, passes: 3, seconds: 3}\n", "takes `passes`, `seconds` or `until_stopped`"),
    ("  - {name: x, sound: beep}\n", "sound"),
    ("  - {name: a}\n  - {name: a}\n", "BLS preset name `a` is used twice"),
])
def test_companion_check_validates_bls_presets(tmp_path, yaml_text, message):
    from companion.playlist.checker import check_playlist

    path = tmp_path / "p.yaml"
    path.write_text("name: t\nphases: [{name: a, minutes: 1}]\nbilateral:\n" + yaml_text)
    problems = [str(p) for p in check_playlist(path)]
    assert any(message in p for p in problems), problems


def test_help_says_plainly_it_is_for_clinicians_trained_in_emdr():
    result = subprocess.run([sys.executable, "-m", "companion", "bls", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    assert "for clinicians trained in EMDR" in " ".join(result.stdout.split())
    assert "cycles per second" in result.stdout


def test_list_shows_the_presets_with_both_speed_units():
    result = subprocess.run([sys.executable, "-m", "companion", "bls", "--list"], cwd=ROOT,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "processing  tone, hard, 1.0 cycles/s (2.0 passes/s), 24 passes" in result.stdout
    assert "resource" in result.stdout


def test_unknown_preset_is_a_usage_error():
    result = subprocess.run([sys.executable, "-m", "companion", "bls", "nope", "--headless"],
                            cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "no BLS preset 'nope'" in result.stderr


def test_a_stop_or_speed_asked_before_the_engine_has_the_set_is_sent_once_it_has():
    class Audio:
        def __init__(self):
            self.sent: list = []
            self.news: list = []

        def start(self, fields, at):
            self.sent.append("start")
            return "s1"

        def set_speed(self, set_id, speed):
            self.sent.append(("speed", speed))

        def stop(self, set_id):
            self.sent.append("stop")

        def poll(self):
            news, self.news = self.news, []
            return news

    clock = FakeClock(0.0)
    audio = Audio()
    session = BilateralSession(audio, clock=clock)
    session.start()
    session.set_speed(1.4)
    assert audio.sent == ["start"], "held: the engine may not have the set yet"
    audio.news.append(BlsStarted("s1", 0.25))
    session.poll()
    assert audio.sent == ["start", ("speed", 1.4)]
    session.stop()
    assert audio.sent[-1] == "stop"
