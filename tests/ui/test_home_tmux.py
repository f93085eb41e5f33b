"""At home and in the room, in a real 80×24 terminal (tmux): `companion ground` with a playlist's
taste wording and its closing words, `companion breathe` with its suggestion and no "Back" to
nowhere, and a KAP session's sitter grounding with the lozenge's own taste wording; then the
journal or the session record each one wrote."""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.faults.terminal import app_env, record_events
from tests.terminal import COMPANION, HAVE_TMUX, ROOT, Terminal

pytestmark = [pytest.mark.tmux, pytest.mark.skipif(not HAVE_TMUX, reason="tmux is not installed")]

KAP = ROOT / "playlists" / "kap-sublingual-2h.yaml"
CLIENT_KEYS = "Enter noticed  ·  ↑ back  ·  ↓ next  ·  Ctrl+R repeat step  ·  Esc leave"
TEA_PLAYLIST = """\
name: At home
phases: [{name: Rest, minutes: 10}]
wording:
  grounding.taste.prompt: "And notice one thing you can taste, even just your tea."
  grounding.taste.hint: "A slow sip of something warm, if you have it."
"""


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    """Start `companion ARGS` in tmux; the shell prints EXITED=status after the app's last words."""
    terminals: list[Terminal] = []

    def start(*args: str) -> Terminal:
        command = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "companion", *args))
        env = {**app_env(tmp_path, tmp_path / "data"), "PYTHONPATH": str(ROOT)}
        terminal = Terminal(f"sh -c {shlex.quote(command + '; echo EXITED=$?')}", env)
        terminals.append(terminal)
        return terminal

    yield start
    for terminal in terminals:
        terminal.close()


def test_ground_words_taste_from_a_playlist_and_says_what_it_kept(run, tmp_path: Path) -> None:
    playlist = tmp_path / "home.yaml"
    playlist.write_text(TEA_PLAYLIST, encoding="utf-8")
    term = run("ground", "--playlist", str(playlist), "--journal")
    term.wait_for("how distressed do you feel right now")
    term.keys("Enter")                               # no rating: Enter on the empty field
    term.wait_for("Step 1 of 5")
    term.wait_for_text(CLIENT_KEYS)
    term.keys("Enter")                               # Enter alone counts one thing noticed
    term.wait_for("● ○ ○ ○ ○")
    for header in ("Step 2 of 5", "Step 3 of 5", "Step 4 of 5", "Step 5 of 5"):
        term.keys("Down")
        term.wait_for(header)
    term.wait_for("A slow sip of something warm")
    screen = " ".join(term.screen(join=True).split())
    assert "And notice one thing you can taste, even just your tea." in screen
    assert "A slow sip of something warm, if you have it." in screen
    assert " ".join(CLIENT_KEYS.split()) in screen
    term.type("peppermint tea")
    term.keys("Enter")
    term.wait_for("Well done")
    term.keys("Enter")                               # no rating after either
    screen = term.wait_for("EXITED=0")
    journal = tmp_path / "data" / "journal" / "journal.jsonl"
    joined = " ".join(term.screen(join=True).split())
    assert "Thank you for taking this time for yourself." in joined
    assert ("Kept in your private journal, readable by you alone: what you wrote and the "
            "steps you did.") in joined
    assert f"It is in {journal}; `companion journal` shows it." in joined
    entry = json.loads(journal.read_text(encoding="utf-8").splitlines()[-1])
    assert entry["kind"] == "grounding" and entry["mode"] == "client"
    assert entry["words"] == {"taste": ["peppermint tea"]}
    assert entry["items"] == {"see": 1, "hear": 0, "feel": 0, "smell": 0, "taste": 1}
    assert entry["skipped"] == ["hear", "feel", "smell"]
    assert (entry["rating_before"], entry["rating_after"]) == (None, None)


def test_ground_left_with_escape_twice_stores_nothing_and_says_so(run, tmp_path: Path) -> None:
    term = run("ground", "--no-rating")
    term.wait_for("one sense at a time")
    term.keys("Enter")
    term.wait_for("Step 1 of 5")
    term.type("the lamp")
    term.keys("Enter", "Escape")
    term.wait_for("Press Esc again to leave")
    term.keys("Escape")
    term.wait_for("EXITED=0")
    joined = " ".join(term.screen(join=True).split())
    assert "Thank you for taking this time for yourself." in joined
    assert "Nothing was stored on this machine: what you noticed stays with you." in joined
    assert "To keep it in a private journal next time: companion ground --journal" in joined
    data = tmp_path / "data"
    assert not data.exists() or [p for p in data.rglob("*") if p.is_file()] == []


def test_breathe_suggests_a_pattern_offers_no_back_and_leaves_with_escape_twice(run) -> None:
    term = run("breathe", "--no-sound", "--audio", "none")
    screen = term.wait_for("Choose a breathing pattern")
    screen = term.wait_for("Esc Close")
    joined = " ".join(term.screen(join=True).split())
    assert "Not sure which? Try Extended exhale, highlighted below." in joined
    assert "Extended exhale in 4 · out 6 · 3 min suggested" in joined
    assert "Back" not in screen
    term.keys("Enter")                               # the suggestion, as someone unsure would
    term.wait_for("Extended exhale")
    term.wait_for("Breathe in|Get comfortable")
    term.keys("Escape")                              # stop gently
    term.wait_for("Let your breath return to its own rhythm.")
    term.keys("Escape")                              # and close
    term.wait_for("EXITED=0")


def test_breathe_escape_on_the_first_screen_leaves_at_once(run) -> None:
    term = run("breathe", "--no-sound", "--audio", "none")
    term.wait_for("Esc Close")
    term.keys("Escape")
    term.wait_for("EXITED=0")


def test_a_kap_session_grounds_with_the_lozenge_taste_wording_and_records_it(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    term = Terminal(f"{COMPANION} run {shlex.quote(str(KAP))} --audio none --client K-17",
                    app_env(tmp_path, data))
    term.timeout = 20.0
    try:
        term.wait_for("Begin session")
        term.keys("Enter")
        term.wait_for(r"Phase 1 of 5")
        term.keys("g")
        term.wait_for("how distressed do you feel right now")
        term.keys("Enter")                           # Enter on the empty rating: skipped
        term.wait_for("Step 1 of 5")
        screen = term.wait_for_text("Ctrl+R repeat step")
        assert "↑ back  ·  ↓ next" in screen and "Ctrl+R repeat step" in screen
        assert "Enter/Space noticed" in screen and "Esc close" in screen
        for header in ("Step 2 of 5", "Step 3 of 5", "Step 4 of 5", "Step 5 of 5"):
            term.keys("Down")
            term.wait_for(header)
        term.wait_for("The lozenge may have left")
        joined = " ".join(term.screen(join=True).split())
        assert "And last, what is one thing you can taste, just as your mouth is now?" in joined
        assert ("The lozenge may have left a bitter taste, or none: either is enough to notice. "
                "No water or mint while the medicine works.") in joined
        assert "sip of water" not in joined
        term.keys("Enter")                           # the client named one: the closing
        term.wait_for("You did that really well")
        term.keys("Enter")                           # no rating after: back to the session
        term.wait_for(r"Phase 1 of 5")
        events = record_events(data)
        kinds = [e["type"] for e in events]
        assert kinds.index("grounding_started") < kinds.index("grounding_completed")
        started = next(e for e in events if e["type"] == "grounding_started")
        assert started["mode"] == "sitter"
        steps = [(e["step"], e["action"]) for e in events if e["type"] == "grounding_step"]
        assert steps == [("see", "start"), ("hear", "next"), ("feel", "next"),
                         ("smell", "next"), ("taste", "next"), ("closing", "done")]
        items = [e for e in events if e["type"] == "grounding_item"]
        assert [(e["step"], e["item"]) for e in items] == [("taste", 1)]
        completed = next(e for e in events if e["type"] == "grounding_completed")
        assert completed["items"]["taste"] == 1
        assert completed["skipped"] == []
        term.keys("q")                               # end the session, so nothing outlives it
        term.wait_for("End the session?")
        term.type("grounded, calm")
        term.keys("Enter", pause=0.5)                # the note, then on to "End session"
        term.keys("Enter")
        term.wait_for("The session has ended")
        term.keys("Escape")
        assert term.wait_closed(timeout=30), "the app did not exit after the session ended"
    finally:
        term.close()
