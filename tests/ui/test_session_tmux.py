"""The real app in a real terminal (tmux, 80x24, `--audio none`): keys in, screen and record out."""

from __future__ import annotations

import os
import re
import signal
import time
from datetime import datetime, timezone

import pytest

from tests.faults.terminal import app_env, record_events
from tests.terminal import COMPANION, HAVE_TMUX, Terminal

pytestmark = [pytest.mark.tmux, pytest.mark.slow,
              pytest.mark.skipif(not HAVE_TMUX, reason="tmux is not installed")]

COMMAND = f"{COMPANION} run --audio none"


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


def test_keys_typed_in_a_real_terminal_reach_the_record(tmp_path, data_dir):
    term = Terminal(COMMAND, app_env(tmp_path, data_dir))
    try:
        term.wait_for("Begin session")
        term.wait_for("Audio: silent")
        term.keys("Enter")
        term.wait_for(r"Phase 1 of \d")
        term.keys("d")
        term.wait_for(r"Phase 2 of \d")
        term.keys("a")
        term.wait_for("Add a note")
        term.type("client resting, eyes closed")
        term.keys("Enter")
        term.wait_for("observation: client resting, eyes closed")
        term.keys("s")
        term.wait_for("Distress rating")
        term.type("3")
        term.keys("Enter")
        term.wait_for(r"distress: 3 / 10")
        term.keys("+")
        term.wait_for("volume 90%")
        term.keys("Space")
        term.wait_for(r"paused \(silent\)")
        term.keys("Space")
        term.wait_for("silent: no sound device")
        term.keys("q")
        term.wait_for("End the session?")
        term.type("a calm close")
        term.keys("Enter", "Enter")
        term.wait_for("The session has ended")
        term.keys("Escape")
        assert term.wait_closed(), "the app did not exit after the report dialog closed"
    finally:
        term.close()
    record = record_events(data_dir)
    kinds = [e["type"] for e in record]
    assert kinds[0] == "session_started" and kinds[-1] == "session_ended"
    assert record[-1]["note"] == "a calm close"
    for kind in ("audio_output", "phase_changed", "track_started", "dose_marked", "note",
                 "distress_rating", "volume_changed", "paused", "resumed"):
        assert kind in kinds, kind
    note = next(e for e in record if e["type"] == "note")
    assert note["text"] == "client resting, eyes closed" and note["tag"] == "observation"
    assert next(e for e in record if e["type"] == "distress_rating")["rating"] == 3
    assert next(e for e in record if e["type"] == "volume_changed")["volume"] == 90
    assert next(e for e in record if e["type"] == "audio_output")["backend"] == "none"
    elapsed = [e["elapsed"] for e in record]
    assert elapsed == sorted(elapsed)


def _clock_seconds(screen: str) -> int:
    """The session clock from a compact screen, where the clocks are one line of text."""
    lines = screen.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("Session"))
    match = re.search(r"(\d+):(\d\d):(\d\d)", lines[index + 1])
    assert match, screen
    hours, minutes, seconds = (int(g) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def test_session_survives_sigkill_and_resumes_with_its_clock(tmp_path, data_dir):
    env = app_env(tmp_path, data_dir)
    first = Terminal(COMMAND, env)
    try:
        first.wait_for("Begin session")
        first.keys("Enter")
        first.wait_for(r"Phase 1 of \d")
        first.keys("d")
        first.wait_for(r"Phase 2 of \d")
        time.sleep(3)
        os.kill(first.pid, signal.SIGKILL)
    finally:
        first.close()
    before = record_events(data_dir)
    assert before[-1]["type"] != "session_ended"
    started_at = datetime.fromisoformat(before[0]["started_at"])
    dose_at = next(e["elapsed"] for e in before if e["type"] == "dose_marked")
    time.sleep(2)
    # A smaller terminal shows the clocks as plain text, so the screen can be read.
    second = Terminal(COMMAND, env, width=80, height=20)
    try:
        second.wait_for("Resume the interrupted session?")
        second.keys("Enter")
        screen = second.wait_for(r"Phase 2 of \d")
        expected = (datetime.now(timezone.utc) - started_at).total_seconds()
        shown = _clock_seconds(screen)
        assert expected >= 5
        assert abs(shown - expected) <= 2, screen     # the original clock, not from zero
        second.keys("q")
        second.wait_for("End the session?")
        second.type("resumed and ended")
        second.keys("Enter", "Enter")
        second.wait_for("The session has ended")
        second.keys("Escape")
    finally:
        second.close()
    after = record_events(data_dir)
    kinds = [e["type"] for e in after]
    assert kinds.count("session_started") == 1
    resumed = next(e for e in after if e["type"] == "session_resumed")
    assert resumed["elapsed"] >= 5 and resumed["gap"] >= 2
    ended = after[-1]
    assert ended["type"] == "session_ended"
    assert ended["dose_elapsed"] == pytest.approx(dose_at)
