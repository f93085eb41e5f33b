"""Corrections: a new entry corrects or strikes an earlier one; the original line stays."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from companion.clock import FakeClock
from companion.record import SessionRecord, read_events, to_csv, to_json, to_markdown
from companion.record.resume import resume
from companion.record import events as ev
from companion.record.corrections import (
    apply_corrections,
    correctable,
    effective_dose,
    effective_events,
    parse_moment,
    unapplied,
)
from companion.record.events import Event
from tests.record.conftest import START, Wall


def _record(tmp_path) -> tuple[SessionRecord, FakeClock]:
    mono = FakeClock()
    record = SessionRecord.start(tmp_path, playlist_name="P", playlist_hash="h",
                                 monotonic=mono, wall=Wall())
    return record, mono


def _lines(record: SessionRecord) -> list[dict]:
    return [json.loads(line) for line in record.path.read_text().splitlines()]


def _session(tmp_path) -> SessionRecord:
    """A session with one of each correctable entry: dose (line 2), vitals (3), note (4),
    ready to leave (5)."""
    record, mono = _record(tmp_path)
    mono.advance(600)
    record.mark_dose()
    mono.advance(300)
    record.append(ev.VITALS_DONE, title="Vitals", values={"systolic": 15095, "diastolic": 95,
                                                          "hr": 880}, marks={"systolic": "high"})
    mono.advance(60)
    record.add_note("observation", "eyes closed, BP 15095/95")
    mono.advance(60)
    record.append(ev.READY_TO_LEAVE, observation_left=5000.0)
    mono.advance(30)
    return record


def test_a_corrected_vitals_entry_carries_new_values_and_its_original(tmp_path) -> None:
    record = _session(tmp_path)
    record.correct(3, ev.CORRECT, {"values": {"systolic": 150, "diastolic": 95, "hr": 88},
                                   "marks": None}, reason="typo")
    events = apply_corrections(read_events(record.path).events)
    vitals = events[2]
    assert vitals.get("values") == {"systolic": 150, "diastolic": 95, "hr": 88}
    assert "marks" not in vitals.fields  # re-marked: nothing is outside the ranges now
    assert vitals.get("corrected_by") == 6
    assert vitals.get("original") == {"values": {"systolic": 15095, "diastolic": 95, "hr": 880},
                                      "marks": {"systolic": "high"}}
    # The original line is still in the file, untouched.
    assert _lines(record)[2]["values"]["systolic"] == 15095
    line = _lines(record)[5]
    assert {k: line[k] for k in ("type", "corrects", "target_type", "action", "reason")} == {
        "type": "correction", "corrects": 3, "target_type": "vitals_done",
        "action": "correct", "reason": "typo"}
    assert line["target_t"] == _lines(record)[2]["t"]


def test_a_struck_dose_counts_for_nothing_and_a_moved_one_from_its_real_time(tmp_path) -> None:
    record = _session(tmp_path)
    assert record.dose_elapsed == 600
    record.correct(2, ev.CORRECT, {"elapsed": 480.0, "t": "2026-11-25T13:08:00.000+00:00"})
    assert record.dose_elapsed == 480
    events = apply_corrections(record.events)
    assert events[1].elapsed == 480 and events[1].get("original")["elapsed"] == 600
    record.correct(2, ev.STRIKE, reason="marked by mistake")
    assert record.dose_elapsed is None
    assert apply_corrections(record.events)[1].get("struck") is True
    assert effective_dose(record.events) is None
    assert not [e for e in effective_events(record.events) if e.type == ev.DOSE_MARKED]


def test_a_note_and_ready_to_leave_are_corrected_and_struck(tmp_path) -> None:
    record = _session(tmp_path)
    record.correct(4, ev.CORRECT, {"text": "eyes closed, BP 150/95", "vitals": None})
    record.correct(5, ev.STRIKE, reason="pressed e by mistake")
    events = apply_corrections(record.events)
    note, ready = events[3], events[4]
    assert note.get("text") == "eyes closed, BP 150/95" and "vitals" not in note.fields
    assert note.get("original")["text"] == "eyes closed, BP 15095/95"
    assert ready.get("struck") is True and ready.get("corrected_by") == 7
    assert [e.type for e in effective_events(record.events)].count(ev.READY_TO_LEAVE) == 0


def test_correcting_a_correction_replaces_its_values(tmp_path) -> None:
    record = _session(tmp_path)
    record.correct(4, ev.CORRECT, {"text": "first fix"})            # line 6
    record.correct(6, ev.CORRECT, {"text": "second fix"})           # line 7: corrects line 6
    note = apply_corrections(record.events)[3]
    assert note.get("text") == "second fix" and note.get("corrected_by") == 7
    assert note.get("original") == {"text": "eyes closed, BP 15095/95"}


def test_striking_a_correction_withdraws_it(tmp_path) -> None:
    record = _session(tmp_path)
    record.correct(4, ev.CORRECT, {"text": "wrong fix"})            # line 6
    record.correct(6, ev.STRIKE, reason="the first was right")      # line 7
    events = apply_corrections(record.events)
    assert events[3].get("text") == "eyes closed, BP 15095/95"
    assert "corrected_by" not in events[3].fields
    assert events[5].get("struck") is True and events[5].get("corrected_by") == 7


def test_striking_after_correcting_strikes_the_entry_and_keeps_the_first_words(tmp_path) -> None:
    record = _session(tmp_path)
    record.correct(2, ev.CORRECT, {"elapsed": 500.0, "t": "2026-11-25T13:08:20.000+00:00"})
    record.correct(2, ev.STRIKE)
    dose = apply_corrections(record.events)[1]
    assert dose.get("struck") is True and dose.get("corrected_by") == 7
    assert dose.get("original")["elapsed"] == 600
    assert record.dose_elapsed is None
    record.correct(2, ev.CORRECT, {"elapsed": 520.0, "t": "2026-11-25T13:08:40.000+00:00"})
    assert record.dose_elapsed == 520  # a correct after a strike restores it, moved


@pytest.mark.parametrize("fields, why", [
    ({"corrects": 99, "action": "strike"}, "line 99, which is not an earlier line"),
    ({"corrects": "two", "action": "strike"}, "names no line"),
    ({"corrects": 2, "target_type": "note", "action": "strike"}, "not the note"),
    ({"corrects": 1, "action": "strike"}, "session_started entry cannot be corrected"),
    ({"corrects": 5, "action": "correct", "values": {"x": 1}}, "can only be struck"),
    ({"corrects": 2, "action": "correct"}, "gives no values"),
    ({"corrects": 2, "action": "undo"}, "its action is 'undo'"),
])
def test_a_correction_that_does_not_fit_is_kept_and_said_never_applied(tmp_path, fields,
                                                                       why) -> None:
    record = _session(tmp_path)
    record.append(ev.CORRECTION, **fields)
    events = apply_corrections(record.events)
    assert events[:5] == list(record.events[:5])  # nothing changed
    assert why in events[5].get("unapplied")
    (problem,) = unapplied(record.events)
    assert problem.startswith("line 6: ") and why in problem
    assert "NOT applied" in to_markdown(read_events(record.path))


def test_correcting_a_line_the_record_does_not_have_is_refused(tmp_path) -> None:
    record = _session(tmp_path)
    with pytest.raises(ValueError, match="no line 40 to correct"):
        record.correct(40, ev.STRIKE)


def test_corrections_come_back_on_resume(tmp_path) -> None:
    record = _session(tmp_path)
    record.correct(2, ev.CORRECT, {"elapsed": 540.0, "t": "2026-11-25T13:09:00.000+00:00"})
    record.close()
    again = resume(record.path, monotonic=FakeClock(), wall=Wall(START + timedelta(hours=1)))
    assert again.dose_elapsed == 540
    again.correct(4, ev.STRIKE)  # line numbers still name the same entries after the resume
    assert apply_corrections(again.events)[3].get("struck") is True
    again.end()
    assert read_events(again.path).events[7].type == ev.CORRECTION


def test_applying_twice_changes_nothing(tmp_path) -> None:
    record = _session(tmp_path)
    record.correct(2, ev.CORRECT, {"elapsed": 540.0, "t": "2026-11-25T13:09:00.000+00:00"})
    once = apply_corrections(record.events)
    assert apply_corrections(once) == once


def test_the_dialog_lists_recent_correctable_entries_newest_first(tmp_path) -> None:
    record = _session(tmp_path)
    record.correct(5, ev.STRIKE)
    assert [(line, e.type) for line, e in correctable(record.events)] == [
        (4, ev.NOTE), (3, ev.VITALS_DONE), (2, ev.DOSE_MARKED)]


# -- the moment of a dose mark ---------------------------------------------------------------


def test_a_moment_is_minutes_ago_or_a_clock_time() -> None:
    start = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)
    assert parse_moment("5", 1200, start) == 900
    assert parse_moment("5 min ago", 1200, start) == 900
    assert parse_moment("2.5 minutes ago", 1200, start) == 1050
    local = (start + timedelta(minutes=12)).astimezone()
    assert parse_moment(local.strftime("%H:%M"), 1200, start) == 720
    with pytest.raises(ValueError, match="before the session began"):
        parse_moment("30", 1200, start)
    with pytest.raises(ValueError, match="not a time"):
        parse_moment("soon", 1200, start)
    with pytest.raises(ValueError, match="not a clock time"):
        parse_moment("25:00", 1200, start)


# -- reports and exports -----------------------------------------------------------------------


def _corrected_session(tmp_path) -> SessionRecord:
    record = _session(tmp_path)
    record.correct(3, ev.CORRECT, {"values": {"systolic": 150, "diastolic": 95, "hr": 88},
                                   "marks": None}, reason="typo")          # line 6
    record.correct(4, ev.CORRECT, {"text": "eyes closed, BP 150/95"})      # line 7
    record.correct(5, ev.STRIKE, reason="by mistake")                      # line 8
    record.correct(2, ev.CORRECT, {"elapsed": 540.0,
                                   "t": "2026-11-25T13:09:00.000+00:00"})  # line 9
    record.end()
    return record


def test_the_markdown_report_shows_the_corrected_value_with_the_original_struck(tmp_path) -> None:
    text = to_markdown(read_events(_corrected_session(tmp_path).path))
    assert ("Vitals: BP 150/95, HR 88 (unscheduled) — corrected at 13:17:30 (typo); "
            "first written: ~~Vitals: BP 15095/95, HR 880 (unscheduled)~~") in text
    assert "Dose marked at 13:09:00 — corrected at 13:17:30; first written: ~~Dose marked at 13:10:00~~" in text
    assert "~~Client ready to leave" in text and "struck at" in text and "(by mistake)" in text
    assert ("(observation) eyes closed, BP 150/95 — corrected at" in text
            and "first written: ~~eyes closed, BP 15095/95~~" in text)
    assert "| Dose marked at | 0:09:00 |" in text
    assert "Corrected the vitals reading written at" in text


def test_json_and_csv_exports_carry_corrected_by_and_the_original(tmp_path) -> None:
    result = read_events(_corrected_session(tmp_path).path)
    document = json.loads(to_json(result))
    events = document["events"]
    assert len(events) == len(result.events)  # every line, the originals included
    assert events[2]["values"]["systolic"] == 150 and events[2]["corrected_by"] == 6
    assert events[2]["original"]["values"]["systolic"] == 15095
    assert events[4]["struck"] is True and events[4]["corrected_by"] == 8
    assert document["session"]["dose_elapsed"] == 540
    assert document["monitoring"]["ready_to_leave"] is None
    rows = list(csv.DictReader(io.StringIO(to_csv(result))))
    assert [r["line"] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    assert rows[2]["corrected_by"] == "6"
    assert json.loads(rows[2]["fields"])["original"]["values"]["hr"] == 880
    assert rows[4]["description"].startswith("[struck at")
    assert rows[1]["elapsed"] == "540.000"


def test_a_correction_event_is_documented() -> None:
    assert ev.CORRECTION in ev.EVENT_TYPES
    target = Event(t="x", elapsed=1.0, type=ev.NOTE, fields={})
    assert ev.correction_fields(4, target, ev.STRIKE, reason=" oops ") == {
        "corrects": 4, "target_type": "note", "target_t": "x", "action": "strike",
        "reason": "oops"}
    with pytest.raises(ValueError, match="needs the values"):
        ev.correction_fields(4, target, ev.CORRECT)


def test_log_show_says_what_was_struck_and_corrected(tmp_path, monkeypatch, capsys) -> None:
    import argparse

    from companion.commands import log as log_command

    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))
    record = _corrected_session(tmp_path / "data" / "sessions")
    parser = argparse.ArgumentParser(prog="companion log")
    log_command.add_arguments(parser)
    assert log_command.run(parser.parse_args(["show", record.path.stem])) == 0
    out = capsys.readouterr().out
    assert "[struck at 13:17:30 (by mistake)] Client ready to leave" in out
    assert "Vitals: BP 150/95, HR 88 (unscheduled) — corrected at 13:17:30 (typo); was: " \
           "Vitals: BP 15095/95, HR 880" in out
    assert "Struck the ready-to-leave mark written at 13:17:00 (line 5): by mistake" in out
