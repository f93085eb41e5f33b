"""A real terminal for the fault tests: the app in a tmux session, its screen, its keys, its record."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMPANION = f"{shlex.quote(sys.executable)} -m companion"
HAVE_TMUX = shutil.which("tmux") is not None
#: Pause after Escape so the next key is not taken as Alt+key by the terminal parser.
ESCAPE_GAP_S = 0.3


class Terminal:
    """One tmux session running a command; read its screen, type into it, resize or kill it."""

    def __init__(self, command: str, env: dict[str, str], width: int = 80, height: int = 24) -> None:
        self.name = f"companion-fault-{uuid.uuid4().hex[:8]}"
        settings = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # Run in the test's HOME, so anything the app writes to its working folder (a report
        # saved under a typed name) lands there, never in the repository.
        folder = env.get("HOME", str(ROOT))
        # `exec`, so the pane's process is the app itself (for SIGKILL and prlimit).
        shell = f"cd {shlex.quote(folder)} && exec env TERM=xterm-256color {settings} {command}"
        command = ["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y",
                   str(height), shell]
        if subprocess.run(command, capture_output=True).returncode != 0:
            # The tmux server may have been exiting (its last session just closed): once more.
            time.sleep(0.5)
            subprocess.run(command, check=True)
        # Keep the pane (and its last screen) when the app exits, so a test can tell.
        subprocess.run(["tmux", "set-option", "-t", self.name, "remain-on-exit", "on"],
                       capture_output=True)
        self._pid = self._pane("#{pane_pid}")

    def _pane(self, fmt: str) -> str:
        return subprocess.run(["tmux", "display-message", "-p", "-t", self.name, fmt],
                              capture_output=True, text=True).stdout.strip()

    def screen(self) -> str:
        """The pane's text now."""
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True).stdout

    def wait_for(self, pattern: str, timeout: float = 20.0) -> str:
        """Poll the screen until `pattern` (a regular expression) appears; return the screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if re.search(pattern, screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} did not appear in {timeout:.0f} s; the screen was:\n"
                             f"{screen}")

    def wait_gone(self, pattern: str, timeout: float = 20.0) -> str:
        """Poll until `pattern` is no longer on the screen; return the screen."""
        deadline = time.monotonic() + timeout
        screen = self.screen()
        while time.monotonic() < deadline and re.search(pattern, screen):
            time.sleep(0.05)
            screen = self.screen()
        if re.search(pattern, screen):
            raise AssertionError(f"{pattern!r} stayed on the screen:\n{screen}")
        return screen

    def keys(self, *keys: str, pause: float = 0.05) -> None:
        """Send keys one at a time: tmux key names (Enter, Space, Escape, C-c) or single characters.

        After Escape it waits longer: a key arriving right after it would be read as Alt+key.
        """
        for key in keys:
            literal = ["-l"] if len(key) == 1 else []
            subprocess.run(["tmux", "send-keys", "-t", self.name, *literal, key], check=True)
            wait = max(pause, ESCAPE_GAP_S) if key == "Escape" else pause
            if wait:
                time.sleep(wait)

    def type(self, text: str) -> None:
        """Type literal text."""
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)

    def resize(self, width: int, height: int) -> None:
        """Resize the window, as a person dragging the terminal's corner would."""
        subprocess.run(["tmux", "resize-window", "-t", self.name, "-x", str(width),
                        "-y", str(height)], check=True)

    @property
    def pid(self) -> int:
        """The app's process id."""
        return int(self._pid)

    def alive(self) -> bool:
        """True while the app's process runs (not exited, not a zombie)."""
        if self._pane("#{pane_dead}") == "1":
            return False
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                return f.read().split(")")[-1].split()[0] != "Z"
        except OSError:
            return False

    def close(self) -> None:
        """Kill the tmux session (and the app, if it still runs)."""
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def app_env(tmp_path: Path, data_dir: Path, **extra: str) -> dict[str, str]:
    """The app's environment: its own data, config and HOME (no .asoundrc: no sound card)."""
    return {"COMPANION_DATA_DIR": str(data_dir), "COMPANION_CONFIG_DIR": str(tmp_path / "config"),
            "HOME": str(tmp_path), **extra}


def record_lines(data_dir: Path) -> list[str]:
    """The lines of the one session record in `data_dir`."""
    (path,) = sorted((data_dir / "sessions").glob("*.jsonl"))
    return path.read_text(encoding="utf-8").splitlines()


def assert_record_whole(data_dir: Path) -> list[dict]:
    """Every line valid JSON, one session_started first, elapsed never going back, the file
    private (0600 in a 0700 folder); returns the events."""
    lines = record_lines(data_dir)
    (path,) = sorted((data_dir / "sessions").glob("*.jsonl"))
    mode = path.stat().st_mode
    assert mode & 0o077 == 0, f"the record is readable by others: {mode:o}"
    assert path.parent.stat().st_mode & 0o077 == 0, "the sessions folder is open to others"
    events = []
    for number, line in enumerate(lines, 1):
        try:
            events.append(json.loads(line))
        except ValueError as error:
            raise AssertionError(f"record line {number} is not JSON ({error}): {line[:200]!r}")
    assert events and events[0]["type"] == "session_started", events[:2]
    assert [e["type"] for e in events].count("session_started") == 1
    elapsed = [e["elapsed"] for e in events]
    backwards = [(a, b) for a, b in zip(elapsed, elapsed[1:]) if b < a]
    assert not backwards, f"elapsed goes back: {backwards[:5]}"
    for event in events:
        assert {"t", "elapsed", "type"} <= set(event), event
    return events


def begin(term: Terminal) -> str:
    """From the start screen, begin the session; return the session screen."""
    term.wait_for(r"(?i)begin")
    term.keys("Enter")
    return term.wait_for(r"Phase \d of \d")


def end(term: Terminal, note: str = "ended on purpose", timeout: float = 30.0) -> None:
    """End the session on purpose: q, the note, then Enter until the report dialog shows.

    Enter is pressed again while the dialog stays: under load, a key can arrive before the
    dialog has focused its field, and that Enter is then lost.
    """
    term.keys("q")
    term.wait_for("End the session[?]")
    time.sleep(0.3)
    if note:
        term.type(note)
        term.wait_for(re.escape(note[:20]))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = term.screen()
        if "The session has ended" in screen:
            return
        if "End the session?" in screen:
            term.keys("Enter", pause=0.5)
        else:
            time.sleep(0.1)
    raise AssertionError(f"the session did not end; the screen was:\n{term.screen()}")


def children_of(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (read from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def inet_sockets(pid: int) -> list[str]:
    """The IPv4/IPv6 sockets (TCP or UDP) process `pid` holds: none, for an app that stays local."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        return []
    found = []
    for table in ("tcp", "tcp6", "udp", "udp6"):
        try:
            with open(f"/proc/{pid}/net/{table}") as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        found += [f"{table}: {row.split()[1]} -> {row.split()[2]}" for row in rows
                  if row.split()[9] in inodes]
    return found
