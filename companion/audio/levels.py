"""Level arithmetic for Companion: the one percent-to-gain mapping, and dB/gain conversion."""

from __future__ import annotations

import math

#: The quietest audible step of the volume control: 1 % maps to this many dB.
FLOOR_DB = -50.0


def db_to_gain(db: float) -> float:
    """Linear amplitude gain for a level in dB (-inf dB gives 0.0)."""
    if db == -math.inf:
        return 0.0
    return float(10.0 ** (db / 20.0))


def gain_to_db(gain: float) -> float:
    """Level in dB for a linear amplitude gain (0.0 or less gives -inf)."""
    if gain <= 0.0:
        return -math.inf
    return 20.0 * math.log10(gain)


def percent_to_gain(percent: float) -> float:
    """Perceptual volume: 0 % is silence, 1..100 % run linearly in dB from -50 dB to 0 dB.

    Values outside 0..100 are clamped, so no caller can ask for more than unity gain.
    """
    p = min(100.0, max(0.0, float(percent)))
    if p <= 0.0:
        return 0.0
    if p < 1.0:
        # Between 0 and 1 % fade linearly to silence, so the mapping has no jump below 1 %.
        return p * db_to_gain(FLOOR_DB)
    return db_to_gain(FLOOR_DB + (p - 1.0) * (-FLOOR_DB) / 99.0)


def gain_to_percent(gain: float) -> float:
    """Inverse of percent_to_gain (gains above 1.0 give 100)."""
    if gain <= 0.0:
        return 0.0
    floor = db_to_gain(FLOOR_DB)
    if gain < floor:
        return gain / floor
    return min(100.0, 1.0 + (gain_to_db(gain) - FLOOR_DB) * 99.0 / (-FLOOR_DB))
