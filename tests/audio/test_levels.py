"""The one volume mapping: 0 % is silence, 1..100 % run linearly in dB from -50 dB to 0 dB."""

from __future__ import annotations

import math

import pytest

from companion.audio.levels import db_to_gain, gain_to_db, gain_to_percent, percent_to_gain


@pytest.mark.parametrize("percent,db", [(1, -50.0), (50.5, -25.0), (100, 0.0)])
def test_percent_maps_linearly_in_db(percent, db):
    assert gain_to_db(percent_to_gain(percent)) == pytest.approx(db)


def test_zero_percent_is_silence_and_out_of_range_is_clamped():
    assert percent_to_gain(0) == 0.0
    assert percent_to_gain(-5) == 0.0
    assert percent_to_gain(250) == 1.0


def test_mapping_is_monotonic_without_a_jump_below_one_percent():
    values = [percent_to_gain(p / 10) for p in range(0, 1001)]
    assert all(b > a for a, b in zip(values, values[1:]))
    assert percent_to_gain(0.999) == pytest.approx(percent_to_gain(1.0), rel=0.01)


def test_db_and_gain_round_trip():
    assert db_to_gain(-6.0) == pytest.approx(0.501, abs=0.001)
    assert db_to_gain(-math.inf) == 0.0 and gain_to_db(0.0) == -math.inf
    for p in (0.5, 1, 37, 80, 100):
        assert gain_to_percent(percent_to_gain(p)) == pytest.approx(p)
