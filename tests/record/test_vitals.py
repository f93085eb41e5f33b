"""Vitals written as text become numbers; values outside the clinician's ranges are marked."""

from __future__ import annotations

import pytest

from companion.record.vitals import EXAMPLE_RANGES, Vitals, VitalsRanges, parse_vitals

CASES = [
    ("BP 132/84 HR 78 SpO2 98 RR 14 T 36.8",
     dict(systolic=132, diastolic=84, heart_rate=78, spo2=98, resp_rate=14, temperature=36.8,
          temperature_unit="C")),
    ("T 36.8 RR 14 SpO2 98 HR 78 BP 132/84",
     dict(systolic=132, diastolic=84, heart_rate=78, spo2=98, resp_rate=14, temperature=36.8,
          temperature_unit="C")),
    ("bp: 132/84", dict(systolic=132, diastolic=84)),
    ("BP 132 / 84 mmHg", dict(systolic=132, diastolic=84)),
    ("128/80 mmHg after the walk", dict(systolic=128, diastolic=80)),
    ("blood pressure 118/76", dict(systolic=118, diastolic=76)),
    ("NIBP 140/90", dict(systolic=140, diastolic=90)),
    ("pulse 78", dict(heart_rate=78)),
    ("HR=78", dict(heart_rate=78)),
    ("hr:78bpm", dict(heart_rate=78)),
    ("heart rate 64 bpm", dict(heart_rate=64)),
    ("sats 98%", dict(spo2=98)),
    ("O2 98", dict(spo2=98)),
    ("o2 sat 97 %", dict(spo2=97)),
    ("SpO2: 96%", dict(spo2=96)),
    ("pulse ox 95, pulse 88", dict(spo2=95, heart_rate=88)),
    ("temp 36.8C", dict(temperature=36.8, temperature_unit="C")),
    ("temp 37,2 °C", dict(temperature=37.2, temperature_unit="C")),
    ("98.6F", dict(temperature=98.6, temperature_unit="F")),
    ("Temperature 99.1", dict(temperature=99.1, temperature_unit="F")),
    ("resp 14", dict(resp_rate=14)),
    ("RR 16/min", dict(resp_rate=16)),
    ("respiratory rate 12", dict(resp_rate=12)),
    ("T 98.6 P 72 R 16 BP 120/80",
     dict(temperature=98.6, temperature_unit="F", heart_rate=72, resp_rate=16, systolic=120,
          diastolic=80)),
    ("HR 78 later HR 90", dict(heart_rate=78)),
    ("Client resting quietly, eyes closed", {}),
    ("took 2 breaths, at 14:30 she smiled", {}),
    ("step 5 of 5", {}),
    ("HR 1234", {}),
    ("HR 7/8", {}),
    ("O2 2L via nasal cannula", {}),
    ("O2 2 lpm, sats 95", dict(spo2=95)),
    ("HR: 78, BP: 132/84, O2 sat: 98%, Temp: 36.8°C, RR: 14",
     dict(systolic=132, diastolic=84, heart_rate=78, spo2=98, resp_rate=14, temperature=36.8,
          temperature_unit="C")),
    ("BP132/84", dict(systolic=132, diastolic=84)),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_vitals(text, expected) -> None:
    vitals = parse_vitals(text)
    assert vitals == Vitals(**expected)
    assert bool(vitals) == bool(expected)


def test_numbers_keep_their_type() -> None:
    vitals = parse_vitals("HR 78 T 36.8")
    assert isinstance(vitals.heart_rate, int) and isinstance(vitals.temperature, float)


@pytest.mark.parametrize(("text", "marks"), [
    ("BP 132/84 HR 78 SpO2 98 RR 14 T 36.8", {}),
    ("BP 150/95 HR 45", {"systolic": "high", "diastolic": "high", "heart_rate": "low"}),
    ("sats 91%", {"spo2": "low"}),
    ("RR 24", {"resp_rate": "high"}),
    ("temp 100.4F", {"temperature": "high"}),
    ("temp 98.6F", {}),
    ("HR 100", {}),  # the bounds themselves are inside
])
def test_values_outside_the_ranges_are_marked(text, marks) -> None:
    assert dict(parse_vitals(text, EXAMPLE_RANGES).marks) == marks


def test_without_ranges_nothing_is_marked() -> None:
    assert parse_vitals("HR 190 SpO2 70").marks == {}


def test_ranges_come_from_config_mappings() -> None:
    ranges = VitalsRanges.from_mapping({"heart_rate": [60, 90]})
    assert ranges == VitalsRanges(heart_rate=(60.0, 90.0))
    assert dict(parse_vitals("HR 95 SpO2 80", {"heart_rate": [60, 90]}).marks) == {
        "heart_rate": "high"}


@pytest.mark.parametrize("bad", [{"pulse": [1, 2]}, {"heart_rate": [90, 60]},
                                 {"heart_rate": 70}, {"heart_rate": ["a", "b"]}])
def test_malformed_ranges_are_refused(bad) -> None:
    with pytest.raises(ValueError):
        VitalsRanges.from_mapping(bad)


def test_vitals_round_trip_through_the_stored_form() -> None:
    vitals = parse_vitals("BP 150/84 T 36.1", EXAMPLE_RANGES)
    assert Vitals.from_dict(vitals.to_dict()) == vitals
