"""The player over a playlist's phases: with a fake engine and clock (milliseconds), and once for real."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest

from companion.audio.protocol import Ended, EngineEvent, Failed, Started
from companion.session.player import HOLD_BACK_S, HOLD_IN_S, SKIP_SILENCE_S, Player
from companion.clock import FakeClock
from companion.playlist.model import Phase, Playback, Playlist, Track


class FakeEngine:
    """Records commands; plays tracks on a fake clock and reports what a real engine would."""

    def __init__(self, clock: FakeClock, lengths: dict[str, float] | None = None,
                 bad: set[str] = frozenset()) -> None:
        self.clock = clock
        self.lengths = lengths or {}
        self.bad = bad
        self.calls: list[tuple] = []
        self.events: list[EngineEvent] = []
        self.current: dict | None = None
        self.queued: dict | None = None
        self.paused = False
        self._ids = itertools.count(1)

    def _item(self, kind: str, fields: dict) -> dict | None:
        play_id = f"e{next(self._ids)}"
        self.calls.append((kind, fields))
        name = fields.get("file") or fields.get("builtin")
        item = dict(fields, id=play_id, name=str(name))
        if Path(str(name)).name in self.bad:
            self.events.append(Failed(play_id, "music", str(name), "no such file"))
            return {"id": play_id, "failed": True}
        item["seconds"] = fields.get("seconds") or self.lengths.get(Path(str(name)).name)
        return item

    def play(self, slot: str = "music", **fields) -> str:
        item = self._item("play", dict(fields, slot=slot))
        if slot == "music" and not item.get("failed"):
            if self.current is not None:
                self.events.append(Ended(self.current["id"], "music", "stopped", 1.0))
            self._start(item)
            self.queued = None
        return item["id"]

    def queue(self, slot: str = "music", **fields) -> str:
        item = self._item("queue", dict(fields, slot=slot))
        if not item.get("failed"):
            self.queued = item
        return item["id"]

    def _start(self, item: dict) -> None:
        item["at"] = self.clock()
        item["played"] = 0.0
        self.current = item
        self.events.append(Started(item["id"], "music", None, item["seconds"], item["at"]))

    def run(self, seconds: float, step: float = 1.0) -> None:
        """Let `seconds` of (fake) time pass, playing tracks end to end with their overlaps."""
        for _ in range(int(seconds / step)):
            self.clock.advance(step)
            if self.paused or self.current is None:
                continue
            cur = self.current
            cur["played"] += step
            if cur["seconds"] is None:
                continue
            left = cur["seconds"] - cur["played"]
            nxt = self.queued
            if nxt is not None and left <= nxt.get("overlap", 0.0):
                self.queued = None
                self.events.append(Ended(cur["id"], "music", "end", cur["seconds"]))
                self._start(nxt)
            elif left <= 0:
                self.events.append(Ended(cur["id"], "music", "end", cur["seconds"]))
                self.current = None

    def poll_events(self):
        events, self.events = self.events, []
        return events

    def stop(self, slot="music", fade_s=1.0):
        self.calls.append(("stop", {"slot": slot, "fade_s": fade_s}))
        if slot == "music":
            self.current, self.queued = None, None

    def __getattr__(self, name):  # set_volume, pause, resume, suspend, ... are just recorded
        def record(*args, **kwargs):
            self.calls.append((name, dict(kwargs, args=args)))
            if name == "pause":
                self.paused = True
            elif name == "resume":
                self.paused = False
        return record

    def last(self, kind: str) -> dict:
        return [f for k, f in self.calls if k == kind][-1]

    def count(self, kind: str) -> int:
        return sum(1 for k, _ in self.calls if k == kind)


def track(name: str, **kw) -> Track:
    return Track(title=name.title(), file=Path("/music") / f"{name}.flac", **kw)


def make_playlist(phases: tuple[Phase, ...], **playback) -> Playlist:
    return Playlist(path=Path("/music/p.yaml"), name="Test", phases=phases,
                    playback=Playback(**{"volume": 50, "ceiling": 80, "crossfade": 6, "fade_in": 4,
                                         "fade_out": 6, **playback}))


PHASES = (
    Phase("Settling", None, True, (track("a"), track("b"))),
    Phase("Onset", 20, False, (track("c"),)),
    Phase("Return", 10, False, (track("d"), track("e"))),
)
LENGTHS = {"a.flac": 120.0, "b.flac": 90.0, "c.flac": 300.0, "d.flac": 200.0, "e.flac": 200.0}


@pytest.fixture
def rig():
    clock = FakeClock()
    engine = FakeEngine(clock, LENGTHS)
    events: list[tuple[str, dict]] = []
    player = Player(make_playlist(PHASES), engine, clock=clock,
                    on_event=lambda kind, fields: events.append((kind, dict(fields))))
    return player, engine, clock, events


def kinds(events, kind):
    return [f for k, f in events if k == kind]


def test_play_sets_ceiling_and_volume_then_fades_in_the_first_track(rig):
    player, engine, clock, events = rig
    player.play()
    assert engine.last("set_ceiling")["args"] == (80.0,)
    assert engine.last("set_volume")["args"] == (50.0,)
    first = engine.last("play")
    assert first["file"] == Path("/music/a.flac") and first["fade_in"] == 4
    assert kinds(events, "phase_changed") == [{"index": 0, "name": "Settling", "reason": "start"}]
    player.poll()
    assert kinds(events, "track_started")[0]["title"] == "A"
    assert player.state == "playing"
    assert player.now_playing.title == "A" and player.now_playing.duration == 120.0


def test_next_track_is_queued_early_with_the_playlists_crossfade(rig):
    player, engine, clock, events = rig
    player.play()
    player.poll()
    queued = engine.last("queue")
    assert queued["file"] == Path("/music/b.flac")
    assert queued["overlap"] == 6 and queued["fade_in"] == 6
    assert player.up_next.title == "B"
    engine.run(120)
    player.poll()
    assert [e["title"] for e in kinds(events, "track_started")] == ["A", "B"]
    assert kinds(events, "track_ended") == [{"title": "A", "position": 120.0, "reason": "end"}]


def test_until_dose_phase_repeats_its_tracks_then_gives_way_at_the_dose(rig):
    player, engine, clock, events = rig
    player.play()
    for _ in range(8):
        engine.run(60)
        player.poll()
    titles = [e["title"] for e in kinds(events, "track_started")]
    assert titles[:4] == ["A", "B", "A", "B"]
    assert player.phase_index == 0
    player.dose_marked()
    assert kinds(events, "phase_changed")[-1] == {"index": 1, "name": "Onset", "reason": "dose",
                                                  "planned_minutes": 20}
    assert engine.last("play")["file"] == Path("/music/c.flac")
    assert engine.last("play")["fade_in"] == 6  # a crossfade, not a cut
    player.poll()
    assert kinds(events, "track_ended")[-1]["reason"] == "stopped"  # the phase ended it


def test_a_timed_phase_moves_on_when_its_target_passes(rig):
    player, engine, clock, events = rig
    player.play()
    player.dose_marked()
    for _ in range(19):
        engine.run(60)
        player.poll()
    assert player.phase_index == 1
    engine.run(60)
    player.poll()
    assert player.phase_index == 2
    assert kinds(events, "phase_changed")[-1]["reason"] == "target"
    assert engine.last("play")["file"] == Path("/music/d.flac")


def test_two_hour_session_plays_every_phase_in_order_in_milliseconds(rig):
    player, engine, clock, events = rig
    started = time.perf_counter()
    player.play()
    engine.run(15 * 60)
    player.poll()
    player.dose_marked()
    for _ in range(105):
        engine.run(60)
        player.poll()
    assert time.perf_counter() - started < 1.0
    assert [e["index"] for e in kinds(events, "phase_changed")] == [0, 1, 2]
    assert player.state in ("playing", "silent")
    assert not kinds(events, "track_failed")


def test_a_file_that_cannot_play_is_reported_and_the_next_follows_after_a_short_silence():
    clock = FakeClock()
    engine = FakeEngine(clock, LENGTHS, bad={"a.flac"})
    events: list = []
    player = Player(make_playlist(PHASES), engine, clock=clock,
                    on_event=lambda kind, fields: events.append((kind, dict(fields))))
    player.play()
    player.poll()
    failed = kinds(events, "track_failed")
    assert failed == [{"title": "A", "file": "/music/a.flac", "builtin": None, "reason": "no such file"}]
    assert engine.count("play") == 1
    clock.advance(SKIP_SILENCE_S - 0.1)
    player.poll()
    assert engine.count("play") == 1
    clock.advance(0.2)
    player.poll()
    assert engine.last("play")["file"] == Path("/music/b.flac")
    player.poll()
    assert kinds(events, "track_started")[-1]["title"] == "B"


def test_a_queued_file_that_cannot_open_is_skipped_in_the_queue():
    clock = FakeClock()
    engine = FakeEngine(clock, LENGTHS, bad={"e.flac"})
    events: list = []
    player = Player(make_playlist(PHASES), engine, clock=clock,
                    on_event=lambda kind, fields: events.append((kind, dict(fields))))
    player.jump_to_phase(2)
    player.poll()  # D starts; E is queued and fails at once
    player.poll()
    assert kinds(events, "track_failed")[0]["title"] == "E"
    assert engine.last("queue")["file"] == Path("/music/d.flac")  # the phase goes round again
    assert engine.count("play") == 1  # D was never interrupted


def test_a_phase_where_nothing_plays_stops_retrying():
    clock = FakeClock()
    engine = FakeEngine(clock, LENGTHS, bad={"a.flac", "b.flac"})
    events: list = []
    player = Player(make_playlist(PHASES), engine, clock=clock,
                    on_event=lambda kind, fields: events.append((kind, dict(fields))))
    player.play()
    for _ in range(20):
        clock.advance(1.0)
        player.poll()
    assert len(kinds(events, "track_failed")) <= 3
    player.dose_marked()
    player.poll()
    assert kinds(events, "track_started")[-1]["title"] == "C"


def test_pause_and_resume_fade_and_hold_the_position(rig):
    player, engine, clock, events = rig
    player.play()
    player.poll()
    clock.advance(10)
    player.pause()
    assert player.state == "paused"
    assert engine.last("pause")["args"] == (1.0,)
    held = player.now_playing.position
    assert held == pytest.approx(10)
    clock.advance(30)
    assert player.now_playing.position == pytest.approx(held)
    player.resume()
    clock.advance(5)
    assert player.now_playing.position == pytest.approx(15)
    assert [k for k, _ in events if k in ("paused", "resumed")] == ["paused", "resumed"]


def test_holding_switches_at_once_and_comes_back_to_where_it_was(rig):
    player, engine, clock, events = rig
    player.play()
    player.poll()
    clock.advance(30)
    player.holding(True)
    assert player.state == "holding"
    assert engine.last("suspend")["args"] == ("music", HOLD_IN_S)
    hold = engine.last("play")
    assert hold["slot"] == "holding" and hold["builtin"] == "warm-pad" and hold["fade_in"] == HOLD_IN_S
    clock.advance(120)
    assert player.now_playing.position == pytest.approx(30)
    player.holding(False)
    assert engine.last("stop") == {"slot": "holding", "fade_s": HOLD_BACK_S}
    assert engine.last("unsuspend")["args"] == ("music", HOLD_BACK_S)
    assert player.state == "playing"
    assert [k for k, _ in events if k.startswith("holding")] == ["holding_started", "holding_stopped"]


def test_volume_never_exceeds_the_ceiling(rig):
    player, engine, clock, events = rig
    player.play()
    player.set_volume(95)
    assert engine.last("set_volume")["args"] == (80.0,)
    assert kinds(events, "volume_changed") == [{"volume": 80, "previous": 50}]
    player.set_volume(-5)
    assert engine.last("set_volume")["args"] == (0.0,)


def test_next_and_previous_crossfade_and_report_the_skip(rig):
    player, engine, clock, events = rig
    player.play()
    player.poll()
    clock.advance(12)
    player.next()
    assert engine.last("play")["file"] == Path("/music/b.flac")
    assert engine.last("play")["fade_in"] == 3.0  # a quick crossfade
    assert kinds(events, "track_skipped") == [{"title": "A", "position": 12.0, "reason": "next"}]
    player.poll()
    assert not kinds(events, "track_ended"), "a skipped track is not reported as ended too"
    player.previous()
    assert engine.last("play")["file"] == Path("/music/a.flac")
    player.poll()
    clock.advance(20)
    player.previous()  # past 5 s: back to the start of the same track
    assert engine.last("play")["file"] == Path("/music/a.flac")


def test_a_resumed_session_jumping_to_a_phase_sets_the_levels_before_any_sound(rig):
    player, engine, clock, events = rig
    player.jump_to_phase(1)
    names = [k for k, _ in engine.calls]
    assert names[:3] == ["set_ceiling", "set_volume", "play"]
    assert engine.last("set_volume")["args"] == (50.0,)


def test_jump_to_phase_crossfades_to_its_first_track(rig):
    player, engine, clock, events = rig
    player.play()
    player.poll()
    player.jump_to_phase(2)
    assert engine.last("play")["file"] == Path("/music/d.flac")
    assert kinds(events, "phase_changed")[-1] == {"index": 2, "name": "Return", "reason": "sitter",
                                                  "planned_minutes": 10}


def test_stop_fades_out_then_the_player_is_silent(rig):
    player, engine, clock, events = rig
    player.play()
    player.poll()
    player.stop(6.0)
    assert player.state == "fading"
    clock.advance(6.1)
    assert player.state == "silent"
    assert player.now_playing is None


def test_cue_uses_the_playlists_sound_for_the_role(rig):
    player, engine, clock, events = rig
    player.playlist = make_playlist(PHASES)
    object.__setattr__(player.playlist, "cues", {"inhale": Track("Bell", builtin="bowl", gain_db=-6)})
    player.cue("inhale", at=1234.5)
    assert engine.last("cue") == {"file": None, "builtin": "bowl", "seed": 0, "gain_db": -6,
                                  "at": 1234.5, "duck_db": -4.0, "args": ()}


# ---- for real: the player on the real engine, captured -----------------------------------

from tests.audio.alsa import (  # noqa: E402
    capture_fixture,
    retry_on_dropout,
    envelope,
    max_step,
    sine_step_limit,
    write_tone_wav,
    zero_crossing_hz,
)

capture = capture_fixture()


@pytest.mark.realtime
@retry_on_dropout
def test_a_bad_file_is_skipped_and_the_music_goes_on(capture, tmp_path):
    from companion.audio.client import AudioEngine

    a = write_tone_wav(tmp_path / "a.wav", 0.6, 440, 0.37)
    b = write_tone_wav(tmp_path / "b.wav", 0.6, 660, 0.37)
    playlist = make_playlist(
        (Phase("Only", None, False, (Track("A", file=a, fade_in=0.05, fade_out=0.05),
                                      Track("Broken", file=tmp_path / "missing.flac"),
                                      Track("B", file=b, fade_in=0.05, fade_out=0.05))),),
        volume=100, ceiling=100, crossfade=0)
    engine = AudioEngine(env=capture.env)
    engine.start("miniaudio")
    events: list = []
    player = Player(playlist, engine, on_event=lambda kind, fields: events.append((kind, dict(fields))))
    player.play()
    limit = time.monotonic() + 5
    while time.monotonic() < limit and len(kinds(events, "track_ended")) < 2:
        player.poll()
        time.sleep(0.02)
    engine.close(0.1)
    assert [e["title"] for e in kinds(events, "track_started")] == ["A", "B"]
    assert kinds(events, "track_failed")[0]["title"] == "Broken"
    assert "missing.flac" in kinds(events, "track_failed")[0]["file"]
    x = capture.sound()
    assert len(x) / 44100 == pytest.approx(1.2, abs=0.05)  # A, then B: the broken file cost nothing
    assert zero_crossing_hz(x[4410:22050]) == pytest.approx(440, abs=1)
    assert zero_crossing_hz(x[-22050:-4410]) == pytest.approx(660, abs=1)
    assert envelope(x, 0.05).max() > 0.2 and max_step(x) <= sine_step_limit(0.37, 660)
