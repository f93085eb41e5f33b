"""`companion ground` in a real 80×24 terminal (tmux): all five steps typed, the journal kept or not."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

REPO = Path(__file__).resolve().parents[2]


class Terminal:
    """One tmux server of its own (so parallel tests never meet) running one command."""

    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.socket = f"companion-test-{uuid.uuid4().hex[:10]}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # The shell stays after the command so its last words can still be read.
        script = f"cd {shlex.quote(str(REPO))} && env {exports} {command}; echo EXITED=$?; sleep 60"
        self.tmux("new-session", "-d", "-s", "t", "-x", "80", "-y", "24", script)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True,
                              capture_output=True, text=True, timeout=10).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear; the screen shows:\n{screen}")
            time.sleep(0.05)

    def type_line(self, words: str) -> None:
        if words:
            self.tmux("send-keys", "-t", "t", "-l", words)
        self.tmux("send-keys", "-t", "t", "Enter")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True,
                       timeout=10)


@pytest.fixture
def run_ground(tmp_path: Path) -> Iterator:
    terminals: list[Terminal] = []

    def start(*args: str) -> Terminal:
        env = {"TERM": "xterm-256color", "COMPANION_DATA_DIR": str(tmp_path / "data"),
               "COMPANION_CONFIG_DIR": str(tmp_path / "config"),
               "PYTHONPATH": str(REPO), "HOME": str(tmp_path)}
        command = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "companion", "ground",
                                                     *args))
        terminal = Terminal(command, env)
        terminals.append(terminal)
        return terminal

    yield start
    for terminal in terminals:
        terminal.close()


STEPS = [("Step 1 of 5", ["the lamp", "a blue cup", "my hands", "the door", "light"]),
         ("Step 2 of 5", ["rain", "a car", "my breath", "the fridge"]),
         ("Step 3 of 5", ["the chair", "socks", "cool air"]),
         ("Step 4 of 5", ["coffee", "soap"]),
         ("Step 5 of 5", ["mint"])]


def test_ground_with_journal_walks_five_steps_and_keeps_the_entry(run_ground,
                                                                  tmp_path: Path) -> None:
    term = run_ground("--journal")
    term.wait_for("how distressed do you feel right now")
    term.type_line("7")
    for header, items in STEPS:
        term.wait_for(header)
        for number, item in enumerate(items, start=1):
            term.type_line(item)
            if number < len(items):
                term.wait_for(" ".join(["●"] * number + ["○"] * (len(items) - number)))
    screen = term.wait_for("Well done")
    assert "And now, from 0 to 10" in screen
    term.type_line("3")
    screen = term.wait_for("EXITED=0")
    assert "Kept in your private journal" in screen

    journal = tmp_path / "data" / "journal" / "journal.jsonl"
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    entry = json.loads(journal.read_text(encoding="utf-8").splitlines()[-1])
    assert entry["kind"] == "grounding" and entry["all_steps"] is True
    assert entry["words"] == {sense: items for sense, (_, items) in
                              zip(["see", "hear", "feel", "smell", "taste"], STEPS)}
    assert (entry["rating_before"], entry["rating_after"]) == (7, 3)

    listing = subprocess.run([sys.executable, "-m", "companion", "journal"], cwd=REPO,
                             env={**os.environ, "COMPANION_DATA_DIR": str(tmp_path / "data")},
                             capture_output=True, text=True, timeout=30)
    assert "grounding" in listing.stdout and "distress 7 → 3" in listing.stdout


def test_ground_without_journal_stores_nothing(run_ground, tmp_path: Path) -> None:
    term = run_ground("--lang", "es", "--no-rating")
    term.wait_for("Vamos a volver")
    term.type_line("")
    term.wait_for("Paso 1 de 5")
    term.type_line("la ventana")
    term.wait_for("● ○ ○ ○ ○")
    for header in ("Paso 2 de 5", "Paso 3 de 5", "Paso 4 de 5", "Paso 5 de 5", "Muy bien"):
        term.tmux("send-keys", "-t", "t", "Down")
        term.wait_for(header)
    term.type_line("")
    screen = term.wait_for("EXITED=0")
    assert "No se ha guardado nada" in screen
    data = tmp_path / "data"
    assert not data.exists() or [p for p in data.rglob("*") if p.is_file()] == []
