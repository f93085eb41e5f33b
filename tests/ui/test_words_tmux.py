"""The words a sitter reads, whole, in a real terminal (tmux, 80x24; the start screen at 60x18),
then the record the app wrote: the note dialog, a scale's words, the report path, and the one
plain message when no sound device opens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from companion import paths
from tests.faults.terminal import app_env, record_events
from tests.terminal import COMPANION, HAVE_TMUX, Terminal

pytestmark = [pytest.mark.tmux, pytest.mark.slow,
              pytest.mark.skipif(not HAVE_TMUX, reason="tmux is not installed")]

KAP = paths.bundled_playlists_dir() / "kap-sublingual-2h.yaml"
SILENT = f"{COMPANION} run --audio none {KAP}"
NO_DEVICE = "No sound device: the session runs silent, with words on screen"


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


def inside_frame(screen: str) -> str:
    """The text inside a dialog's frame, its lines joined with one space."""
    parts = [m.group(1).strip() for m in re.finditer(r"│(.*)│", screen)]
    return re.sub(r"\s+", " ", " ".join(p.strip("▊▎ ") for p in parts if p.strip("▊▎ ")))


def begin(term: Terminal) -> None:
    term.wait_for("Begin session")
    term.keys("Enter")
    term.wait_for(r"Phase 1 of \d")


def end(term: Terminal) -> str:
    """q, a closing note and Enter, Enter on "End session": the end dialog's screen."""
    term.keys("q")
    term.wait_for("End the session?")
    term.type("a calm close")
    term.wait_for_text("a calm close")
    term.keys("Enter", "Enter", pause=0.3)
    return term.wait_for("The session has ended")


def test_the_note_dialog_shows_its_placeholder_and_tags_whole(tmp_path, data_dir):
    term = Terminal(SILENT, app_env(tmp_path, data_dir))
    try:
        begin(term)
        term.keys("a")
        screen = term.wait_for("Add a note")
        assert "what happened (BP 132/84 HR 78 kept as vitals)" in screen, screen
        for tag in ("Observation", "Intervention", "Vitals", "Client's words"):
            assert tag in screen, screen
        assert "…" not in inside_frame(screen), screen
        term.type("offered water")
        term.wait_for_text("offered water")
        term.keys("Enter")
        term.wait_for("observation: offered water")
        end(term)
        term.keys("Escape")
        assert term.wait_closed()
    finally:
        term.close()
    note = next(e for e in record_events(data_dir) if e["type"] == "note")
    assert note["text"] == "offered water" and note["tag"] == "observation", note


def test_moaa_s_words_are_whole_and_the_check_before_the_dose_is_not_late(tmp_path, data_dir):
    term = Terminal(SILENT, app_env(tmp_path, data_dir))
    try:
        begin(term)
        term.keys("v")
        term.wait_for("Due now")
        term.keys(pause=0.5)
        for value in ("128", "82", "74", "98"):
            term.type(value)
            term.wait_for(rf"\b{value}\b")
            term.keys("Enter", pause=0.3)
        term.wait_gone("Vitals before the dose due")
        term.keys("v")                       # the next check, taken early: MOAA/S among its fields
        screen = term.wait_for("MOAA/S")
        words = "5 responds readily to name in a normal tone ... 0 no response to a painful stimulus"
        assert words in inside_frame(screen), screen
        term.keys("Escape")
        term.wait_gone("MOAA/S")
        end(term)
        (record,) = sorted((data_dir / "sessions").glob("*.jsonl"))
        report = record.with_suffix(".md")
        term.keys("Enter")                   # Save report, to the path shown
        term.wait_for("Saved.")
        term.keys("Escape")
        assert term.wait_closed()
    finally:
        term.close()
    done = next(e for e in record_events(data_dir) if e["type"] == "vitals_done")
    assert done["title"] == "Vitals before the dose" and "late" not in done, done
    text = report.read_text(encoding="utf-8")
    assert "Vitals before the dose: BP 128/82, HR 74, SpO2 98%" in text
    assert "late)" not in text and "0:00:0" not in text.split("## Timeline")[0]


def test_the_report_path_is_whole_in_the_end_dialog(tmp_path, data_dir):
    term = Terminal(SILENT, app_env(tmp_path, data_dir))
    try:
        begin(term)
        screen = end(term)
        (record,) = sorted((data_dir / "sessions").glob("*.jsonl"))
        expected = str(record.with_suffix(".md"))
        assert len(expected) > 60                 # longer than the field was: it must wrap
        shown = inside_frame(screen).replace(" ", "")
        assert expected in shown, screen
        term.keys("Enter")
        term.wait_for("Saved.")
        term.keys("Escape")
        assert term.wait_closed()
    finally:
        term.close()
    assert Path(expected).read_text(encoding="utf-8").startswith("# Session record")
    assert record_events(data_dir)[-1]["type"] == "session_ended"


def test_the_start_screen_is_whole_at_60x18(tmp_path, data_dir):
    term = Terminal(SILENT, app_env(tmp_path, data_dir), width=60, height=18)
    try:
        screen = term.wait_for("Begin session")
        term.wait_for("Audio: silent")
        screen = term.screen()
        flowing = re.sub(r"\s+", " ", screen)
        assert "Enter in any field begins the session." in flowing, screen
        assert "Audio: silent (output set to none), with words on screen" in flowing, screen
        lines = screen.rstrip("\n").splitlines()
        assert len(lines) <= 18 and "begin the session" in lines[-1], screen  # the key bar last
        assert not any("▔▔" in line for line in lines), screen  # compact: no field borders
        term.type("K-60")
        term.keys("Enter")
        term.wait_for(r"Phase 1 of \d")
        end(term)
        term.keys("Escape")
        assert term.wait_closed()
    finally:
        term.close()
    assert record_events(data_dir)[0]["client_code"] == "K-60"


def test_no_sound_device_is_said_once_plainly_with_the_reason_in_the_record(tmp_path, data_dir):
    """A HOME with no ALSA device and `--audio auto`: the start screen says it once, in plain
    words; the session screen says the sound is silent; the record keeps the technical reason.
    (tests/faults/test_session_faults.py runs `--audio miniaudio` too.)"""
    term = Terminal(f"{COMPANION} run --audio auto {KAP}", app_env(tmp_path, data_dir))
    term.timeout = 40.0  # two audio engines start (the device, then the silent one)
    try:
        screen = term.wait_for(re.escape(NO_DEVICE[:30]))
        flowing = re.sub(r"\s+", " ", screen)
        assert NO_DEVICE in flowing, screen
        assert flowing.count("silent") == 1 and "could be opened" not in flowing, screen
        assert "ALSA" not in screen and "visual prompts" not in screen, screen
        term.keys("Enter")
        screen = term.wait_for(r"Phase 1 of \d")
        assert "silent: no sound device" in screen and "ALSA" not in screen, screen
        end(term)
        term.keys("Escape")
        assert term.wait_closed()
    finally:
        term.close()
    audio = next(e for e in record_events(data_dir) if e["type"] == "audio_output")
    assert audio["backend"] == "none", audio
    assert audio["reason"].startswith("no audio device could be opened ("), audio
    assert "silent" not in audio["reason"], audio
