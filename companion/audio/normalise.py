"""Loudness normalisation: the gain a track plays at, from its measured loudness and the limits.

Pure arithmetic, no I/O: the player (or `companion play`) looks the measurement up in the
loudness cache and asks here what gain to give the track.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from companion.audio.loudness import Loudness

#: EBU R128's programme target; a playlist may set its own.
DEFAULT_TARGET_LUFS = -23.0
#: The highest true peak a normalised track may reach (EBU R128's maximum permitted level).
DEFAULT_MAX_TRUE_PEAK_DBTP = -1.0

LimitedBy = Literal["true_peak", "ceiling"]


@dataclass(frozen=True)
class GainDecision:
    """The gain for one track and whether a limit held it below what loudness asked for."""

    gain_db: float
    """The gain to play the track at (normalisation plus the track's own gain, after limits)."""
    limited_by: LimitedBy | None
    """None: the full wanted gain; "true_peak" or "ceiling": held down by that limit."""
    wanted_db: float
    """What target - integrated loudness + the track's gain asked for."""

    @property
    def shortfall_db(self) -> float:
        """How far below the target the track plays (0 when not limited)."""
        return self.wanted_db - self.gain_db


def track_gain_db(measured: Loudness | None, target_lufs: float = DEFAULT_TARGET_LUFS,
                  track_gain_db: float = 0.0, ceiling_gain: float = 1.0,
                  max_true_peak_dbtp: float = DEFAULT_MAX_TRUE_PEAK_DBTP) -> GainDecision:
    """The gain for a track: target - its loudness + its own gain, within the peak limits.

    The gained track's true peak may reach neither `max_true_peak_dbtp` nor the level of
    `ceiling_gain` (linear; 1.0 is 0 dBFS, so by default only the true-peak limit binds). Pass
    the volume ceiling here only where the gain is not followed by a master gain held under
    that ceiling (the mixer does that already). A track not measured yet, or silent, plays at
    its own gain: nothing is known that could justify more.
    """
    own = float(track_gain_db)
    if measured is None or not math.isfinite(measured.integrated_lufs):
        return GainDecision(own, None, own)
    wanted = target_lufs - measured.integrated_lufs + own
    if not math.isfinite(measured.true_peak_dbtp):
        return GainDecision(wanted, None, wanted)
    ceiling_db = 20.0 * math.log10(ceiling_gain) if ceiling_gain > 0.0 else -math.inf
    limits: list[tuple[float, LimitedBy]] = [
        (max_true_peak_dbtp - measured.true_peak_dbtp, "true_peak"),
        (ceiling_db - measured.true_peak_dbtp, "ceiling"),
    ]
    allowed, which = min(limits, key=lambda item: item[0])
    if wanted <= allowed:
        return GainDecision(wanted, None, wanted)
    return GainDecision(allowed, which, wanted)


def describe(measured: Loudness | None, decision: GainDecision,
             target_lufs: float = DEFAULT_TARGET_LUFS) -> str | None:
    """A line for `companion check` when a track will not reach the target, else None."""
    if measured is None:
        return "not analysed yet: plays at its own level (run `companion analyse` on the playlist)"
    if not math.isfinite(measured.integrated_lufs):
        return "is silent: its loudness cannot be measured"
    if decision.limited_by is None:
        return None
    limit = (f"{DEFAULT_MAX_TRUE_PEAK_DBTP:g} dBTP" if decision.limited_by == "true_peak"
             else "the volume ceiling")
    return (f"plays {decision.shortfall_db:.1f} dB below {target_lufs:g} LUFS: it measures "
            f"{measured.integrated_lufs:.1f} LUFS with a true peak of "
            f"{measured.true_peak_dbtp:+.1f} dBTP, and more gain would take that peak past {limit}")
