"""The endless soundscapes: brown noise, the ocean, the warm pad."""

from __future__ import annotations

import numpy as np

from companion.audio.soundscapes.synth import (HOP, INTERP, KNOT_T, RATE, NoiseBank, Voice, db,
                                               freqs, highpass, lfo, lowpass, seeded, sines, slow)


class BrownNoise(Voice):
    """Brown (1/f^2) noise, kept out of the sub-bass (below 40 Hz) and softened above 2 kHz,
    slowly swelling +/- 3 dB over 20-70 s."""

    LEVEL_DB = -27.0          # RMS at the middle of a swell
    SWELL_DB = 3.0            # +/- around it

    def __init__(self, seed: int) -> None:
        f = freqs()
        shape = np.where(f > 0, 1.0 / np.maximum(f, 1.0), 0.0)
        shape *= highpass(f, 40.0, 2) * lowpass(f, 2000.0, 1)
        self.noise = NoiseBank(seed, 1, [shape], correlation=0.35)
        rng = seeded(seed, 101)
        self.periods = rng.uniform(19.0, 67.0, 3)
        self.phases = rng.uniform(0, 2 * np.pi, 3)

    def chunk(self, k: int) -> np.ndarray:
        (x,) = self.noise.chunk(k)
        gain = slow(self._gain, k)
        return (x * gain).T.astype(np.float32)

    def _gain(self, t: np.ndarray) -> np.ndarray:
        swell_db = np.clip(self.SWELL_DB * 1.6 * lfo(t, self.periods, self.phases),
                           -self.SWELL_DB, self.SWELL_DB)
        return 10.0 ** ((self.LEVEL_DB + swell_db) / 20)


class Ocean(Voice):
    """Waves: a low body and a brighter wash of noise that rise and recede every 7-12 s."""

    LEVEL_DB = -27.5

    def __init__(self, seed: int) -> None:
        f = freqs()
        pink = np.where(f > 0, 1.0 / np.sqrt(np.maximum(f, 1.0)), 0.0)
        body = pink / np.maximum(f, 1.0) ** 0.5 * highpass(f, 40.0) * lowpass(f, 500.0, 2)
        wash = pink * highpass(f, 250.0, 1) * lowpass(f, 3500.0, 2)
        self.noise = NoiseBank(seed, 2, [body, wash], correlation=0.2)
        rng = seeded(seed, 102)
        self.period = rng.uniform(8.5, 10.5)          # mean seconds per wave
        self.fm_period = rng.uniform(45.0, 75.0)      # how the wave length drifts
        self.fm_depth = rng.uniform(0.8, 1.4)
        self.fm_phase = rng.uniform(0, 2 * np.pi)
        self.stereo_lag = rng.uniform(0.03, 0.06)     # waves arrive a little later on one side
        self.level_periods = rng.uniform(90.0, 180.0, 2)
        self.level_phases = rng.uniform(0, 2 * np.pi, 2)

    def _envelope(self, t: np.ndarray) -> np.ndarray:
        phase = t / self.period + self.fm_depth * np.sin(2 * np.pi * t / self.fm_period
                                                          + self.fm_phase)
        u = phase - np.floor(phase)
        # Slow build (60 %), quicker fall: sin^2 of a skewed phase has no corners.
        skew = np.where(u < 0.6, u / 0.6 * 0.5, 0.5 + (u - 0.6) / 0.4 * 0.5)
        return np.sin(np.pi * skew) ** 2

    def chunk(self, k: int) -> np.ndarray:
        body, wash = self.noise.chunk(k)
        out = np.empty((2, HOP), dtype=np.float32)
        for ch, lag in ((0, 0.0), (1, self.stereo_lag * self.period)):
            e = slow(lambda t: self._envelope(t - lag)
                      * (1.0 + 0.25 * lfo(t, self.level_periods, self.level_phases)), k)
            out[ch] = body[ch] * (0.35 + 0.65 * e) + wash[ch] * (0.08 + 0.55 * e * e)
        out *= db(self.LEVEL_DB)
        return out.T.copy()


class WarmPad(Voice):
    """A low just-intonation chord of detuned sine pairs whose partials breathe in and out."""

    # F2 G2 A2 Bb2 C3: low enough to be warm, high enough for small speakers to carry.
    ROOTS = (87.31, 98.00, 110.00, 116.54, 130.81)
    RATIOS = np.array([1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 4.5, 5.0, 6.0])
    AMPS = np.array([1.0, 0.8, 0.6, 0.35, 0.4, 0.22, 0.12, 0.12, 0.08])
    PEAK = db(-10.0)

    def __init__(self, seed: int) -> None:
        rng = seeded(seed, 103)
        root = self.ROOTS[seed % len(self.ROOTS)]
        n = len(self.RATIOS)
        detune = rng.uniform(0.06, 0.22, n)            # Hz: slow beating inside each partial
        base = root * self.RATIOS
        # Left and right hear the pair with the detune mirrored, for width without hard panning.
        self.freqs = np.stack([base - detune / 2, base + detune / 2])         # (2, n)
        self.phase0 = rng.uniform(0, 1, (2, n))
        self.amp_periods = rng.uniform(17.0, 59.0, n)
        self.amp_phases = rng.uniform(0, 2 * np.pi, n)
        depth = np.full(n, 0.6)
        depth[:2] = 0.2                                  # root and fifth stay present
        self.depth = depth
        self.amps = self.AMPS * self.PEAK / (1.3 * self.AMPS.sum())

    def chunk(self, k: int) -> np.ndarray:
        t0 = k * HOP
        knots = (t0 + KNOT_T) / RATE
        breathe = 1.0 - self.depth[:, None] * (0.5 + 0.5 * np.sin(
            2 * np.pi * knots[None, :] / self.amp_periods[:, None] + self.amp_phases[:, None]))
        amp_knots = self.amps[:, None] * breathe
        # Linear interpolation between knots, as a small matrix product: (n, knots) @ (knots, HOP).
        amp = (amp_knots @ INTERP).astype(np.float32)                        # (n, HOP)
        pairs = [np.einsum("nt,nt->t", amp, sines(self.freqs[p], self.phase0[p], t0))
                 for p in (0, 1)]
        out = np.empty((HOP, 2), dtype=np.float32)
        # Each side hears both members of every detuned pair, one louder: width, no hard pan.
        out[:, 0] = 0.8 * pairs[0] + 0.5 * pairs[1]
        out[:, 1] = 0.5 * pairs[0] + 0.8 * pairs[1]
        return out
