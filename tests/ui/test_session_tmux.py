"""The real app in a real terminal (tmux, 80x24, `--audio none`): keys in, screen and record out."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest

pytestmark = [pytest.mark.tmux, pytest.mark.slow, pytest.mark.skipif(shutil.which("tmux") is None,
                                                   reason="tmux is not installed")]

ROOT = Path(__file__).resolve().parents[2]


class Terminal:
    """One tmux session, on a tmux server of its own, running a command; read, type, kill."""

    def __init__(self, command: str, env: dict[str, str], width: int = 80, height: int = 24) -> None:
        self.name = f"companion-test-{uuid.uuid4().hex[:8]}"
        self.socket = self.name  # a private server: other tests' tmux sessions stay apart
        settings = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # `exec`, so the pane's process is the app itself (for the SIGKILL test). LINES and
        # COLUMNS (set under pytest) would override the pane's real size.
        shell = (f"cd {shlex.quote(str(ROOT))} && exec env -u LINES -u COLUMNS "
                 f"TERM=xterm-256color {settings} {command}")
        self._tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                   shell, check=True)
        self.socket_path = self._tmux("display", "-p", "#{socket_path}").stdout.strip()

    def _tmux(self, *args: str, check: bool = False) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                              check=check)

    def screen(self) -> str:
        """The pane's text now."""
        return self._tmux("capture-pane", "-p", "-t", self.name).stdout

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        """Poll the screen until `text` (a regular expression) appears; return the screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if re.search(text, screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} did not appear; the screen was:\n{screen}")

    def keys(self, *keys: str) -> None:
        """Send tmux key names (Enter, Space, Escape, ...)."""
        for key in keys:
            self._tmux("send-keys", "-t", self.name, key, check=True)
            time.sleep(0.05)

    def type(self, text: str) -> None:
        """Type literal text."""
        self._tmux("send-keys", "-t", self.name, "-l", text, check=True)

    def pid(self) -> int:
        """The process running in the pane."""
        out = self._tmux("list-panes", "-t", self.name, "-F", "#{pane_pid}", check=True).stdout
        return int(out.split()[0])

    def wait_closed(self, timeout: float = 15.0) -> bool:
        """Wait for the app to exit (its pane, and so the tmux session, then closes)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._tmux("has-session", "-t", self.name).returncode != 0:
                return True
            time.sleep(0.1)
        return False

    def close(self) -> None:
        self._tmux("kill-server")
        if self.socket_path:
            Path(self.socket_path).unlink(missing_ok=True)  # tmux leaves its socket file


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


def app_env(tmp_path: Path, data_dir: Path) -> dict[str, str]:
    return {"COMPANION_DATA_DIR": str(data_dir), "COMPANION_CONFIG_DIR": str(tmp_path / "config"),
            "HOME": str(tmp_path)}


COMMAND = f"{shlex.quote(sys.executable)} -m companion run --audio none"


def events(data_dir: Path) -> list[dict]:
    """Every event of the one session file in the data directory."""
    (path,) = sorted((data_dir / "sessions").glob("*.jsonl"))
    return [json.loads(line) for line in path.read_text().splitlines()]


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
        term.wait_for("volume 45%")
        term.keys("Space")
        term.wait_for(r"paused \(silent\)")
        term.keys("Space")
        term.wait_for("silent: no audio device")
        term.keys("q")
        term.wait_for("End the session?")
        term.type("a calm close")
        term.keys("Enter", "Enter")
        term.wait_for("The session has ended")
        term.keys("Escape")
        assert term.wait_closed(), "the app did not exit after the report dialog closed"
    finally:
        term.close()
    record = events(data_dir)
    kinds = [e["type"] for e in record]
    assert kinds[0] == "session_started" and kinds[-1] == "session_ended"
    assert record[-1]["note"] == "a calm close"
    for kind in ("audio_output", "phase_changed", "track_started", "dose_marked", "note",
                 "distress_rating", "volume_changed", "paused", "resumed"):
        assert kind in kinds, kind
    note = next(e for e in record if e["type"] == "note")
    assert note["text"] == "client resting, eyes closed" and note["tag"] == "observation"
    assert next(e for e in record if e["type"] == "distress_rating")["rating"] == 3
    assert next(e for e in record if e["type"] == "volume_changed")["volume"] == 45
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
        os.kill(first.pid(), signal.SIGKILL)
    finally:
        first.close()
    before = events(data_dir)
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
    after = events(data_dir)
    kinds = [e["type"] for e in after]
    assert kinds.count("session_started") == 1
    resumed = next(e for e in after if e["type"] == "session_resumed")
    assert resumed["elapsed"] >= 5 and resumed["gap"] >= 2
    ended = after[-1]
    assert ended["type"] == "session_ended"
    assert ended["dose_elapsed"] == pytest.approx(dose_at)
