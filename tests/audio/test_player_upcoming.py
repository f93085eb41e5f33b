""""Up next" names what will really play: a phase's loop said as a loop, the next phase's
first track and when it starts; `n` plays what "Up next" names, never restarts a lone track."""

from __future__ import annotations

from companion.session.player import Player
from companion.clock import FakeClock
from companion.playlist.model import Phase
from companion.session.formats import up_next_text
from tests.audio.test_player import FakeEngine, kinds, make_playlist, track

PHASES = (
    Phase("Settling", None, True, (track("a"),)),
    Phase("Onset", 15, False, (track("softening"),)),
    Phase("Peak", 40, False, (track("sky"), track("water"))),
    Phase("Integration", 30, False, (track("room"),)),
)
LENGTHS = {"a.flac": 120.0, "softening.flac": 300.0, "sky.flac": 1200.0, "water.flac": 1200.0,
           "room.flac": 600.0}
NAMES = [phase.name for phase in PHASES]


def rig():
    clock = FakeClock()
    engine = FakeEngine(clock, LENGTHS)
    events: list[tuple[str, dict]] = []
    player = Player(make_playlist(PHASES), engine, clock=clock,
                    on_event=lambda kind, fields: events.append((kind, dict(fields))))
    player.play()
    player.poll()
    return player, engine, clock, events


def test_a_one_track_phase_before_the_dose_says_it_loops_until_the_dose():
    player, _engine, _clock, _events = rig()
    upcoming = player.upcoming
    assert upcoming.repeats and upcoming.same_track and upcoming.then_title == "Softening"
    assert up_next_text(upcoming, NAMES, 30.0) == \
        "A again (loops) · then Softening (Onset) after the dose"


def test_a_one_track_phase_with_a_target_names_the_next_phase_and_when_it_starts():
    player, engine, clock, _events = rig()
    player.dose_marked()  # Onset: Softening (5 min) in a 15-minute phase
    player.poll()
    assert player.now_playing.title == "Softening"
    upcoming = player.upcoming
    assert upcoming.repeats and upcoming.same_track
    assert upcoming.then_title == "Sky" and upcoming.phase_left == 15 * 60
    # Said in session time: the phase began at 0:02:00 of the session here.
    assert up_next_text(upcoming, NAMES, 120.0) == \
        "Softening again (loops) · then Sky (Peak) at 0:17:00"
    # In its last pass the phase's time runs out before the track ends: Sky is next.
    for _ in range(12):
        engine.run(60)
        player.poll()
    upcoming = player.upcoming
    assert not upcoming.repeats and upcoming.starts_phase and upcoming.title == "Sky"
    assert up_next_text(upcoming, NAMES, 120.0 + 12 * 60) == "Sky (Peak, at 0:17:00)"


def test_n_in_a_one_track_loop_does_not_restart_it():
    player, engine, _clock, events = rig()
    player.dose_marked()
    player.poll()
    plays = engine.count("play")
    assert player.next() is False
    assert engine.count("play") == plays, "the lone track was not restarted"
    assert kinds(events, "track_skipped") == []


def test_n_plays_what_up_next_names():
    player, engine, _clock, events = rig()
    player.dose_marked()
    player.poll()
    player.jump_to_phase(2)  # Peak: Sky then Water, 40 minutes
    player.poll()
    assert player.upcoming.title == "Water" and not player.upcoming.repeats
    assert player.next() is True
    player.poll()
    assert player.now_playing.title == "Water"
    # Water ends at 20 of Peak's 40 minutes: the phase loops, and n goes back to Sky.
    upcoming = player.upcoming
    assert upcoming.repeats and not upcoming.same_track and upcoming.title == "Sky"
    assert upcoming.then_title == "Room"
    assert player.next() is True
    player.poll()
    assert player.now_playing.title == "Sky"
    # 25 minutes into Peak, Sky would end after Peak's time is up: Integration's first track
    # is next, and n goes there.
    for _ in range(25):
        engine.run(60)
        player.poll()
    upcoming = player.upcoming
    assert upcoming.starts_phase and upcoming.title == "Room"
    assert player.next() is True
    player.poll()
    assert player.now_playing.title == "Room" and player.phase_index == 3
    assert kinds(events, "phase_changed")[-1]["name"] == "Integration"


def test_the_last_phase_loops_to_the_end():
    player, _engine, _clock, _events = rig()
    player.jump_to_phase(3)
    player.poll()
    upcoming = player.upcoming
    assert upcoming.repeats and upcoming.then_title is None
    assert up_next_text(upcoming, NAMES, 0.0) == "Room again (loops) to the end"
