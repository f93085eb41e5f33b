"""The report's one vitals table and the exports' one vocabulary for a reading: form and note
readings together in time order, with their source and marks in words; corrected and struck
readings (as the corrections layer hands them over) shown with the old value struck."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

from companion.clock import FakeClock
from companion.record import SessionRecord, read_events, to_csv, to_json, to_markdown
from companion.record.monitoring import vitals_readings
from companion.record.reader import ReadResult
from companion.record.vitals import EXAMPLE_RANGES
from tests.record.conftest import Wall

RANGES = {"systolic": [90, 140], "diastolic": [60, 90], "spo2": [94, 100]}


def _record(tmp_path, steps) -> ReadResult:
    """A session from (event type, fields) steps, numbers being seconds that pass."""
    mono = FakeClock()
    record = SessionRecord.start(tmp_path, playlist_name="P", playlist_hash="h",
                                 monotonic=mono, wall=Wall())
    for step in steps:
        if isinstance(step, (int, float)):
            mono.advance(step)
        elif step[0] == "note":
            record.add_note(step[1]["tag"], step[1]["text"], vitals_ranges=EXAMPLE_RANGES)
        else:
            record.append(step[0], **step[1])
    record.end()
    return read_events(record.path)


def _vitals_section(text: str) -> str:
    return text.split("## Vitals", 1)[1].split("\n## ", 1)[0]


def _flagged_session(tmp_path) -> ReadResult:
    """The issue's session: a flagged form check (170/105, SpO2 92) between two notes."""
    return _record(tmp_path, [
        ("plan_loaded", {"schedule": [], "ranges": RANGES,
                         "scales": {"moaa-s": {"title": "MOAA/S", "min": 0, "max": 5}}}), 60,
        ("note", {"tag": "vitals", "text": "BP 128/82 HR 74"}), 60,
        ("dose_marked", {}), 600,
        ("vitals_done", {"title": "Vitals", "values": {"systolic": 170, "diastolic": 105,
                                                        "hr": 88, "spo2": 92, "moaa-s": 4},
                         "marks": {"systolic": "high", "diastolic": "high", "spo2": "low"}}),
        300,
        ("note", {"tag": "vitals", "text": "HR 76 SpO2 97 T 36.8"}),
    ])


def test_form_and_note_readings_are_one_table_in_time_order_with_their_source(tmp_path):
    section = _vitals_section(to_markdown(_flagged_session(tmp_path)))
    rows = [line for line in section.splitlines() if line.startswith("| 0:")]
    assert rows == [
        "| 0:01:00 |  | note | 128/82 | 74 |  |  |  |  |",
        "| 0:12:00 | +0:10:00 | form | 170/105 (high) | 88 | 92% (low) |  |  | MOAA/S 4 |",
        "| 0:17:00 | +0:15:00 | note |  | 76 | 97% |  | 36.8 °C |  |",
    ]
    assert "| Elapsed | Since dose | Source | BP | HR | SpO2 | RR | T | Other |" in section
    assert "Values marked high or low are outside the clinician's ranges" in section


def test_the_marking_line_is_said_only_when_something_is_marked(tmp_path):
    result = _record(tmp_path, [("note", {"tag": "vitals", "text": "BP 128/82 HR 74"})])
    section = _vitals_section(to_markdown(result))
    assert "| 0:00:00 |  | note | 128/82 | 74 |" in section
    assert "marked" not in section.lower() and "Other" not in section


def test_no_readings_say_so(tmp_path):
    result = _record(tmp_path, [("note", {"tag": "observation", "text": "eyes closed"})])
    assert "No vitals were recorded." in _vitals_section(to_markdown(result))


def test_old_records_with_the_long_names_read_the_same(tmp_path):
    """Notes written before one vocabulary stored heart_rate, resp_rate and temperature."""
    result = _record(tmp_path, [
        ("note", {"tag": "vitals", "text": "HR 112 RR 14 T 99.1",
                  "vitals": {"heart_rate": 112, "resp_rate": 14, "temperature": 99.1,
                             "temperature_unit": "F", "marks": {"heart_rate": "high"}}}),
    ])
    (reading,) = vitals_readings(result)
    assert reading.values == {"hr": 112, "rr": 14, "temp": 99.1, "temp_unit": "F"}
    assert reading.marks == {"hr": "high"}
    assert "| note |  | 112 (high) |  | 14 | 99.1 °F |" in to_markdown(result)


def test_exports_use_one_vocabulary_for_form_and_note_readings(tmp_path):
    result = _flagged_session(tmp_path)
    document = json.loads(to_json(result))
    vitals = document["vitals"]
    assert [v["source"] for v in vitals] == ["note", "form", "note"]
    assert vitals[0]["values"] == {"systolic": 128, "diastolic": 82, "hr": 74}
    assert vitals[1]["values"]["hr"] == 88 and vitals[1]["marks"]["spo2"] == "low"
    assert vitals[2]["values"] == {"hr": 76, "spo2": 97, "temp": 36.8, "temp_unit": "C"}
    assert vitals[1]["since_dose"] == 600
    # The record itself now writes the same names in a note as in the form.
    note = next(e for e in document["events"] if e["type"] == "note")
    assert set(note["vitals"]) == {"systolic", "diastolic", "hr"}
    rows = list(csv.DictReader(io.StringIO(to_csv(result))))
    fields = [json.loads(r["fields"]) for r in rows if r["type"] in ("note", "vitals_done")]
    assert fields[0]["vitals"]["hr"] == 74 and fields[1]["values"]["hr"] == 88
    names = {name for f in fields for name in f.get("vitals", f.get("values", {}))}
    assert not names & {"heart_rate", "resp_rate", "temperature", "temperature_unit"}


def test_a_value_kept_as_typed_after_the_question_is_said_so(tmp_path):
    result = _record(tmp_path, [
        ("vitals_done", {"title": "Vitals", "values": {"systolic": 15095, "diastolic": 95,
                                                        "hr": 880}}),
    ])
    section = _vitals_section(to_markdown(result))
    assert "| form | 15095/95 (kept as typed) | 880 (kept as typed) |" in section
    assert "“Kept as typed”: outside what a living person can have" in section
    assert json.loads(to_json(result))["vitals"][0]["implausible"] == [
        "systolic", "diastolic", "hr"]


def _corrected(result: ReadResult) -> ReadResult:
    """What the corrections layer hands over: the first form reading corrected, the note struck."""
    events = []
    for event in result.events:
        fields = dict(event.fields)
        if event.type == "vitals_done":
            fields["original"] = {"title": "Vitals", "values": dict(fields["values"])}
            fields["values"] = {"systolic": 150, "diastolic": 95, "hr": 88}
            fields["corrected_by"] = 7
        elif event.type == "note":
            fields["struck"] = True
        events.append(replace(event, fields=fields))
    return replace(result, events=tuple(events))


def test_corrected_and_struck_readings_show_what_was_first_written_struck(tmp_path):
    result = _corrected(_record(tmp_path, [
        ("vitals_done", {"title": "Vitals", "values": {"systolic": 15095, "diastolic": 95,
                                                        "hr": 880}}), 60,
        ("note", {"tag": "vitals", "text": "HR 70 SpO2 98"}),
    ]))
    section = _vitals_section(to_markdown(result))
    assert "| form (corrected) | 150/95 ~~15095/95~~ | 88 ~~880~~ |  |  |  |" in section
    assert "| note (struck) |  | ~~70~~ | ~~98%~~ |  |  |" in section
    assert "~~Struck~~ values were corrected or struck later" in section
    assert "Kept as typed" not in section  # the slip was corrected, nothing implausible is left
    form, note = json.loads(to_json(result))["vitals"]
    assert form["original"]["systolic"] == 15095 and form["corrected_by"] == 7
    assert form["values"]["systolic"] == 150 and note["struck"] is True


def test_a_corrected_note_shows_the_vitals_of_its_first_text_struck(tmp_path):
    """The corrections layer may keep only the note's first text as `original`."""
    result = _record(tmp_path, [("note", {"tag": "vitals", "text": "BP 150/95 HR 88"})])
    (event,) = [e for e in result.events if e.type == "note"]
    corrected = replace(event, fields={**event.fields, "corrected_by": 3,
                                       "original": {"tag": "vitals", "text": "BP 15095/95 HR 880"}})
    result = replace(result, events=tuple(corrected if e is event else e for e in result.events))
    section = _vitals_section(to_markdown(result))
    assert "| note (corrected) | 150/95 (high) ~~15095/95~~ | 88 ~~880~~ |" in section
