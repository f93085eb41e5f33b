"""The one volume mapping: 0 % is silence, 1..100 % run linearly in dB, 0.3 dB per percent."""

from __future__ import annotations

import math

import pytest

from companion.audio.levels import (
    DEFAULT_CEILING,
    DEFAULT_TARGET_LUFS,
    DEFAULT_VOLUME,
    VOLUME_STEP,
    db_to_gain,
    gain_to_db,
    gain_to_percent,
    percent_to_db,
    percent_to_gain,
)


@pytest.mark.parametrize("percent,db", [(1, -29.7), (50, -15.0), (85, -4.5), (95, -1.5),
                                        (100, 0.0)])
def test_percent_maps_linearly_in_db(percent, db):
    assert gain_to_db(percent_to_gain(percent)) == pytest.approx(db)


def test_zero_percent_is_silence_and_out_of_range_is_clamped():
    assert percent_to_gain(0) == 0.0
    assert percent_to_db(0) == -math.inf
    assert percent_to_gain(-5) == 0.0
    assert percent_to_gain(250) == 1.0


def test_every_volume_key_step_is_at_most_3_db_and_the_last_one_down_reaches_silence():
    """Every press of + or - from every volume a key can reach, near silence included."""
    reachable = range(0, 101, VOLUME_STEP)
    steps = [abs(percent_to_db(b) - percent_to_db(a))
             for a, b in zip(reachable, reachable[1:]) if a > 0]
    assert max(steps) <= 3.0
    assert min(steps) == pytest.approx(max(steps))  # as fine near silence as anywhere
    assert percent_to_gain(reachable[0]) == 0.0      # - from the lowest step: silence
    # Odd volumes a playlist may set (37 %) step just as finely.
    for start in range(1, 100):
        up = min(100, start + VOLUME_STEP)
        assert percent_to_db(up) - percent_to_db(start) <= 3.0


def test_the_defaults_leave_the_device_between_minus_26_and_minus_20_lufs():
    at_default = DEFAULT_TARGET_LUFS + percent_to_db(DEFAULT_VOLUME)
    at_ceiling = DEFAULT_TARGET_LUFS + percent_to_db(DEFAULT_CEILING)
    assert -26 <= at_default <= -20
    assert at_default < at_ceiling <= DEFAULT_TARGET_LUFS


def test_mapping_is_monotonic_without_a_jump_below_one_percent():
    values = [percent_to_gain(p / 10) for p in range(0, 1001)]
    assert all(b > a for a, b in zip(values, values[1:]))
    assert percent_to_gain(0.999) == pytest.approx(percent_to_gain(1.0), rel=0.01)


def test_db_and_gain_round_trip():
    assert db_to_gain(-6.0) == pytest.approx(0.501, abs=0.001)
    assert db_to_gain(-math.inf) == 0.0 and gain_to_db(0.0) == -math.inf
    for p in (0.5, 1, 37, 80, 100):
        assert gain_to_percent(percent_to_gain(p)) == pytest.approx(p)
