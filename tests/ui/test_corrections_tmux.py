"""Correcting the record in a real terminal (tmux, 80x24, `--audio none`): a dose marked by
mistake struck, the real one's time corrected, "ready to leave" struck, a mistyped vitals
reading corrected; then the session file still holds every first line, and the exported
report shows the corrected values beside the struck ones."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import time

import pytest

from tests.faults.terminal import app_env, record_events, record_lines
from tests.terminal import COMPANION, HAVE_TMUX, Terminal
from tests.ui.fakes import PLAN_YAML, write_playlist

pytestmark = [pytest.mark.tmux, pytest.mark.slow,
              pytest.mark.skipif(not HAVE_TMUX, reason="tmux is not installed")]

TMUX_PLAN = PLAN_YAML.replace("min_observation_minutes: 0.5", "min_observation_minutes: 20")


def open_entry(term: Terminal, what: str, downs: int = 0) -> None:
    """`c`, then the entry `downs` below the newest (which must read `what`), then Enter."""
    term.keys("c")
    term.wait_for("Correct an entry")
    term.wait_for(what)
    for _ in range(downs):
        term.keys("Down")
    term.keys("Enter")
    term.wait_for("Correct: ")
    time.sleep(0.3)


def test_mistakes_are_corrected_and_struck_and_the_first_lines_stay(tmp_path):
    data_dir = tmp_path / "data"
    playlist = write_playlist(tmp_path, TMUX_PLAN)
    env = app_env(tmp_path, data_dir)
    term = Terminal(f"{COMPANION} run --audio none {shlex.quote(str(playlist))}", env)
    try:
        term.wait_for("Begin session")
        term.wait_for("Audio: silent")
        term.keys("Enter")
        term.wait_for(r"Vitals before the dose due")
        # A blood pressure mistyped: 105 for 150.
        term.keys("v")
        term.wait_for("I'm going to take your blood pressure")
        term.fill("105", "95", "72")
        term.wait_for(r"vitals: BP 105/95 HR 72")

        # `d` pressed by mistake, long before the lozenge: strike it.
        term.keys("d")
        term.wait_for(r"Phase 2 of 4")
        open_entry(term, r"Dose marked")
        term.wait_for(r"When was it really taken")
        term.keys("Enter")  # Enter on the empty time moves on to the reason
        time.sleep(0.3)
        term.type("pressed d by mistake")
        term.wait_for("pressed d by mistake")
        term.keys("Enter")  # Enter saves a corrected time: there is none, and it says so
        term.wait_for(r"Type when it was really taken")
        term.keys("Tab")  # to Strike it
        time.sleep(0.3)
        term.keys("Enter")
        term.wait_for(r"Struck: Dose marked")

        # The real dose, marked a little late: its time corrected to 0.1 min (6 s) ago, which
        # must fall inside the session: let it run that long first.
        time.sleep(6)
        term.keys("d")
        time.sleep(0.5)
        open_entry(term, r"\d:\d\d:\d\d  Dose marked")
        term.fill("0.1", "")  # the time, then Enter on an empty reason saves it
        term.wait_for(r"Corrected: Dose marked")

        # `e` by mistake: strike it, with a reason (Enter on the reason moves to Strike it).
        term.keys("e")
        term.wait_for(r"Mark the client ready to leave\?")
        term.keys("Tab")  # Enter would be "Not yet"
        time.sleep(0.3)
        term.keys("Enter")
        term.wait_for(r"Ready to leave at")
        open_entry(term, r"Ready to leave")
        term.fill("pressed e by mistake")
        term.keys("Enter")
        term.wait_for(r"Struck: Ready to leave")

        # The mistyped vitals: the form opens with the first values; 105 becomes 150.
        open_entry(term, r"Vitals before the dose: BP 105/95 HR 72", downs=1)
        term.fill("typo")
        term.wait_for(r"Correct vitals of")
        term.wait_for(r"As first written: Vitals before the dose: BP 105/95 HR 72")
        term.wait_for(r"Systolic \(mmHg\)\s+105\s")
        term.keys("C-u")  # clear the systolic field, filled with 105: its placeholder shows
        term.wait_for(r"Systolic \(mmHg\)\s+132/84\s")
        term.type("150")
        term.wait_for(r"Systolic \(mmHg\)\s+150\s")
        term.fill("", "", "")
        term.wait_for(r"vitals: BP 150/95 HR 72 \(corrected\)")
        assert "BP 105/95" not in term.screen()
        term.keys("l")
        term.wait_for(r"\[struck")
    finally:
        term.close()

    lines = record_lines(data_dir)
    record = [json.loads(line) for line in lines]
    kinds = [e["type"] for e in record]
    # Every first line is still there, untouched.
    assert kinds.count("dose_marked") == 2 and kinds.count("ready_to_leave") == 1
    first_vitals = next(e for e in record if e["type"] == "vitals_done")
    assert first_vitals["values"]["systolic"] == 105
    corrections = [(i + 1, e) for i, e in enumerate(record) if e["type"] == "correction"]
    by_target = {(e["target_type"], e["action"]): e for _, e in corrections}
    doses = [i + 1 for i, e in enumerate(record) if e["type"] == "dose_marked"]
    struck = by_target[("dose_marked", "strike")]
    assert struck["corrects"] == doses[0] and struck["reason"] == "pressed d by mistake"
    moved = by_target[("dose_marked", "correct")]
    assert moved["corrects"] == doses[1]
    # "0.1" minutes ago: 6 s before the correction was saved (however long the steps took).
    assert moved["values"]["elapsed"] == pytest.approx(moved["elapsed"] - 6, abs=1.5)
    ready = by_target[("ready_to_leave", "strike")]
    assert ready["reason"] == "pressed e by mistake"
    fixed = by_target[("vitals_done", "correct")]
    assert fixed["values"]["values"] == {"systolic": 150, "diastolic": 95, "hr": 72}
    assert fixed["values"]["marks"] == {"systolic": "high"}  # 150 > 140: marked again
    assert fixed["reason"] == "typo"
    for _, correction in corrections:  # each names its entry by line, type and time
        target = record[correction["corrects"] - 1]
        assert (target["type"], target["t"]) == (correction["target_type"],
                                                 correction["target_t"])

    # The exported report shows the corrected values with the first ones struck.
    export = subprocess.run([sys.executable, "-m", "companion", "log", "export", "last",
                             "--format", "md"], env={**_base_env(), **env},
                            capture_output=True, text=True, timeout=60)
    assert export.returncode == 0, export.stderr
    report = export.stdout
    assert re.search(r"~~Dose marked~~ — struck at \d\d:\d\d:\d\d \(pressed d by mistake\)",
                     report)
    assert re.search(r"Dose marked at \d\d:\d\d:\d\d — corrected at .*; first written: "
                     r"~~Dose marked at \d\d:\d\d:\d\d~~", report)
    assert "~~Client ready to leave" in report
    assert re.search(r"Vitals before the dose: BP 150/95, HR 72.* — corrected at .*\(typo\); "
                     r"first written: ~~Vitals before the dose: BP 105/95, HR 72", report)
    csv_export = subprocess.run([sys.executable, "-m", "companion", "log", "export", "last",
                                 "--format", "json"], env={**_base_env(), **env},
                                capture_output=True, text=True, timeout=60)
    events = json.loads(csv_export.stdout)["events"]
    assert events[doses[0] - 1]["struck"] is True
    vitals = next(e for e in events if e["type"] == "vitals_done")
    assert vitals["values"]["systolic"] == 150
    assert vitals["original"]["values"]["systolic"] == 105 and "corrected_by" in vitals
    assert len(record_events(data_dir)) == len(lines)


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k not in ("LINES", "COLUMNS")}
