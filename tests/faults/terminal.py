"""The fault tests' terminal (tests/terminal.py) and the session's keys and record."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

from tests import terminal
from tests.terminal import COMPANION, HAVE_TMUX  # noqa: F401 (the fault tests import them here)


class Terminal(terminal.Terminal):
    """The shared terminal; a session under faults gets 20 s to show what a test waits for."""

    timeout = 20.0


def app_env(tmp_path: Path, data_dir: Path, **extra: str) -> dict[str, str]:
    """The app's environment: its own data, config and HOME (no .asoundrc: no sound card)."""
    return {"COMPANION_DATA_DIR": str(data_dir), "COMPANION_CONFIG_DIR": str(tmp_path / "config"),
            "HOME": str(tmp_path), **extra}


def record_lines(data_dir: Path) -> list[str]:
    """The lines of the one session record in `data_dir`."""
    (path,) = sorted((data_dir / "sessions").glob("*.jsonl"))
    return path.read_text(encoding="utf-8").splitlines()


def record_events(data_dir: Path) -> list[dict]:
    """Every event of the one session record in `data_dir`."""
    return [json.loads(line) for line in record_lines(data_dir)]


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
    term.wait_for("Keep going")  # the dialog's button: a note kept from it names its title
    time.sleep(0.3)
    if note:
        term.type(note)
        term.wait_for(re.escape(note[:20]))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = term.screen()
        if "The session has ended" in screen:
            return
        if "Keep going" in screen:
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
