"""`companion ground` in a real 80×24 terminal (tmux): all five steps typed, the journal kept or not."""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.terminal import HAVE_TMUX, ROOT, Terminal

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(not HAVE_TMUX, reason="tmux is not installed"),
]


@pytest.fixture
def run_ground(tmp_path: Path) -> Iterator:
    terminals: list[Terminal] = []

    def start(*args: str) -> Terminal:
        env = {"COMPANION_DATA_DIR": str(tmp_path / "data"),
               "COMPANION_CONFIG_DIR": str(tmp_path / "config"),
               "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
        command = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "companion", "ground",
                                                     *args))
        # The exit status is shown after the app's last words.
        terminal = Terminal(f"sh -c {shlex.quote(command + '; echo EXITED=$?')}", env)
        terminals.append(terminal)
        return terminal

    yield start
    for terminal in terminals:
        terminal.close()


def type_line(term: Terminal, words: str) -> None:
    if words:
        term.type(words)
    term.keys("Enter")


STEPS = [("Step 1 of 5", ["the lamp", "a blue cup", "my hands", "the door", "light"]),
         ("Step 2 of 5", ["rain", "a car", "my breath", "the fridge"]),
         ("Step 3 of 5", ["the chair", "socks", "cool air"]),
         ("Step 4 of 5", ["coffee", "soap"]),
         ("Step 5 of 5", ["mint"])]


def test_ground_with_journal_walks_five_steps_and_keeps_the_entry(run_ground,
                                                                  tmp_path: Path) -> None:
    term = run_ground("--journal")
    term.wait_for("how distressed do you feel right now")
    type_line(term, "7")
    for header, items in STEPS:
        term.wait_for(header)
        for number, item in enumerate(items, start=1):
            type_line(term, item)
            if number < len(items):
                term.wait_for(" ".join(["●"] * number + ["○"] * (len(items) - number)))
    screen = term.wait_for("Well done")
    assert "And now, from 0 to 10" in screen
    type_line(term, "3")
    screen = term.wait_for("EXITED=0")
    assert "Kept in your private journal" in screen

    journal = tmp_path / "data" / "journal" / "journal.jsonl"
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    entry = json.loads(journal.read_text(encoding="utf-8").splitlines()[-1])
    assert entry["kind"] == "grounding" and entry["all_steps"] is True
    assert entry["words"] == {sense: items for sense, (_, items) in
                              zip(["see", "hear", "feel", "smell", "taste"], STEPS)}
    assert (entry["rating_before"], entry["rating_after"]) == (7, 3)

    listing = subprocess.run([sys.executable, "-m", "companion", "journal"], cwd=ROOT,
                             env={**os.environ, "COMPANION_DATA_DIR": str(tmp_path / "data")},
                             capture_output=True, text=True, timeout=30)
    assert "grounding" in listing.stdout and "distress 7 → 3" in listing.stdout


def test_ground_without_journal_stores_nothing(run_ground, tmp_path: Path) -> None:
    term = run_ground("--lang", "es", "--no-rating")
    term.wait_for("Vamos a volver")
    type_line(term, "")
    term.wait_for("Paso 1 de 5")
    type_line(term, "la ventana")
    term.wait_for("● ○ ○ ○ ○")
    for header in ("Paso 2 de 5", "Paso 3 de 5", "Paso 4 de 5", "Paso 5 de 5", "Muy bien"):
        term.keys("Down")
        term.wait_for(header)
    type_line(term, "")
    screen = term.wait_for("EXITED=0")
    assert "No se ha guardado nada" in screen
    data = tmp_path / "data"
    assert not data.exists() or [p for p in data.rglob("*") if p.is_file()] == []
