"""The sound check and the volume limits, in a real terminal (tmux, 80x24, `--audio none`).

Typed as a hurried sitter would, then the session's .jsonl record is read back.
"""

from __future__ import annotations

import time

import pytest

from tests.faults.terminal import app_env, record_events
from tests.terminal import COMPANION, HAVE_TMUX, Terminal

pytestmark = [pytest.mark.tmux, pytest.mark.slow,
              pytest.mark.skipif(not HAVE_TMUX, reason="tmux is not installed")]

COMMAND = f"{COMPANION} run --audio none"


def _start(tmp_path) -> tuple[Terminal, object]:
    data_dir = tmp_path / "data"
    term = Terminal(COMMAND, app_env(tmp_path, data_dir))
    term.wait_for("Begin session")
    term.keys("Enter")
    term.wait_for(r"Phase 1 of \d")
    return term, data_dir


def _end(term: Terminal) -> None:
    term.keys("q")
    term.wait_for("End the session?")
    term.type("sound checked")
    term.keys("Enter", "Enter")
    term.wait_for("The session has ended")
    term.keys("Escape")
    assert term.wait_closed()


def test_the_sound_check_key_asks_and_is_recorded(tmp_path):
    term, data_dir = _start(tmp_path)
    try:
        term.keys("k")
        screen = term.wait_for("Can you hear this")
        assert "comfortably?" in screen
        term.keys("k")  # pressed again in a hurry: a second check, recorded too
        _end(term)
    finally:
        term.close()
    checks = [e for e in record_events(data_dir) if e["type"] == "sound_check"]
    assert len(checks) == 2
    assert checks[0]["volume"] == 85 and checks[0]["heard"] is False
    assert "audio" in checks[0]["reason"]


def test_plus_at_the_ceiling_and_minus_at_the_floor_say_so(tmp_path):
    term, data_dir = _start(tmp_path)
    try:
        term.wait_for("volume 85%")
        term.keys("+", "+")
        term.wait_for("volume 95%")
        term.keys("+")
        screen = term.wait_for(r"at the ceiling, 95 %")
        assert "playlist sets it" in screen.replace("\n", " ") or "playlist" in screen
        assert "volume 95%" in term.screen()
        term.keys(*["-"] * 19, pause=0.08)
        term.wait_for("volume 0%")
        term.keys("-")
        term.wait_for(r"at the floor, 0 %")
        time.sleep(0.3)
        _end(term)
    finally:
        term.close()
    volumes = [e["volume"] for e in record_events(data_dir) if e["type"] == "volume_changed"]
    assert volumes[:2] == [90, 95] and volumes[-1] == 0
    assert max(volumes) == 95 and min(volumes) == 0  # the ceiling held; the floor is silence
    steps = [b - a for a, b in zip([85] + volumes, volumes)]
    assert all(abs(step) == 5 for step in steps)
