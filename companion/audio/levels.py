"""Level arithmetic for Companion: the one percent-to-gain mapping, and dB/gain conversion.

The gain structure (docs/sound/levels.md): every sound is levelled to
the playlist's loudness target (-18 LUFS by default), and the volume percent then takes
0.3 dB off per percent below 100 %. 100 % is unity (the target itself at the device), the
default 85 % is -4.5 dB (-22.5 LUFS at the device), 1 % is -29.7 dB, and 0 % is silence.
A volume key moves 5 %, so every step is 1.5 dB: as fine near silence as anywhere else.
"""

from __future__ import annotations

import math

#: ReplayGain 2.0's reference, what every sound is levelled to and what 100 % plays at the
#: device; a playlist may set its own. Loud enough that the volume, not the levelling, does
#: the attenuating; quiet enough that dynamic music keeps its true peak under -1 dBTP.
DEFAULT_TARGET_LUFS = -18.0
#: Sounds that would play more than this far below the target are named by `check` and
#: `analyse` and marked on the session screen: a gain typo or a near-silent file.
INAUDIBLE_BELOW_TARGET_DB = 20.0
#: How much quieter each percent below 100 % is. 0.3 dB keeps a 5 % key step at 1.5 dB.
DB_PER_PERCENT = 0.3
#: The level of 1 %, the quietest step above silence.
FLOOR_DB = -(100 - 1) * DB_PER_PERCENT
#: A volume key moves the volume by this many percent.
VOLUME_STEP = 5
#: The starting volume of a playlist that sets none, and of `companion play`.
DEFAULT_VOLUME = 85
#: The ceiling of a playlist that sets none.
DEFAULT_CEILING = 95


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


def percent_to_db(percent: float) -> float:
    """The volume percent as a level in dB below unity (-inf for 0 %)."""
    return gain_to_db(percent_to_gain(percent))


def percent_to_gain(percent: float) -> float:
    """Perceptual volume: 0 % is silence, 1..100 % run linearly in dB, 0.3 dB per percent.

    Values outside 0..100 are clamped, so no caller can ask for more than unity gain.
    """
    p = min(100.0, max(0.0, float(percent)))
    if p <= 0.0:
        return 0.0
    if p < 1.0:
        # Between 0 and 1 % fade linearly to silence, so the mapping has no jump below 1 %.
        return p * db_to_gain(FLOOR_DB)
    return db_to_gain((p - 100.0) * DB_PER_PERCENT)


def gain_to_percent(gain: float) -> float:
    """Inverse of percent_to_gain (gains above 1.0 give 100)."""
    if gain <= 0.0:
        return 0.0
    floor = db_to_gain(FLOOR_DB)
    if gain < floor:
        return gain / floor
    return min(100.0, 100.0 + gain_to_db(gain) / DB_PER_PERCENT)
