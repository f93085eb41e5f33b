"""Loudness normalisation: the gain a track plays at, from its measured loudness and the limits.

Pure arithmetic, no I/O: the player (or `companion play`) looks the measurement up in the
loudness cache and asks here what gain to give the track.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from companion.audio.loudness import Loudness

from companion.audio.levels import DEFAULT_TARGET_LUFS  # noqa: F401  (the gain structure's one home)
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


def below_target_db(measured: Loudness | None, decision: GainDecision,
                    target_lufs: float = DEFAULT_TARGET_LUFS) -> float | None:
    """How far below the target a sound plays at full volume (inf: silent; None: unknown).

    A file not analysed yet has an unknown level, but a large cut of its own (a `gain_db`
    typo) is known to make it that much quieter than it is.
    """
    if measured is None:
        return -decision.gain_db if decision.gain_db < 0 else None
    if not math.isfinite(measured.integrated_lufs):
        return math.inf
    return target_lufs - (measured.integrated_lufs + decision.gain_db)


def is_inaudible(below_db: float | None) -> bool:
    """True when a sound plays so far below the target that the sitter would not hear it."""
    from companion.audio.levels import INAUDIBLE_BELOW_TARGET_DB

    return below_db is not None and below_db > INAUDIBLE_BELOW_TARGET_DB


def inaudible_words(measured: Loudness | None, decision: GainDecision, own_gain_db: float,
                    target_lufs: float = DEFAULT_TARGET_LUFS) -> str | None:
    """Why a sound would play too quietly to hear, for `check` and `analyse`; None if it will not."""
    below = below_target_db(measured, decision, target_lufs)
    if not is_inaudible(below):
        return None
    assert below is not None
    if measured is not None and not math.isfinite(measured.integrated_lufs):
        return "is silent: nothing in it can be heard (a blank or damaged file?)"
    if measured is None:
        level = f"its own level {decision.gain_db:+.1f} dB"
    else:
        level = f"{measured.integrated_lufs + decision.gain_db:.1f} LUFS"
    if own_gain_db <= -10:
        cause = f"its gain_db is {own_gain_db:g} (a typo?)"
    else:
        cause = (f"the file itself is near-silent ({measured.integrated_lufs:.1f} LUFS, true peak "
                 f"{measured.true_peak_dbtp:+.1f} dBTP)" if measured is not None
                 else "check its gain_db")
    return (f"would play {below:.1f} dB below the {target_lufs:g} LUFS target, at {level}: "
            f"too quiet to hear; {cause}")
