"""The plan in the room in a real terminal (tmux, 80x24, `--audio none`), on a plan timed in
seconds: the dose, the vitals reminder and form, the safe harbour and back, ending early with
a reason; then the session's log holds every one of those events."""

from __future__ import annotations

import shlex

import pytest

from tests.faults.terminal import app_env, record_events
from tests.terminal import COMPANION, HAVE_TMUX, Terminal
from tests.ui.fakes import PLAN_YAML, write_playlist

pytestmark = [pytest.mark.tmux, pytest.mark.slow,
              pytest.mark.skipif(not HAVE_TMUX, reason="tmux is not installed")]

TMUX_PLAN = PLAN_YAML.replace("min_observation_minutes: 0.5", "min_observation_minutes: 2")
"""The test's plan, with two minutes of observation so that ending at ~25 s is early."""


def test_a_plan_timed_in_seconds_runs_from_the_dose_to_an_early_end(tmp_path):
    data_dir = tmp_path / "data"
    playlist = write_playlist(tmp_path, TMUX_PLAN)
    command = f"{COMPANION} run --audio none {shlex.quote(str(playlist))}"
    term = Terminal(command, app_env(tmp_path, data_dir))
    try:
        term.wait_for("Begin session")
        term.wait_for("Audio: silent")
        term.keys("Enter")
        term.wait_for(r"Vitals before the dose due")
        term.keys("v")
        term.wait_for("I'm going to take your blood pressure")
        term.fill("128/82", "", "72")
        term.wait_for(r"vitals: BP 128/82 HR 72")
        term.keys("d")
        term.wait_for(r"Phase 2 of 4")
        term.wait_for(r"Next: Vitals in less than a minute")
        term.wait_for(r"Vitals due  \(v opens\)", timeout=25)
        term.keys("v")
        term.wait_for(r"Due now")
        term.fill("150", "90", "80", "97", "5")
        term.wait_for(r"vitals: BP 150/90 HR 80 SpO2 97 moaa-s 5  \[systolic high\]")
        term.keys("f")
        term.wait_for(r"You're safe\. I'm right here\.")
        term.wait_for(r"f returns to the music")
        term.keys("f")
        term.wait_for(r"Phase 2 of 4")
        term.keys("q")
        term.wait_for(r"End the session\?")
        term.wait_for(r"Before the minimum observation time")
        term.fill("client asked to stop", "calm at the end")  # the reason, then the note
        term.keys("Enter")  # on "End session"
        term.wait_for("The session has ended")
        term.keys("Escape")
        assert term.wait_closed(), "the app did not exit after the report dialog closed"
    finally:
        term.close()
    record = record_events(data_dir)
    kinds = [e["type"] for e in record]
    assert kinds[0] == "session_started" and kinds[-1] == "session_ended"

    def one(kind: str, **match) -> dict:
        found = [e for e in record if e["type"] == kind
                 and all(e.get(k) == v for k, v in match.items())]
        assert found, f"no {kind} {match} in {kinds}"
        return found[-1]

    assert one("plan_loaded")["min_observation_minutes"] == 2
    dose = one("dose_marked")["elapsed"]
    assert one("reminder_due", item="start+0:vitals")["due"] == 0
    due = one("reminder_due", item="dose+0.25:vitals")
    assert due["due"] == pytest.approx(dose + 15, abs=0.01)
    assert due["elapsed"] == pytest.approx(dose + 15, abs=1.0)  # shown within the second
    first = one("vitals_done", item="start+0:vitals")
    assert first["values"] == {"systolic": 128, "diastolic": 82, "hr": 72}
    second = one("vitals_done", item="dose+0.25:vitals")
    assert second["values"] == {"systolic": 150, "diastolic": 90, "hr": 80, "spo2": 97, "moaa-s": 5}
    assert second["marks"] == {"systolic": "high"} and second["late"] >= 0
    started = one("harbour_started")
    stopped = one("harbour_stopped", reason="key")
    assert started["level"] == 30 and started["fade"] == 2 and stopped["length"] > 0
    override = one("observation_override")
    assert override["reason"] == "client asked to stop"
    assert 0 < override["observation_left"] < 120
    assert one("landing_started")["reason"] == "ended"
    assert one("session_ended")["note"] == "calm at the end"
    order = [kinds.index(k) for k in ("dose_marked", "harbour_started", "harbour_stopped",
                                      "observation_override", "landing_started", "session_ended")]
    assert order == sorted(order)
