"""The running session under faults: killed, power cut, full disk, no sound card, tiny, random keys.

The tests drive the real app in tmux (`--audio none` unless they test the device), then
read the record: every line JSON, one start, the clock never going back, nothing lost,
the file private.
"""

from __future__ import annotations

import os
import random
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.faults.hostile import wav_bytes, write
from tests.faults.terminal import (
    COMPANION,
    HAVE_TMUX,
    Terminal,
    app_env,
    assert_record_whole,
    begin,
    children_of,
    end,
    inet_sockets,
)
from tests.faults.test_hostile_playlists import CASES

pytestmark = [pytest.mark.tmux, pytest.mark.skipif(not HAVE_TMUX, reason="tmux is not installed")]

RUN = f"{COMPANION} run --audio none"
SESSION = r"Phase \d of \d"
END_DIALOG = "Keep going"  # its button: a note kept from it names its title too


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def terminals():
    """Terminals opened by a test, closed after it whatever happens."""
    opened: list[Terminal] = []
    yield opened
    for term in opened:
        term.close()


def open_terminal(terminals, command: str, env: dict, **size) -> Terminal:
    term = Terminal(command, env, **size)
    terminals.append(term)
    return term


def add_note(term: Terminal, text: str, shown: str | None = None) -> None:
    """Add an observation through the note dialog and wait until the screen lists `shown`."""
    term.wait_gone("Add a note")
    term.keys("a")
    term.wait_for("Add a note")
    time.sleep(0.1)      # the dialog focuses its field just after it is painted
    term.type(text)
    term.keys("Enter")
    term.wait_gone("Add a note")
    term.wait_for(re.escape(shown or text[:30]))


def wait_exited(pids: list[int], timeout: float) -> list[int]:
    """The processes among `pids` still running after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    left = list(pids)
    while left and time.monotonic() < deadline:
        left = [p for p in left if _running(p)]
        time.sleep(0.1)
    return left


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


# -- killed at random moments ------------------------------------------------------------------

@pytest.mark.slow
def test_session_survives_five_sigkills_at_random_moments_and_resumes_whole(tmp_path, data_dir,
                                                                           terminals):
    rng = random.Random(20260525)
    env = app_env(tmp_path, data_dir)
    seen_notes: list[str] = []
    engines: list[int] = []
    for kill in range(5):
        term = open_terminal(terminals, RUN, env)
        if kill == 0:
            begin(term)
        else:
            term.wait_for("Resume the interrupted session?")
            term.keys("Enter")
            term.wait_for(SESSION)
        for _ in range(rng.randint(1, 3)):
            action = rng.choice(["note", "note", "dose", "volume", "pause"])
            if action == "note":
                text = f"kill {kill} note {len(seen_notes)} {rng.randrange(10**6)}"
                add_note(term, text)
                seen_notes.append(text)
            elif action == "dose":
                term.keys("d")
                term.keys("Escape")   # if it was marked already, keep the first
            elif action == "volume":
                term.keys(rng.choice(["+", "-"]))
            else:
                term.keys("Space")
        # Sometimes kill in the middle of writing: just after a key that writes an event.
        if rng.random() < 0.5:
            term.keys(rng.choice(["+", "-", "Space"]), pause=0)
            time.sleep(rng.uniform(0.0, 0.05))
        else:
            time.sleep(rng.uniform(0.1, 1.5))
        engines += children_of(term.pid)
        os.kill(term.pid, signal.SIGKILL)
        term.close()
        events = assert_record_whole(data_dir)
        assert events[-1]["type"] != "session_ended"
        notes = [e["text"] for e in events if e["type"] == "note"]
        assert notes == seen_notes, "a note shown on screen before the kill is not in the record"
    term = open_terminal(terminals, RUN, env)
    term.wait_for("Resume the interrupted session?")
    term.keys("Enter")
    term.wait_for(SESSION)
    end(term, "closed after five kills")
    events = assert_record_whole(data_dir)
    kinds = [e["type"] for e in events]
    assert kinds.count("session_resumed") == 5
    assert kinds[-1] == "session_ended" and events[-1]["note"] == "closed after five kills"
    assert [e["text"] for e in events if e["type"] == "note"] == seen_notes
    # The audio engine never outlives the app it served (it fades out, then exits).
    assert wait_exited(engines, timeout=10) == [], "an audio engine outlived its killed app"


# -- disk full -----------------------------------------------------------------------------------

def test_full_disk_is_shown_and_events_are_kept_until_it_frees(tmp_path, data_dir, terminals):
    """A file-size limit stands in for a full disk: writes past it fail with EFBIG."""
    term = open_terminal(terminals, f"prlimit --fsize=2500:unlimited {RUN}",
                         app_env(tmp_path, data_dir))
    begin(term)
    written = []
    for number in range(12):
        text = f"note {number} " + "x" * 200
        add_note(term, text, shown=f"observation: note {number}")
        written.append(text)
        if "NOT saved" in term.screen():
            break
    term.wait_for("NOT saved")
    term.wait_for(r"could not be written|File too large")   # and a notice says why
    for text in ("kept while the disk is full", "and this one too"):
        add_note(term, text)
        written.append(text)
    assert "NOT saved" in term.screen()
    subprocess.run(["prlimit", "--pid", str(term.pid), "--fsize=unlimited:unlimited"], check=True)
    add_note(term, "written after the disk freed")
    written.append("written after the disk freed")
    term.wait_gone("NOT saved", timeout=10)
    end(term)
    events = assert_record_whole(data_dir)
    kinds = [e["type"] for e in events]
    assert "write_error" in kinds and "write_recovered" in kinds
    assert [e["text"] for e in events if e["type"] == "note"] == written
    assert kinds[-1] == "session_ended"


# -- no sound card ---------------------------------------------------------------------------------

@pytest.mark.parametrize("output", ["miniaudio", "auto"])
def test_no_audio_device_falls_back_to_silent_and_says_so(tmp_path, data_dir, terminals, output):
    """No sound card and no .asoundrc in HOME: the session runs silent and says why."""
    term = open_terminal(terminals, f"{COMPANION} run --audio {output}", app_env(tmp_path, data_dir))
    screen = term.wait_for("No sound device: the session runs silent", timeout=30)
    assert "ALSA lib" not in screen, screen
    term.keys("Enter")
    screen = term.wait_for(SESSION)
    assert "silent: no sound device" in screen and "ALSA lib" not in screen, screen
    add_note(term, "music silent, pacing by screen")
    end(term)
    events = assert_record_whole(data_dir)
    audio = next(e for e in events if e["type"] == "audio_output")
    assert audio["backend"] == "none" and "no audio device could be opened" in audio["reason"], audio


def test_companion_play_on_a_missing_device_says_so_in_one_line(tmp_path):
    path = write(tmp_path, "tone.wav", wav_bytes())
    result = subprocess.run([sys.executable, "-m", "companion", "play", str(path), "--seconds", "1",
                             "--audio", "miniaudio"], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "HOME": str(tmp_path)})
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode != 0:
        said = [line for line in result.stderr.splitlines() if line.startswith("companion:")]
        assert len(said) == 1 and "audio device" in said[0], result.stderr
        assert "ALSA lib" not in result.stderr, result.stderr


# -- squeezed terminal -------------------------------------------------------------------------------

def test_terminal_resized_to_tiny_sizes_and_back_keeps_the_session_readable(tmp_path, data_dir,
                                                                           terminals):
    term = open_terminal(terminals, RUN, app_env(tmp_path, data_dir))
    begin(term)
    for width, height in [(60, 18), (40, 12), (20, 6), (10, 3), (2, 1), (1, 1), (200, 60),
                          (30, 40), (120, 8), (80, 24)]:
        term.resize(width, height)
        time.sleep(0.4)
        assert term.alive(), f"the app died at {width}x{height}:\n{term.screen()}"
        term.keys("+" if width % 2 else "-")   # and it still takes keys while squeezed
    screen = term.wait_for(SESSION)
    assert "q end" in screen and "Settling" in screen, screen
    add_note(term, "after the squeeze")
    end(term)
    events = assert_record_whole(data_dir)
    assert any(e["type"] == "note" and e["text"] == "after the squeeze" for e in events)


# -- random keys --------------------------------------------------------------------------------------

NAMED_KEYS = ["Enter", "Escape", "Tab", "BTab", "Space", "BSpace", "Up", "Down", "Left", "Right",
              "Home", "End", "PageUp", "PageDown", "IC", "DC", *(f"F{n}" for n in range(1, 13)),
              *(f"C-{c}" for c in "abcdefghijklmnopqrstuvwxyz"), "M-x", "M-q"]
PRINTABLE = [chr(c) for c in range(33, 127)]
CONFIRMING = {"Enter", "Space", "Tab", "BTab", "C-m", "C-j", "C-i"}
OPENS_END = {"q", "C-c", "C-q", "M-q"}  # M-q reaches the app as Escape, then q
RANDOM_KEYS_S = float(os.environ.get("COMPANION_FAULT_KEYS_S", "30"))


def _wait_for_end_dialog(term: Terminal, timeout: float = 1.0) -> None:
    """A moment for the end dialog to show (longer on a loaded machine); none may come (q
    typed into a field)."""
    deadline = time.monotonic() + timeout
    while END_DIALOG not in term.screen() and time.monotonic() < deadline:
        time.sleep(0.05)


def _escape_end_dialog(term: Terminal, rng: random.Random) -> int:
    """If the end dialog is up, type a little into its note (never confirming), then Escape."""
    if END_DIALOG not in term.screen():
        return 0
    typed = rng.randint(0, 4)
    for _ in range(typed):
        term.keys(rng.choice(PRINTABLE), pause=0.01)
    term.keys("Escape")
    term.wait_gone(END_DIALOG, timeout=10)
    return 1


@pytest.mark.slow
def test_a_stream_of_random_keys_leaves_the_session_running_and_its_record_whole(tmp_path, data_dir,
                                                                                terminals):
    """Seeded random keys (every key, printable and named) for half a minute.

    The harness never confirms the end dialog itself: whenever a key that could open it was
    sent, or a key that could confirm it is next, it looks, and closes the dialog with Escape.
    (That three stray keys can end a session is a test of its own below.)
    """
    rng = random.Random(8)
    term = open_terminal(terminals, RUN, app_env(tmp_path, data_dir))
    begin(term)
    alphabet = PRINTABLE + NAMED_KEYS * 2
    sent = dialogs = 0
    deadline = time.monotonic() + RANDOM_KEYS_S
    while time.monotonic() < deadline:
        key = rng.choice(alphabet)
        if key in CONFIRMING:
            dialogs += _escape_end_dialog(term, rng)
        term.keys(key, pause=0)
        sent += 1
        if key in OPENS_END:
            _wait_for_end_dialog(term)
            dialogs += _escape_end_dialog(term, rng)
        assert term.alive(), f"the app died after {sent} random keys:\n{term.screen()}"
        assert "The session has ended" not in term.screen(), (
            f"random keys ended the session after {sent} keys")
    # Whatever the keys opened, nothing went over a network (the engine's pipe is a Unix socket).
    for pid in [term.pid, *children_of(term.pid)]:
        assert inet_sockets(pid) == [], f"process {pid} holds network sockets"
    time.sleep(0.5)       # let the last key's screen (a form, a dialog) appear before closing it
    # Close whatever dialogs or exercise screens are open: several can be stacked, and a
    # loaded machine takes a while over each Escape.
    for _ in range(15):
        _escape_end_dialog(term, rng)
        if re.search(SESSION, term.screen()) and "Escape" not in term.screen():
            break
        term.keys("Escape", pause=0.5)
    assert term.alive()
    end(term, "after the random keys")
    events = assert_record_whole(data_dir)
    assert events[-1]["type"] == "session_ended"
    assert sent > 100, f"only {sent} keys were sent"


def test_three_stray_keys_do_not_end_a_session(tmp_path, data_dir, terminals):
    term = open_terminal(terminals, RUN, app_env(tmp_path, data_dir))
    begin(term)
    term.keys("q")
    term.wait_for(END_DIALOG)
    term.keys("Enter", "Enter")          # nothing written: on to "Keep going", and pressed
    term.wait_gone(END_DIALOG)
    assert re.search(r"Phase \d of \d", term.screen()), "back on the session screen"
    end(term)
    assert assert_record_whole(data_dir)[-1]["type"] == "session_ended"


# -- a hostile playlist given to `companion run` -----------------------------------------------------

#: What each hostile playlist's message must say (the reason, not only where).
RUN_CASES = {"billion-laughs": "unknown key", "binary-png": "binary data", "tab-indent": "tab"}


def _start_with_playlist(terminals, tmp_path, data_dir, playlist) -> Terminal:
    term = open_terminal(terminals, f"{RUN} {shlex.quote(str(playlist))}", app_env(tmp_path, data_dir))
    term.wait_for(r"(?i)begin")
    term.keys("Enter")
    return term


@pytest.mark.parametrize("name", sorted(RUN_CASES))
def test_hostile_playlist_given_to_run_is_reported_on_the_start_screen(tmp_path, data_dir, terminals,
                                                                      name):
    # A short folder, so the whole message fits on an 80-column line (see the test below).
    with tempfile.TemporaryDirectory(prefix="cf-", dir="/tmp") as folder:
        playlist = Path(folder) / f"{name[:6]}.yaml"
        playlist.write_bytes(CASES[name][0])
        term = _start_with_playlist(terminals, tmp_path, data_dir, playlist)
        # Beginning waits for the audio engine (up to 15 s on a starved machine) first.
        screen = term.wait_for(re.escape(f"{playlist.name}:") + r"\d+:\d+: ", timeout=30)
        assert re.search(RUN_CASES[name], screen, re.IGNORECASE), screen
        assert term.alive() and "Traceback" not in screen
        term.keys("C-c")          # no session began: Ctrl+C leaves at once
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not term.alive(), term.screen()
    assert not list(data_dir.glob("sessions/*.jsonl")), "a session was started"


def test_playlist_problem_is_readable_whatever_the_path_length(tmp_path, data_dir, terminals):
    folder = tmp_path / "Clinic playlists" / "Evening sessions"
    folder.mkdir(parents=True)
    playlist = folder / "gentle-evening.yaml"
    playlist.write_bytes(CASES["binary-png"][0])
    term = _start_with_playlist(terminals, tmp_path, data_dir, playlist)
    term.wait_for("gentle-evening")
    term.wait_for(r"binary\s+data")     # the reason, wrapped under the long path


# -- a record damaged by a power cut -------------------------------------------------------------------

POWER_CUT = {
    # The last line cut off mid-write.
    "torn-line": lambda good: good + b'{"t":"2026-11-25T15:00:00.000+00:00","elapsed":3.2,"type":"no',
    # ext4 after a power cut: the file grew, its last blocks never written (zeros).
    "zero-filled-tail": lambda good: good + bytes(4096),
}


@pytest.mark.parametrize("damage", sorted(POWER_CUT))
def test_record_damaged_by_a_power_cut_resumes_and_stays_whole(tmp_path, data_dir, terminals,
                                                              damage):
    env = app_env(tmp_path, data_dir)
    term = open_terminal(terminals, RUN, env)
    begin(term)
    add_note(term, "before the power cut")
    os.kill(term.pid, signal.SIGKILL)
    term.close()
    (path,) = sorted((data_dir / "sessions").glob("*.jsonl"))
    path.write_bytes(POWER_CUT[damage](path.read_bytes()))
    term = open_terminal(terminals, RUN, env)
    term.wait_for("Resume the interrupted session?")
    term.keys("Enter")
    term.wait_for(SESSION)
    term.wait_for("before the power cut")
    add_note(term, "after the power cut")
    end(term)
    events = assert_record_whole(data_dir)
    notes = [e["text"] for e in events if e["type"] == "note"]
    assert notes == ["before the power cut", "after the power cut"]
