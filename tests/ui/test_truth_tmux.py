"""The screen tells the truth, in a real terminal (tmux, 80x24, `--audio none`), each point
driven with the keys that showed it, and the record read afterwards."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from pathlib import Path

import pytest

from companion.session.player import POSITION_EVERY_S
from tests.faults.terminal import app_env, record_events
from tests.record.conftest import Wall
from tests.record.sample import write_sample
from tests.terminal import COMPANION, HAVE_TMUX, ROOT, Terminal

pytestmark = [pytest.mark.tmux, pytest.mark.slow,
              pytest.mark.skipif(not HAVE_TMUX, reason="tmux is not installed")]

KAP = ROOT / "companion" / "bundled" / "kap-sublingual-2h.yaml"
COMMAND = f"{COMPANION} run --audio none"


def _begin(term: Terminal) -> None:
    term.wait_for("Begin session", timeout=60)
    term.wait_for("Audio: silent", timeout=60)
    term.keys("Enter")
    term.wait_for(r"Phase 1 of \d")


def _end(term: Terminal, note: str = "a calm close") -> None:
    term.keys("q")
    term.wait_for("End the session?")
    term.type(note)
    term.keys("Enter")
    time.sleep(0.3)
    term.keys("Enter")
    term.wait_for("The session has ended", timeout=30)


def _wait_until_heard(data_dir, title: str, timeout: float = 30) -> None:
    """Until the record says `title` started: a key sent before that finds nothing playing."""
    deadline = time.monotonic() + timeout
    while not any(e.get("title") == title for e in record_events(data_dir)
                  if e["type"] == "track_started") and time.monotonic() < deadline:
        time.sleep(0.1)


def test_a_one_track_phase_says_it_loops_and_names_the_next_phase(tmp_path):
    data_dir = tmp_path / "data"
    term = Terminal(f"{COMMAND} {KAP}", app_env(tmp_path, data_dir))
    try:
        _begin(term)
        # Settling has one track, Arriving, until the dose.
        screen = term.wait_for("Up next: Arriving again")
        assert "Up next: Arriving again (loops) · then Softening (Onset) after the dose" in screen
        _wait_until_heard(data_dir, "Arriving")
        term.keys("n")  # nothing else to play: it says so, and does not restart Arriving
        term.wait_for("is the only track")
        term.keys("d")
        term.wait_for(r"Phase 2 of \d")
        # Onset's one track lasts as long as the phase: the next thing heard is Peak's first.
        screen = term.wait_for(r"Up next: Open sky \(Peak, at 0:1[56]:\d\d\)")
        assert "Up next: Softening" not in screen
        _wait_until_heard(data_dir, "Softening")
        term.keys("n")  # n plays what Up next names
        term.wait_for(r"Phase 3 of \d")
        term.wait_for("Open sky")
        time.sleep(0.5)  # the record is written as it goes: read it with the app still open
        events = record_events(data_dir)
    finally:
        term.close()
    started = [e["title"] for e in events if e["type"] == "track_started"]
    assert started == ["Arriving", "Softening", "Open sky"], "Arriving was never restarted"
    assert [e["title"] for e in events if e["type"] == "track_skipped"] == ["Softening"]
    phases = [(e["name"], e.get("reason")) for e in events if e["type"] == "phase_changed"]
    assert phases == [("Settling", "start"), ("Onset", "dose"), ("Peak", "sitter")]


def test_resume_after_a_kill_continues_the_track_at_its_position(tmp_path):
    data_dir = tmp_path / "data"
    env = app_env(tmp_path, data_dir)
    first = Terminal(COMMAND, env)
    try:
        _begin(first)
        deadline = time.monotonic() + POSITION_EVERY_S * 4
        while time.monotonic() < deadline:  # until the record has learnt where the music is
            if any(e["type"] == "track_position" for e in record_events(data_dir)):
                break
            time.sleep(0.5)
        os.kill(first.pid, signal.SIGKILL)
    finally:
        first.close()
    before = record_events(data_dir)
    where = [e for e in before if e["type"] == "track_position"][-1]
    assert where["title"] == "Shoreline" and where["position"] >= POSITION_EVERY_S - 1
    second = Terminal(COMMAND, env)
    try:
        second.wait_for("Resume the interrupted session?", timeout=60)
        second.keys("Enter")
        screen = second.wait_for(r"Phase 1 of \d")
        screen = second.wait_for(r"Shoreline")
        match = re.search(r"(\d+):(\d\d) / ", second.screen())
        assert match, screen
        shown = int(match[1]) * 60 + int(match[2])
        assert shown >= where["position"] - 1, "the track went on from where it was, not 0:00"
        _end(second, "resumed and ended")
        second.keys("Escape")
        assert second.wait_closed(30)
    finally:
        second.close()
    after = record_events(data_dir)
    resumed_at = next(i for i, e in enumerate(after) if e["type"] == "session_resumed")
    again = next(e for e in after[resumed_at:] if e["type"] == "track_started")
    assert again["title"] == "Shoreline"
    assert again["position"] == pytest.approx(where["position"], abs=0.2)
    assert after[-1]["type"] == "session_ended"


def test_close_on_the_end_dialog_shows_finishing_and_exits_in_time(tmp_path):
    data_dir = tmp_path / "data"
    term = Terminal(COMMAND, app_env(tmp_path, data_dir))
    try:
        _begin(term)
        _end(term)
        screen = term.wait_for("The report is saved")
        report = next(iter((data_dir / "sessions").glob("*.md")))
        assert "a calm close" in report.read_text()
        term.keys("Tab", "Tab")  # Save report -> View report -> Close
        time.sleep(0.3)
        term.keys("Enter")
        pressed = time.monotonic()
        seen_finishing, blank_since, longest_blank = False, None, 0.0
        while term.alive() and time.monotonic() - pressed < 10:
            screen, now = term.screen(), time.monotonic()
            seen_finishing |= "Finishing…" in screen
            if screen.strip():
                blank_since = None
            else:  # the instant between leaving the app's screen and its last words is not blank
                blank_since = now if blank_since is None else blank_since
                longest_blank = max(longest_blank, now - blank_since)
            time.sleep(0.02)
        took = time.monotonic() - pressed
        assert term.wait_closed(5)
        last = term.screen(join=True)
    finally:
        term.close()
    assert seen_finishing, "Finishing… was never on screen"
    assert longest_blank < 0.3, f"the terminal was blank for {longest_blank:.1f} s"
    assert took < 3.0, f"Close to exit took {took:.1f} s"
    assert "The session has ended" in last and str(report) in last.replace("\n", "")
    events = record_events(data_dir)
    assert events[-1]["type"] == "session_ended" and events[-1]["note"] == "a calm close"


def _dot_side(screen: str) -> str | None:
    line = next((l for l in screen.splitlines() if re.search(r"L [·●]+ R", l)), None)
    if line is None:
        return None
    track = re.search(r"L ([·●]+) R", line)[1]
    spot = track.index("●")
    return "left" if spot < len(track) // 3 else "right" if spot > 2 * len(track) // 3 else "middle"


def test_bls_check_dot_is_on_the_side_that_sounds_and_the_key_bar_is_the_panels(tmp_path):
    data_dir = tmp_path / "data"
    term = Terminal(COMMAND, app_env(tmp_path, data_dir))
    try:
        _begin(term)
        term.keys("t")
        screen = term.wait_for("Bilateral stimulation")
        bottom = "\n".join(screen.splitlines()[-3:])
        assert "start/stop" in bottom and "faster" in bottom and "left-right check" in bottom
        assert "vol+" not in screen and "phase" not in bottom and "distress" not in screen
        term.keys("l")
        sides = set()
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            screen = term.screen()
            dot = _dot_side(screen)
            if "This is your LEFT ear" in screen:
                assert dot == "left", screen
                sides.add("left")
            elif "This is your RIGHT ear" in screen:
                assert dot == "right", screen
                sides.add("right")
            if sides == {"left", "right"}:
                break
            time.sleep(0.05)
        assert sides == {"left", "right"}
        term.keys("s")  # the panel's s: the client's SUD, not the session's distress rating
        term.wait_for("SUD: how disturbing")
        term.type("3")
        term.keys("Enter")
        term.wait_for("SUD: 3")
        term.keys("Escape")
        screen = term.wait_for("vol\\+")  # the session's keys are back
        term.keys("?")
        term.wait_for("t  bilateral stimulation")
        term.keys("Escape")
        _end(term)
        term.keys("Escape")
        assert term.wait_closed(30)
    finally:
        term.close()
    events = record_events(data_dir)
    rating = next(e for e in events if e["type"] == "distress_rating")
    assert rating["rating"] == 3 and rating.get("exercise") == "bilateral"


def _two_sessions_of_k17(data_dir: Path) -> tuple[Path, Path]:
    directory = data_dir / "sessions"
    wall = Wall()
    first = write_sample(directory, client_code="K-17", wall=wall)
    wall.advance(86400)
    latest = write_sample(directory, client_code="K-17", wall=wall)
    return first, latest


def test_log_show_by_client_code_and_export_o_without_force(tmp_path):
    data_dir = tmp_path / "data"
    first, latest = _two_sessions_of_k17(data_dir)
    env = app_env(tmp_path, data_dir)
    term = Terminal(f"{COMPANION} log show K-17", env)
    try:
        assert term.wait_closed(30)
        screen = term.screen(join=True)
    finally:
        term.close()
    assert "K-17 has 2 sessions; using the latest" in screen
    assert first.stem in screen and latest.stem in screen
    assert "no session id" not in screen
    out = tmp_path / "notes.md"
    out.write_text("the integration notes\n")
    term = Terminal(f"{COMPANION} log export K-17 -o {out}", env)
    try:
        assert term.wait_closed(30)
        screen = term.screen(join=True)
    finally:
        term.close()
    assert "exists; use --force to overwrite it" in screen
    assert out.read_text() == "the integration notes\n"
    term = Terminal(f"{COMPANION} log export K-17 -o {out} --force", env)
    try:
        assert term.wait_closed(30)
    finally:
        term.close()
    header = json.loads(latest.read_text().splitlines()[0])
    assert header["client_code"] == "K-17"
    assert latest.stem in out.read_text() or "K-17" in out.read_text()
