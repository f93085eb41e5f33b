"""Readings outside the clinician's ranges with no in-range reading of the same value since."""

from __future__ import annotations

from companion.record.events import Event
from companion.record.outside import outside_since_in_range


def event(elapsed: float, kind: str, **fields) -> Event:
    return Event(t="2026-11-25T14:00:00.000+00:00", elapsed=elapsed, type=kind, fields=fields)


def test_a_reading_back_in_range_answers_the_ones_before_it():
    events = [
        event(60, "vitals_done", values={"systolic": 170, "diastolic": 105, "hr": 80},
              marks={"systolic": "high", "diastolic": "high"}),
        event(120, "note", tag="vitals", text="SpO2 92", vitals={"spo2": 92, "marks": {"spo2": "low"}}),
        event(180, "note", tag="vitals", text="BP 128/84",
              vitals={"systolic": 128, "diastolic": 84}),
        event(240, "vitals_done", values={"systolic": 150, "hr": 82}, marks={"systolic": "high"}),
    ]
    outside = outside_since_in_range(events)
    assert [(r.elapsed, r.describe(), r.source) for r in outside] == [
        (120, "SpO2 92 low", "note"), (240, "systolic 150 high", "form")]


def test_no_marks_no_ranges_nothing_outside():
    events = [event(10, "vitals_done", values={"systolic": 230}),
              event(20, "note", tag="observation", text="calm")]
    assert outside_since_in_range(events) == []


def test_heart_rate_from_a_note_and_from_the_form_are_one_measure():
    events = [event(10, "note", tag="vitals", text="HR 130",
                    vitals={"heart_rate": 130, "marks": {"heart_rate": "high"}}),
              event(20, "vitals_done", values={"hr": 90})]
    assert outside_since_in_range(events) == []


def test_a_struck_reading_is_not_outside_and_a_corrected_one_counts_as_corrected():
    events = [
        event(0, "session_started"),
        event(60, "vitals_done", values={"systolic": 170, "diastolic": 95},
              marks={"systolic": "high"}),
        event(90, "note", tag="vitals", text="HR 130", vitals={"hr": 130, "marks": {"hr": "high"}}),
        event(100, "correction", corrects=2, target_type="vitals_done",
              target_t="2026-11-25T14:00:00.000+00:00", action="strike"),
        event(110, "correction", corrects=3, target_type="note",
              target_t="2026-11-25T14:00:00.000+00:00", action="correct",
              values={"text": "HR 80", "vitals": {"hr": 80}}),
    ]
    assert outside_since_in_range(events) == []
