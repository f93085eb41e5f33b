"""A resumed session continues the interrupted track from where the record last had it,
after a short fade-in, with the phase's clock intact (no terminal, a fake engine)."""

from __future__ import annotations

import pytest

from companion.session.player import POSITION_EVERY_S, RESUME_FADE_S
from companion.session import AudioSetup, begin_session, resume_session
from tests.ui.fakes import FakeEngine, clocks, write_playlist


def _crash_after(tmp_path, seconds_after_dose: float, *, pause: bool = False):
    """A session: dose at 1:00 (Onset starts), then `seconds_after_dose` of music, then the
    process dies. Returns (record path, clock, wall)."""
    clock, wall = clocks()
    engine = FakeEngine()
    first = begin_session(write_playlist(tmp_path), tmp_path / "sessions",
                          audio=AudioSetup(engine, engine.info, None), clock=clock, wall=wall)
    clock.advance(60)
    first.mark_dose()
    for _ in range(int(seconds_after_dose)):
        clock.advance(1)
        first.poll()
    if pause:
        first.toggle_pause()
    first.flush()
    first.record.close()  # the process dies: no end
    return first.record.path, clock, wall


def _resume(tmp_path, path, clock, wall):
    engine = FakeEngine()
    second = resume_session(path, tmp_path / "sessions", audio=AudioSetup(engine, engine.info, None),
                            fallback_playlist=tmp_path / "test-session.yaml", clock=clock, wall=wall)
    return second, engine


def test_the_record_learns_where_the_music_is_every_few_seconds(tmp_path):
    path, _clock, _wall = _crash_after(tmp_path, 125)
    import json

    events = [json.loads(line) for line in path.read_text().splitlines()]
    positions = [e for e in events if e["type"] == "track_position"]
    assert positions, "no track_position in the record"
    last = positions[-1]
    assert last["title"] == "Warm pad" and last["phase"] == 1 and last["index"] == 0
    assert 125 - POSITION_EVERY_S <= last["position"] <= 125


def test_resume_continues_the_track_from_its_position_with_a_short_fade_in(tmp_path):
    path, clock, wall = _crash_after(tmp_path, 123)  # Warm pad at 2:03
    clock.advance(30)  # the restart takes a while: the position is the record's, not the clock's
    second, engine = _resume(tmp_path, path, clock, wall)
    play = [f for kind, f in engine.commands if kind == "play" and f.get("slot") == "music"][0]
    assert play["builtin"] == "warm-pad"
    assert 123 - POSITION_EVERY_S <= play["start_at_s"] <= 123
    assert play["fade_in"] == RESUME_FADE_S
    assert play["seconds"] == pytest.approx(20 * 60 - play["start_at_s"])  # the rest of it
    second.poll()
    playing = second.player.now_playing
    assert playing.title == "Warm pad" and playing.duration == pytest.approx(20 * 60)
    assert playing.position == pytest.approx(play["start_at_s"], abs=0.5)
    # The phase keeps its clock: Onset (20 min) began at 1:00, so it gives way at 21:00.
    assert second.player.upcoming.phase_left == pytest.approx(20 * 60 - 123 - 30, abs=1)
    second.flush()
    changed = second.record.last("phase_changed")
    assert changed.get("resumed") and changed.get("reason") == "resume"


def test_a_pause_before_the_crash_resumes_from_the_paused_position(tmp_path):
    path, clock, wall = _crash_after(tmp_path, 47, pause=True)
    second, engine = _resume(tmp_path, path, clock, wall)
    play = [f for kind, f in engine.commands if kind == "play" and f.get("slot") == "music"][0]
    assert play["start_at_s"] == pytest.approx(47, abs=0.5)


def test_a_track_no_longer_in_the_playlist_starts_the_phase_from_the_top(tmp_path):
    path, clock, wall = _crash_after(tmp_path, 123)
    playlist = tmp_path / "test-session.yaml"
    playlist.write_text(playlist.read_text().replace("title: Warm pad", "title: Other pad"))
    _second, engine = _resume(tmp_path, path, clock, wall)
    play = [f for kind, f in engine.commands if kind == "play" and f.get("slot") == "music"][0]
    assert play["start_at_s"] == 0.0  # from the top
