"""The keys that lost words or changed the session without a question, in a real terminal
(tmux, 80x24, `--audio none`), typed as a hurried sitter types them; then the session's
record file shows that nothing typed was lost and nothing changed without a question.

The sequences of the issue: f inside a note; q, type, Tab, Enter (before the dose); p, Down,
Down, Enter; e; q, Enter on an empty reason, then the reason, Tab, the note, Tab, Enter.
"""

from __future__ import annotations

import shlex
import time

import pytest

from tests.faults.terminal import app_env, record_events
from tests.terminal import COMPANION, HAVE_TMUX, Terminal
from tests.ui.fakes import PLAN_YAML, write_playlist

pytestmark = [pytest.mark.tmux, pytest.mark.slow,
              pytest.mark.skipif(not HAVE_TMUX, reason="tmux is not installed")]

LONG_OBSERVATION = PLAN_YAML.replace("min_observation_minutes: 0.5", "min_observation_minutes: 120")
"""Two hours of observation: every end in the test is an early one."""


def typed(term: Terminal, text: str) -> None:
    """Type `text` and wait until the screen shows it (a key sent sooner could land elsewhere)."""
    term.type(text)
    term.wait_for_text(text[-20:])
    time.sleep(0.2)


def press(term: Terminal, *keys: str) -> None:
    """Keys with a moment between them, as a person types (focus moves are seen first)."""
    for key in keys:
        term.keys(key)
        time.sleep(0.3)


def test_hurried_keys_lose_no_words_and_change_nothing_unasked(tmp_path):
    data_dir = tmp_path / "data"
    playlist = write_playlist(tmp_path, LONG_OBSERVATION)
    term = Terminal(f"{COMPANION} run --audio none {shlex.quote(str(playlist))}",
                    app_env(tmp_path, data_dir))
    try:
        term.wait_for("Begin session")
        term.wait_for("Audio: silent")
        term.keys("Enter")
        term.wait_for(r"Phase 1 of 4")

        # f inside a note is a letter; ctrl+f opens the harbour over the note, f comes back.
        term.keys("a")
        term.wait_for("Add a note")
        typed(term, "hands fidgeting, ")
        term.wait_gone(r"You're safe", timeout=1)
        press(term, "C-f")
        term.wait_for(r"You're safe\. I'm right here\.")
        press(term, "f")
        screen = term.wait_for("Add a note")
        assert "hands fidgeting," in screen
        typed(term, "calmer")
        press(term, "Enter")
        term.wait_for(r"observation: hands fidgeting, calmer")

        # Before the dose: q, a closing note, Tab (to Keep going), Enter. The session goes on.
        press(term, "q")
        term.wait_for(r"End the session\?")
        typed(term, "settled well")
        press(term, "Tab", "Enter")
        term.wait_for(r"Kept from .End the session\?. — closing note: settled")
        term.wait_gone(r"Keep going")

        term.keys("d")
        term.wait_for(r"Phase 2 of 4 · Onset")

        # p, Down, Down, Enter: from Onset two phases ahead is asked; Enter stays.
        press(term, "p")
        term.wait_for("Jump to a phase")
        press(term, "Down", "Down", "Enter")
        term.wait_for(r"Jump ahead to Return\?")
        press(term, "Enter")
        term.wait_gone(r"Jump ahead")
        term.wait_for(r"Phase 2 of 4 · Onset")

        # e asks, showing the observation left; Enter is "Not yet".
        press(term, "e")
        screen = term.wait_for(r"Mark the client ready to leave\?")
        assert "Minimum observation: 2 h still to go" in screen or "1 h 59 min" in screen
        press(term, "Enter")
        term.wait_gone(r"Mark the client ready")

        # q after the dose, Enter on the empty reason: it says so and keeps the focus there.
        press(term, "q")
        term.wait_for(r"Before the minimum observation time")
        press(term, "Enter")
        term.wait_for(r"A reason is needed")
        typed(term, "client asked")
        press(term, "Tab")
        typed(term, "ride home at four")
        press(term, "Tab", "Enter")  # Tab from the note is "Keep going": both are kept
        term.wait_for(r"Kept from", timeout=5)
        term.wait_gone(r"Before the minimum observation time")

        # Ending for real: the reason, Enter (to the note), Enter (to End session), Enter.
        press(term, "q")
        term.wait_for(r"Before the minimum observation time")
        typed(term, "client well, collected")
        press(term, "Enter", "Enter")
        # The last Enter presses End session; on a loaded machine the focus can lag a key
        # behind, so Enter again until it ends (an Enter on Keep going would never end it).
        deadline = time.monotonic() + 20
        while "The session has ended" not in term.screen() and time.monotonic() < deadline:
            press(term, "Enter")
        term.wait_for("The session has ended")
        term.keys("Escape")
        assert term.wait_closed(timeout=30), "the app did not exit after the report dialog"
    finally:
        term.close()

    record = record_events(data_dir)
    kinds = [e["type"] for e in record]
    notes = [e["text"] for e in record if e["type"] == "note"]
    assert "hands fidgeting, calmer" in notes
    assert "Kept from “End the session?” — closing note: settled well" in notes
    assert ("Kept from “End the session?” — reason to end early: client asked; "
            "closing note: ride home at four") in notes
    assert kinds.count("harbour_started") == 1 and kinds.count("harbour_stopped") == 1
    assert "ready_to_leave" not in kinds  # asked, and "Not yet"
    sitter_jumps = [e for e in record if e["type"] == "phase_changed" and e.get("reason") == "sitter"]
    assert sitter_jumps == []  # asked, and stayed
    (override,) = [e for e in record if e["type"] == "observation_override"]
    assert override["reason"] == "client well, collected"
    assert kinds[-1] == "session_ended" and kinds.count("session_ended") == 1


def test_the_early_end_dialog_shows_its_buttons_at_60x18(tmp_path):
    data_dir = tmp_path / "data"
    playlist = write_playlist(tmp_path, LONG_OBSERVATION)
    term = Terminal(f"{COMPANION} run --audio none {shlex.quote(str(playlist))}",
                    app_env(tmp_path, data_dir), width=60, height=18)
    try:
        term.wait_for("Audio: silent")
        term.keys("Enter")
        term.wait_for(r"Phase 1 of 4")
        term.keys("d")
        term.wait_for(r"Phase 2 of 4")
        press(term, "q")
        screen = term.wait_for(r"Keep going +End session")
        assert "End the session?" in screen, screen
        assert "the reason, for the record" in screen
        press(term, "Escape")
        term.wait_gone(r"Keep going")
        press(term, "e")
        screen = term.wait_for(r"Not yet")
        assert "Ready to leave" in screen
        press(term, "Escape")
        term.wait_gone(r"Not yet")
    finally:
        term.close()
    kinds = [e["type"] for e in record_events(data_dir)]
    assert "ready_to_leave" not in kinds and "session_ended" not in kinds
