"""The soft clip guard: output never reaches full scale, and below -1 dBFS nothing changes."""

from __future__ import annotations

import numpy as np

#: The soft clip guard is transparent below this level (-1 dBFS)...
CLIP_KNEE = 0.891
#: ...and bends louder samples smoothly (tanh) towards this limit, never reaching it (-0.09 dBFS).
CLIP_LIMIT = 0.99


def soft_clip(out: np.ndarray, a: np.ndarray) -> None:
    """Bend `out` in place: transparent below CLIP_KNEE, approaches but never passes CLIP_LIMIT.

    `a`: scratch of `out`'s shape (reused, so the callback allocates nothing below the knee).
    """
    np.abs(out, out=a)
    peak = a.max()
    if peak <= CLIP_KNEE:
        return
    if not np.isfinite(peak):
        # NaN compares False with everything, so it would pass the knee below untouched:
        # NaN and Inf become silence. Only a non-finite peak gets here, so this costs nothing.
        np.nan_to_num(out, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
        np.abs(out, out=a)
        if a.max() <= CLIP_KNEE:
            return
    over = a > CLIP_KNEE
    room = CLIP_LIMIT - CLIP_KNEE
    soft = CLIP_KNEE + room * np.tanh((a[over] - CLIP_KNEE) / room)
    out[over] = np.copysign(soft, out[over]).astype(np.float32)
