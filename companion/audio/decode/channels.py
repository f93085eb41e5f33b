"""Channel mapping: any channel count to stereo, without exceeding full scale."""

from __future__ import annotations

import numpy as np

_S = 0.7071  # -3 dB for centre and surrounds

#: Downmix matrices (stereo rows) for the usual WAV/FLAC/Vorbis channel orders; LFE is dropped.
#: Rows are normalised so a signal in every channel at once cannot exceed full scale.
_DOWNMIX = {
    3: [[1, 0, _S], [0, 1, _S]],                                        # L R C
    4: [[1, 0, _S, 0], [0, 1, 0, _S]],                                  # L R BL BR (quad)
    5: [[1, 0, _S, _S, 0], [0, 1, _S, 0, _S]],                          # L R C BL BR
    6: [[1, 0, _S, 0, _S, 0], [0, 1, _S, 0, 0, _S]],                    # L R C LFE BL BR
    7: [[1, 0, _S, 0, _S, 0, _S], [0, 1, _S, 0, _S, _S, 0]],            # L R C LFE BC SL SR
    8: [[1, 0, _S, 0, _S, 0, _S, 0], [0, 1, _S, 0, 0, _S, 0, _S]],      # L R C LFE BL BR SL SR
}


def downmix_matrix(channels: int) -> np.ndarray:
    """A (channels, 2) float32 matrix taking `channels` to stereo (mono is duplicated)."""
    if channels == 1:
        m = np.array([[1.0, 1.0]])
    elif channels == 2:
        m = np.eye(2)
    elif channels in _DOWNMIX:
        m = np.array(_DOWNMIX[channels], dtype=np.float64).T
    else:  # unknown layout: alternate channels left and right
        m = np.zeros((channels, 2))
        m[0::2, 0] = 1.0
        m[1::2, 1] = 1.0
    m = m / np.maximum(1.0, m.sum(axis=0, keepdims=True))
    return m.astype(np.float32)
