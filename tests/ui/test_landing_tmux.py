"""The soft landing of a last phase with no target time, in a real terminal (tmux, 80x24,
`--audio none`: miniaudio's null device, paced in real time, so a track lasts its length),
as a sitter sees it, and the session's record read afterwards."""

from __future__ import annotations

import shlex

import pytest

from tests.audio.signals import sine, write_wav
from tests.faults.terminal import app_env, end, record_events
from tests.terminal import COMPANION, HAVE_TMUX, Terminal

pytestmark = [pytest.mark.tmux, pytest.mark.slow,
              pytest.mark.skipif(not HAVE_TMUX, reason="tmux is not installed")]

LAST_TRACK_S = 6.0
"""The last track's length: a real WAV file, so the engine knows (and plays) its length."""
LANDING_FADE_S = 3.0
"""The plan's `landing: fade`: the landing starts this long before the last track ends."""
TOLERANCE_S = 1.5
"""How far from its due time the landing may start: the screen's poll, a loaded machine."""

PLAYLIST = f"""\
name: One phase until the dose
playback: {{volume: 50, ceiling: 80, crossfade: 0}}
phases:
  - name: Settling
    until: dose
    tracks:
      - {{builtin: brown-noise, title: Soft swell, minutes: 0.05}}
      - {{file: last.wav, title: Last light}}
landing:
  fade: {LANDING_FADE_S:g}
  after: {{builtin: ocean, title: After}}
"""
"""One phase, the last, lasting until the dose: once the dose is marked it has no target
time and ends when its music does (a 3 s soundscape, then the 6 s file, played once)."""


def test_a_last_phase_without_a_target_lands_as_its_last_track_ends(tmp_path):
    """The dose marked in an until-dose last phase: its tracks play through once, and the
    music fades (`landing_started`) so that the fade ends as the last track does; then the
    landing's `after` sound plays, and ending the session does not land again."""
    data_dir = tmp_path / "data"
    write_wav(tmp_path / "last.wav", sine(220, LAST_TRACK_S, rate=44100, amplitude=0.05),
              rate=44100)
    playlist = tmp_path / "until-dose.yaml"
    playlist.write_text(PLAYLIST, encoding="utf-8")
    term = Terminal(f"{COMPANION} run --audio none {shlex.quote(str(playlist))}",
                    app_env(tmp_path, data_dir))
    try:
        term.wait_for("Begin session", timeout=30)
        term.wait_for("Audio: silent", timeout=30)
        term.keys("Enter")
        term.wait_for(r"Phase 1 of 1")
        term.wait_for(r"Soft swell\s+volume")  # the first track plays
        term.keys("d")  # from here the phase has no target: it ends when its music does
        # The last track, and after it nothing: the phase no longer goes round.
        term.wait_for(r"Last light\s+volume \d+%\n[^\n]*\n Up next: —", timeout=20)
        term.wait_for(r"fading \(silent\)\s+Last light\s+volume", timeout=20)  # the landing
        term.wait_for(r"silent: no sound device\s+After\s+volume", timeout=20)  # then `after`
        term.wait_for(r"After\s+volume \d+%\n[^\n]*\n Up next: —")  # and nothing after it
        end(term, "landed with the last track")
        term.keys("Escape")
        assert term.wait_closed(30), "the app did not exit after the report dialog closed"
    finally:
        term.close()
    events = record_events(data_dir)
    kinds = [e["type"] for e in events]
    assert kinds[0] == "session_started" and kinds[-1] == "session_ended"
    dose = next(e for e in events if e["type"] == "dose_marked")
    last = next(e for e in events if e["type"] == "track_started" and e["title"] == "Last light")
    (landing,) = [e for e in events if e["type"] == "landing_started"]  # once: the end adds none
    assert landing["reason"] == "last_phase", landing
    assert landing["fade"] == LANDING_FADE_S and landing["after"] == "After", landing
    assert dose["elapsed"] < last["elapsed"] < landing["elapsed"], (dose, last, landing)
    assert kinds.index("dose_marked") < kinds.index("landing_started")
    assert last["seconds"] == pytest.approx(LAST_TRACK_S, abs=0.05)
    # The fade starts its own length before the last track ends, so both end together.
    due = last["elapsed"] + last["seconds"] - LANDING_FADE_S
    assert landing["elapsed"] == pytest.approx(due, abs=TOLERANCE_S), (last, landing)
    ended = next(e for e in events if e["type"] == "track_ended" and e["title"] == "Last light")
    assert landing["elapsed"] + LANDING_FADE_S == pytest.approx(ended["elapsed"], abs=TOLERANCE_S)
    # No track of the phase starts again once it has landed (`after` is not a track).
    after_landing = [e["title"] for e in events[kinds.index("landing_started"):]
                     if e["type"] == "track_started"]
    assert after_landing == [], after_landing
