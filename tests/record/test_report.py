"""Reports: the Markdown report for the integration session, CSV and JSON, read back."""

from __future__ import annotations

import csv
import io
import json

from companion.record import read_events, to_csv, to_json, to_markdown
from companion.record.report import clock_text, episodes, phase_times
from tests.record.sample import write_sample


def test_phase_times_add_up_repeated_phases(tmp_path) -> None:
    result = read_events(write_sample(tmp_path))
    # Settling 0-600 and 1800-1900, Onset 600-1800.
    assert phase_times(result) == [("Settling", 700.0), ("Onset", 1200.0)]


def test_exercises_carry_distress_before_and_after(tmp_path) -> None:
    runs = episodes(read_events(write_sample(tmp_path)))
    assert [(r.kind, r.name, r.outcome) for r in runs] == [
        ("breathing", "Calm 4-6", "completed, 6 cycles"),
        ("grounding", "5-4-3-2-1 (sitter)", "completed")]
    assert [(r.before.value, r.before.elapsed) for r in runs] == [(7, 960), (4, 1050)]
    assert [(r.after.value, r.after.elapsed) for r in runs] == [(4, 1050), (2, 1200)]


def _session(tmp_path, steps):
    from companion.clock import FakeClock
    from companion.record import SessionRecord
    from tests.record.conftest import Wall

    mono = FakeClock()
    record = SessionRecord.start(tmp_path, playlist_name="P", playlist_hash="h",
                                 monotonic=mono, wall=Wall())
    for step in steps:
        if isinstance(step, (int, float)):
            mono.advance(step)
        else:
            record.append(step[0], **step[1])
    record.end()
    return read_events(record.path)


def test_ratings_as_the_breathing_screen_writes_them_are_understood(tmp_path) -> None:
    result = _session(tmp_path, [
        ("distress_rating", {"exercise": "breathing", "when": "before", "value": 8}),
        ("breathing_started", {"pattern": "box"}), 120,
        ("breathing_stopped", {"pattern": "box", "cycles_done": 4, "completed": False}), 5,
        ("distress_rating", {"exercise": "breathing", "when": "after", "value": 5}),
    ])
    (run,) = episodes(result)
    assert (run.before.value, run.after.value, run.outcome) == (8, 5, "stopped, 4 cycles")
    assert "| 8 (just before) | 5 (5 s after) |" in to_markdown(result)


def test_ratings_far_from_a_run_or_marked_for_another_moment_are_not_taken(tmp_path) -> None:
    result = _session(tmp_path, [
        ("distress_rating", {"rating": 9}), 3600,
        ("grounding_started", {}), 60, ("grounding_completed", {}), 1,
        ("distress_rating", {"rating": 6, "moment": "before", "context": "breathing"}),
        ("breathing_started", {"pattern": "box"}), 60,
        ("breathing_stopped", {"pattern": "box", "rating_after": 3}),
    ])
    grounding, breathing = episodes(result)
    assert grounding.before is None and grounding.after is None
    assert breathing.before.value == 6
    assert breathing.after.value == 3 and breathing.after.elapsed is None


def test_markdown_report_has_what_the_therapist_needs(tmp_path) -> None:
    text = to_markdown(read_events(write_sample(tmp_path)))
    for heading in ("# Session record — 2026-11-25", "## Timeline", "## Time in each phase",
                    "## Breathing", "## Grounding", "## Vitals", "## Notes"):
        assert heading in text
    assert "| Client code | K07 |" in text
    assert "| Intention | Meet the fear \\| kindly |" in text
    assert "Gentle default (content hash c0ffeec0ffee)" in text
    assert "| Onset | 20 min |" in text and "| Settling | 11 min 40 s |" in text
    assert "| 0:10:00 | +0:00:00 |" in text  # the dose line
    assert "Calm 4-6 | 1 min | completed, 6 cycles | 7 (just before) | 4 (30 s after)" \
        in text
    assert "| 0:15:00 | +0:05:00 | note | 150/88 (systolic high) | 92 | 97% |  |  |" in text
    assert "(client_words) It is like the sea" in text
    assert "| Status | ended — settled, talking |" in text


def test_csv_export_reads_back_one_row_per_event(tmp_path) -> None:
    result = read_events(write_sample(tmp_path))
    rows = list(csv.DictReader(io.StringIO(to_csv(result))))
    assert len(rows) == len(result.events)
    assert [r["type"] for r in rows] == [e.type for e in result.events]
    note = next(r for r in rows if r["type"] == "note")
    assert float(note["elapsed"]) == 900 and float(note["since_dose"]) == 300
    assert json.loads(note["fields"])["vitals"]["hr"] == 92
    assert rows[0]["since_dose"] == ""


def test_json_export_reads_back_with_every_event(tmp_path) -> None:
    result = read_events(write_sample(tmp_path))
    document = json.loads(to_json(result))
    assert document["format"] == "companion-session-export"
    assert document["session"]["client_code"] == "K07"
    assert document["session"]["status"] == "ended"
    assert document["session"]["dose_elapsed"] == 600
    assert document["phases"] == [{"name": "Settling", "seconds": 700.0},
                                  {"name": "Onset", "seconds": 1200.0}]
    assert document["exercises"][0]["distress_before"] == 7
    assert document["events"] == [e.to_dict() for e in result.events]


def test_interrupted_session_report_says_so(tmp_path) -> None:
    result = read_events(write_sample(tmp_path, end=False))
    assert "| Status | interrupted |" in to_markdown(result)


def test_clock_text() -> None:
    assert [clock_text(s) for s in (0, 59.6, 3600, 7325, -61)] == [
        "0:00:00", "0:01:00", "1:00:00", "2:02:05", "-0:01:01"]
