"""True peak per ITU-R BS.1770-4 Annex 2: 4x oversampling with the polyphase FIR, block by block.

The last 11 input samples of each block are carried into the next, so block edges leave no
trace; the peak is interpolated only where a bound says it could beat the largest value so
far, which keeps it exact at a fraction of the cost of interpolating everything.
"""

from __future__ import annotations

import numpy as np

# BS.1770-4 Annex 2, table: the 4x interpolation filter, 12 taps per phase (phases 2 and 3
# mirror 1 and 0). Row p gives y[4n + p] = sum_k TP_TAPS[p, k] * x[n - k].
_TP_PHASE0 = (0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000,
              -0.0594482421875, 0.1373291015625, 0.9721679687500, -0.1022949218750,
              0.0476074218750, -0.0266113281250, 0.0148925781250, -0.0083007812500)
_TP_PHASE1 = (-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250,
              -0.1665039062500, 0.4650878906250, 0.7797851562500, -0.2003173828125,
              0.1015625000000, -0.0582275390625, 0.0330810546875, -0.0189208984375)
TP_TAPS = np.array([_TP_PHASE0, _TP_PHASE1, _TP_PHASE1[::-1], _TP_PHASE0[::-1]],
                   dtype=np.float32)
_TP_HISTORY = TP_TAPS.shape[1] - 1
#: No interpolated value can exceed the largest |x| in its window times this (sum of |taps|).
_TP_BOUND = float(np.abs(TP_TAPS).sum(axis=1).max())
#: The largest sum of the two central taps' magnitudes, and of the other ten, over the phases.
_TP_CENTRE = float(np.abs(TP_TAPS[:, 5:7]).sum(axis=1).max())
_TP_REST = float((np.abs(TP_TAPS).sum(axis=1) - np.abs(TP_TAPS[:, 5:7]).sum(axis=1)).max())
#: Outputs per group for the coarse bound (a power of two).
_TP_GROUP = 16
_GROUP_OFFSETS = np.arange(_TP_GROUP)
_TAP_OFFSETS = np.arange(_TP_HISTORY + 1)
#: Above 1/_TP_DENSE of the outputs as candidates (steady tones, loud masters), interpolating
#: everything in place is cheaper than gathering windows (12 times the data).
_TP_DENSE = 8
#: Outputs per matrix product in the dense interpolation (bounds its temporary copy).
_TP_PIECE = 16384
#: (12, 4): a window of x[n - 11] .. x[n] (oldest first) times this gives the 4 phases.
_TP_MATRIX = np.ascontiguousarray(TP_TAPS[:, ::-1].T)


class TruePeak:
    """The largest interpolated |value| of a stream of (channels, n) float32 blocks."""

    def __init__(self, channels: int) -> None:
        self.channels = channels
        self.peak = 0.0
        self.history = np.zeros((channels, _TP_HISTORY), dtype=np.float32)

    def add(self, x: np.ndarray, floor: float) -> None:
        """Interpolate 4x (Annex 2 FIR) wherever that could beat the largest |value| so far.

        Interpolating everything costs 48 multiply-adds per sample and channel, three times
        the rest of the meter. Instead, bounds that cannot underestimate decide where to look:
        per group of outputs, the sum of |taps| times the largest sample the group reads; then
        per output, the two central taps times the larger central sample plus the other taps
        times that largest sample. The FIR runs only where a bound beats the peak found so far
        (reported peaks are never below the sample peak), so the result is exact.
        """
        n = x.shape[1]
        buf = np.concatenate((self.history, x), axis=1)      # x[i] at column i + 11
        self.history = buf[:, -_TP_HISTORY:].copy()
        best = max(self.peak, floor)
        mag = np.abs(buf)
        # Group maxima of |buf|, plus one empty group so every output group has a successor.
        groups = -(-buf.shape[1] // _TP_GROUP) + 1
        group_max = np.zeros((self.channels, groups * _TP_GROUP), dtype=np.float32)
        group_max[:, :buf.shape[1]] = mag
        while group_max.shape[1] > groups:     # pairwise halving: numpy's max over a short
            pairs = group_max.reshape(self.channels, -1, 2)      # axis is 20 times slower
            group_max = np.maximum(pairs[:, :, 0], pairs[:, :, 1])
        # Outputs 16g .. 16g + 15 read columns 16g .. 16g + 26: groups g and g + 1.
        reach = np.maximum(group_max[:, :-1], group_max[:, 1:])
        for c in range(self.channels):
            near = np.flatnonzero(reach[c] * _TP_BOUND > best)
            if len(near) > len(reach[c]) // _TP_DENSE:
                best = max(best, _interpolated_peak(buf[c], n))
                continue
            if not len(near):
                continue
            at = (near[:, None] * _TP_GROUP + _GROUP_OFFSETS).ravel()
            at = at[at < n]
            centre = np.maximum(mag[c, at + 5], mag[c, at + 6])
            room = reach[c, at // _TP_GROUP]
            at = at[_TP_CENTRE * centre + _TP_REST * room > best]
            if len(at):
                y = buf[c][at[:, None] + _TAP_OFFSETS] @ _TP_MATRIX
                best = max(best, float(y.max()), float(-y.min()))
        self.peak = best

    def flushed(self, floor: float) -> float:
        """The peak with the filter's ringing after the last sample (the stream continuing in
        silence), leaving the state as it was: more blocks may follow."""
        history, found = self.history, self.peak
        self.add(np.zeros((self.channels, _TP_HISTORY), dtype=np.float32), floor)
        peak = self.peak
        self.history, self.peak = history, found
        return peak


def _interpolated_peak(row: np.ndarray, n: int) -> float:
    """Largest |value| of all 4 phases for outputs 0..n-1; row[i + 11] holds x[i]."""
    best = 0.0
    windows = np.lib.stride_tricks.as_strided(row, (n, _TP_HISTORY + 1),
                                              (row.strides[0], row.strides[0]),
                                              writeable=False)
    for a in range(0, n, _TP_PIECE):
        y = windows[a:a + _TP_PIECE] @ _TP_MATRIX            # (piece, 4): every phase at once
        best = max(best, float(y.max()), float(-y.min()))
    return best
