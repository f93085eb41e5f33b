"""Values no living person can have are caught, with what looks wrong and a likely fix.

Fixed plausibility limits, not clinical thresholds: systolic 50–300, diastolic 20–200 and
below the systolic, heart rate 20–250, SpO2 50–100, respiratory rate 4–60, temperature
30–45 °C (86–113 °F)."""

from __future__ import annotations

import pytest

from companion.record.vitals import (PLAUSIBLE, Vitals, fixed_note, implausible,
                                     note_implausible, parse_vitals, reading_fields)

# (values as typed in the form, the message, the likely fix)
FORM_CASES = [
    ({"systolic": "15095"}, "15095 is not a blood pressure; did you mean 150/95?",
     {"systolic": 150, "diastolic": 95}),
    ({"systolic": "15095", "diastolic": "95"},
     "15095/95 is not a blood pressure; did you mean 150/95?", {"systolic": 150, "diastolic": 95}),
    ({"systolic": "15095", "diastolic": "90"},
     "15095/90 is not a blood pressure; did you mean 150/90?", {"systolic": 150}),
    ({"systolic": "12080"}, "12080 is not a blood pressure; did you mean 120/80?",
     {"systolic": 120, "diastolic": 80}),
    ({"systolic": "9060"}, "9060 is not a blood pressure; did you mean 90/60?",
     {"systolic": 90, "diastolic": 60}),
    ({"systolic": "1500", "diastolic": "90"},
     "1500/90 is not a blood pressure; did you mean 150/90?", {"systolic": 150}),
    ({"systolic": "400"},
     "400 is not a systolic pressure (a living person's is 50–300 mmHg); check the reading.", {}),
    ({"systolic": "150", "diastolic": "950"},
     "150/950 is not a blood pressure; did you mean 150/95?", {"diastolic": 95}),
    ({"systolic": "95", "diastolic": "150"},
     "95/150 is not a blood pressure: the diastolic (second) value must be below the systolic; "
     "did you mean 150/95?", {"systolic": 150, "diastolic": 95}),
    ({"systolic": "120", "diastolic": "120"},
     "120/120 is not a blood pressure: the diastolic (second) value must be below the "
     "systolic.", {}),
    ({"diastolic": "5"},
     "5 is not a diastolic pressure (a living person's is 20–200 mmHg); check the reading.", {}),
    ({"hr": "880"}, "880 is not a heart rate; did you mean 88?", {"hr": 88}),
    ({"hr": "7200"}, "7200 is not a heart rate; did you mean 72?", {"hr": 72}),
    ({"hr": "8"},
     "8 is not a heart rate (a living person's is 20–250/min); check the reading.", {}),
    ({"spo2": "980"}, "980 is not an oxygen saturation; did you mean 98?", {"spo2": 98}),
    ({"spo2": "9.8"}, "9.8 is not an oxygen saturation; did you mean 98?", {"spo2": 98}),
    ({"spo2": "101"},
     "101 is not an oxygen saturation (a living person's is 50–100%); check the reading.", {}),
    ({"rr": "140"}, "140 is not a respiratory rate; did you mean 14?", {"rr": 14}),
    ({"rr": "2"},
     "2 is not a respiratory rate (a living person's is 4–60/min); check the reading.", {}),
    ({"temp": "368"}, "368 is not a temperature; did you mean 36.8?", {"temp": 36.8}),
    ({"temp": "98.6"}, "98.6 is not a temperature; did you mean 37 °C (98.6 °F)?",
     {"temp": 37.0}),
    ({"temp": "25"},
     "25 is not a temperature (a living person's is 30–45 °C); check the reading.", {}),
]


@pytest.mark.parametrize(("values", "message", "fix"), FORM_CASES,
                         ids=[str(c[0]) for c in FORM_CASES])
def test_a_value_no_one_can_have_is_said_with_a_likely_fix(values, message, fix) -> None:
    (problem,) = implausible(values)
    assert problem.message == message
    assert dict(problem.fix) == fix


@pytest.mark.parametrize("values", [
    {}, {"systolic": "", "hr": ""}, {"systolic": "150", "diastolic": "95"},
    {"systolic": "300", "diastolic": "199"}, {"systolic": "50", "diastolic": "20"},
    {"hr": 20}, {"hr": 250}, {"spo2": "100"}, {"spo2": "50%"}, {"rr": 4}, {"rr": "60"},
    {"temp": "30"}, {"temp": "45"}, {"temp": "36,8"}, {"hr": "fast"}, {"moaa-s": 99},
    {"temp": 98.6, "temp_unit": "F"}, {"temp": 86, "temp_unit": "F"},
])
def test_values_a_person_can_have_pass_even_far_outside_clinical_ranges(values) -> None:
    assert implausible(values) == []


def test_the_limits_are_the_fixed_ones_not_the_clinicians() -> None:
    assert PLAUSIBLE == {"systolic": (50, 300), "diastolic": (20, 200), "hr": (20, 250),
                         "spo2": (50, 100), "rr": (4, 60), "temp": (30, 45)}


def test_several_slips_are_all_said_in_form_order() -> None:
    problems = implausible({"systolic": "15095", "diastolic": "95", "hr": "880", "spo2": "97"})
    assert [p.names for p in problems] == [("systolic", "diastolic"), ("hr",)]
    assert [p.fix_text for p in problems] == ["150/95", "88"]


# (a note as typed, the messages, the note with the fixes written in; None: no likely fix)
NOTE_CASES = [
    ("BP 15095/95", ["15095/95 is not a blood pressure; did you mean 150/95?"], "BP 150/95"),
    ("BP 15095/95 HR 880, calm",
     ["15095/95 is not a blood pressure; did you mean 150/95?",
      "880 is not a heart rate; did you mean 88?"], "BP 150/95 HR 88, calm"),
    ("bp 15095 hr 72", ["15095 is not a blood pressure; did you mean 150/95?"],
     "bp 150/95 hr 72"),
    ("BP 95/150", ["95/150 is not a blood pressure: the diastolic (second) value must be "
                   "below the systolic; did you mean 150/95?"], "BP 150/95"),
    ("T 368", ["368 is not a temperature; did you mean 36.8 °C?"], "T 36.8 °C"),
    ("sats 980%", ["980 is not an oxygen saturation; did you mean 98?"], "sats 98%"),
    ("HR 8 after the walk",
     ["8 is not a heart rate (a living person's is 20–250/min); check the reading."], None),
]


@pytest.mark.parametrize(("text", "messages", "fixed"), NOTE_CASES, ids=[c[0] for c in NOTE_CASES])
def test_slips_typed_in_a_note_are_caught_and_fixed_in_place(text, messages, fixed) -> None:
    problems = note_implausible(text)
    assert [p.message for p in problems] == messages
    assert fixed_note(text, problems) == fixed


@pytest.mark.parametrize("text", ["BP 132/84 HR 78 SpO2 98 RR 14 T 36.8", "T 98.6 P 72",
                                  "Client resting quietly", "step 5 of 5", "HR 1234"])
def test_ordinary_notes_raise_no_question(text) -> None:
    assert note_implausible(text) == []


def test_a_pressure_typed_without_its_slash_is_read_so_it_can_be_questioned() -> None:
    assert parse_vitals("BP 15095/95") == Vitals(systolic=15095, diastolic=95)
    assert parse_vitals("BP 15095") == Vitals(systolic=15095)
    assert parse_vitals("BP 132") == Vitals()  # three digits and no slash: not a pressure


def test_one_vocabulary_is_stored_and_the_old_one_still_read() -> None:
    stored = parse_vitals("BP 150/95 HR 78 RR 14 T 98.6F", {"heart_rate": [50, 70]}).to_dict()
    assert stored == {"systolic": 150, "diastolic": 95, "hr": 78, "rr": 14, "temp": 98.6,
                      "temp_unit": "F", "marks": {"hr": "high"}}
    old = {"heart_rate": 78, "resp_rate": 14, "temperature": 98.6, "temperature_unit": "F",
           "marks": {"heart_rate": "high"}}
    assert reading_fields(old) == {"hr": 78, "rr": 14, "temp": 98.6, "temp_unit": "F",
                                   "marks": {"hr": "high"}}
    assert Vitals.from_dict(old) == Vitals(heart_rate=78, resp_rate=14, temperature=98.6,
                                           temperature_unit="F", marks={"heart_rate": "high"})
    assert Vitals.from_dict(stored).to_dict() == stored
