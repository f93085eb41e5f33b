"""Vitals entry in a real terminal (tmux, 80x24, `--audio none`), with the keys a hurried
sitter types: slips (15095, 880) in the form and in a note are asked about, Enter and Escape
never keep them, `150/95` in Systolic fills both fields; then the session's .jsonl record
and the exported report (`companion log export`) hold exactly what was confirmed."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import time

import pytest

from tests.faults.terminal import app_env, end, record_events
from tests.terminal import COMPANION, HAVE_TMUX, Terminal
from tests.ui.fakes import PLAN_YAML, write_playlist

pytestmark = [pytest.mark.tmux, pytest.mark.slow,
              pytest.mark.skipif(not HAVE_TMUX, reason="tmux is not installed")]

QUESTION = "Check these readings"
VITALS_PLAN = (PLAN_YAML.replace("min_observation_minutes: 0.5", "min_observation_minutes: 0.05")
               .replace("  - before_leaving: true\n    title: Vitals before leaving\n"
                        "    vitals: [bp]\n", ""))
"""The tests' plan with a 3-second observation and no check before leaving: ending is plain."""


def test_slips_are_asked_about_and_only_what_was_confirmed_is_kept(tmp_path):
    data_dir = tmp_path / "data"
    playlist = write_playlist(tmp_path, VITALS_PLAN)
    env = app_env(tmp_path, data_dir)
    term = Terminal(f"{COMPANION} run --audio none {shlex.quote(str(playlist))}", env)
    try:
        term.wait_for("Begin session")
        term.keys("Enter")
        term.wait_for(r"Vitals before the dose due")

        # The form: 15095 in Systolic, Enter on the empty Diastolic, 880 in Heart rate.
        term.keys("v")
        term.wait_for("I'm going to take your blood pressure")
        term.fill("15095", "", "880")
        screen = term.wait_for(QUESTION)
        assert "15095 is not a blood pressure; did you mean 150/95?" in screen
        assert "880 is not a heart rate; did you mean 88?" in screen
        assert "Back to the form" in screen and "Keep as typed" in screen
        # Hurried: Enter, Enter, Enter, Enter goes back, round the fields and asks again.
        term.keys("Enter")
        term.wait_gone(QUESTION)
        term.wait_for("did you mean 150/95")  # said in the form too
        term.keys("Enter", "Enter", "Enter", pause=0.3)
        term.wait_for(QUESTION)
        term.keys("Escape")  # Escape is "back" as well, never "keep"
        term.wait_gone(QUESTION)
        term.keys("Escape")  # Escape on the form with values typed: it asks first
        term.wait_for(r"Put off without saving 15095, 880\?")
        term.keys("Escape")  # ...and a second Escape goes back to the form
        term.wait_gone("Put off without saving")
        term.wait_for("I'm going to take your blood pressure")
        term.keys("Enter", "Enter", "Enter", pause=0.3)
        term.wait_for(QUESTION)
        term.keys("Tab", "Enter")  # "Use 150/95, 88"
        term.wait_for(r"vitals: BP 150/95 HR 88")

        # A pressure typed whole fills both fields of the next check.
        term.keys("d")
        term.wait_for(r"Vitals due  \(v opens\)", timeout=25)
        term.keys("v")
        term.wait_for(r"Due now|Overdue")
        term.type("150/95")
        term.wait_for("150/95")
        term.keys("Enter")
        screen = term.wait_for(r"Diastolic \(mmHg\)\s+95")
        assert re.search(r"Systolic \(mmHg\)\s+150\s", screen)
        term.fill("", "72", "97", "4")
        term.wait_for(r"vitals: BP 150/95 HR 72 SpO2 97 moaa-s 4")

        # A note with a slip: asked; Enter goes back with the slip selected; retyped.
        term.keys("a")
        term.wait_for("Add a note")
        time.sleep(0.3)
        term.type("BP 15095/95")
        term.wait_for("BP 15095/95")
        term.keys("Enter")
        screen = term.wait_for("Check this reading")
        assert "15095/95 is not a blood pressure; did you mean 150/95?" in screen
        term.keys("Enter")
        term.wait_gone(r"Check th")
        term.type("150/95")  # replaces the selected slip
        term.wait_for(r"BP 150/95")
        term.keys("Enter")
        term.wait_for(r"observation: BP 150/95")

        # A note kept as typed, on the explicit third button.
        term.keys("a")
        term.wait_for("Add a note")
        time.sleep(0.3)
        term.type("HR 880 on the monitor")
        term.wait_for("HR 880 on the monitor")
        term.keys("Enter")
        term.wait_for("880 is not a heart rate; did you mean 88?")
        term.keys("Tab", "Tab", "Enter")  # "Keep as typed"
        term.wait_for(r"observation: HR 880 on the monitor")
        time.sleep(0.5)
        end(term)
        term.keys("Escape")
        assert term.wait_closed(), "the app did not exit after the report dialog closed"
    finally:
        term.close()

    record = record_events(data_dir)
    checks = [e["values"] for e in record if e["type"] == "vitals_done"]
    assert checks == [{"systolic": 150, "diastolic": 95, "hr": 88},
                      {"systolic": 150, "diastolic": 95, "hr": 72, "spo2": 97, "moaa-s": 4}]
    notes = [(e["text"], e.get("vitals")) for e in record if e["type"] == "note"]
    assert notes == [("BP 150/95", {"systolic": 150, "diastolic": 95,
                                    "marks": {"systolic": "high"}}),
                     ("HR 880 on the monitor", {"hr": 880})]
    assert not any("15095" in str(e) for e in record)

    exported = subprocess.run([sys.executable, "-m", "companion", "log", "export", "last"],
                              env=env, capture_output=True, text=True, timeout=60, check=True)
    vitals = exported.stdout.split("## Vitals", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in vitals.splitlines() if line.startswith("| 0:")]
    assert [row.split(" | ")[2:5] for row in rows] == [
        ["form", "150/95 (systolic high)", "88"], ["form", "150/95 (systolic high)", "72"],
        ["note", "150/95 (systolic high)", ""], ["note", "", "880 (kept as typed)"]]
    assert "“Kept as typed”" in vitals and "outside the clinician's ranges" in vitals
