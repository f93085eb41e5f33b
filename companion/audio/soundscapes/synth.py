"""What the built-ins are made from: seeded noise banks, spectral shapes, slow envelopes, sines."""

from __future__ import annotations

import numpy as np

RATE = 48000
#: Frames rendered per internal chunk (noise frames are twice this, overlapped by half).
HOP = 4096


def db(level_db: float) -> float:
    """A level in dB as a linear gain."""
    return 10.0 ** (level_db / 20.0)


def smooth_fade(x: np.ndarray) -> np.ndarray:
    """Raised-cosine 0..1 for x in 0..1 (no corner at either end)."""
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0.0, 1.0))


def seeded(seed: int, *tags: int) -> np.random.Generator:
    """A generator for this seed and these tags (the same sound for the same seed)."""
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, *tags])


class Voice:
    """Renders chunk k (HOP frames, float32 stereo) of one built-in for one seed."""

    frames: int | None = None   # natural length; None: endless

    def chunk(self, k: int) -> np.ndarray:
        raise NotImplementedError


class NoiseBank:
    """Stationary stereo noise with a chosen spectrum, by overlap-adding windowed IFFT frames.

    Frame k is generated from its own seeded generator, so any chunk can be rendered
    directly (seeking costs nothing) and the result never depends on read sizes.
    """

    def __init__(self, seed: int, tag: int, shapes: list[np.ndarray], correlation: float) -> None:
        self.seed, self.tag = seed, tag
        n = 2 * HOP
        self.window = np.sin(np.pi * (np.arange(n) + 0.5) / n).astype(np.float32)
        # Normalise each shape to unit output variance (var = 4 sum|H|^2 / n^2 per frame);
        # float32 throughout, so NumPy's FFT runs in single precision (about twice as fast).
        self.shapes = [(h / np.sqrt(4.0 * np.sum(h * h) / n ** 2)).astype(np.float32)
                       for h in shapes]
        self.mix = (correlation, np.sqrt(1.0 - correlation * correlation))
        self._cache: dict[int, list[np.ndarray]] = {}

    def _frame(self, j: int) -> list[np.ndarray]:
        """Windowed noise frame j for each shape: arrays (2, 2*HOP)."""
        hit = self._cache.get(j)
        if hit is not None:
            return hit
        rng = seeded(self.seed, self.tag, j + 1)
        # Uniform real and imaginary parts (variance 1 after scaling): every output sample sums
        # thousands of bins, so it is Gaussian anyway, and uniform draws cost a quarter.
        z = rng.random((2, 2, HOP + 1), dtype=np.float32)
        z -= 0.5
        z *= np.float32(np.sqrt(12.0))
        spec = z[:, 0] + 1j * z[:, 1]                 # left, right (independent)
        c, s = self.mix
        lr = np.stack((spec[0], c * spec[0] + s * spec[1]))
        frames = [np.fft.irfft(lr * h, 2 * HOP, axis=1) * self.window for h in self.shapes]
        self._cache = {j: frames, **{k: v for k, v in self._cache.items() if k == j - 1}}
        return frames

    def chunk(self, k: int) -> list[np.ndarray]:
        """Chunk k for each shape: (2, HOP) float64, the overlap of frames k-1 and k."""
        prev, cur = self._frame(k - 1), self._frame(k)
        return [p[:, HOP:] + q[:, :HOP] for p, q in zip(prev, cur)]


def freqs() -> np.ndarray:
    return np.fft.rfftfreq(2 * HOP, 1.0 / RATE)


def highpass(f: np.ndarray, fc: float, order: int = 2) -> np.ndarray:
    r = (f / fc) ** order
    return r / np.sqrt(1.0 + r * r)


def lowpass(f: np.ndarray, fc: float, order: int = 2) -> np.ndarray:
    return 1.0 / np.sqrt(1.0 + (f / fc) ** (2 * order))


def lfo(t: np.ndarray, periods: np.ndarray, phases: np.ndarray) -> np.ndarray:
    """Mean of slow sines (values in -1..1), one per period, evaluated at times t (seconds)."""
    return np.mean(np.sin(2 * np.pi * t[None, :] / periods[:, None] + phases[:, None]), axis=0)


#: Slow envelopes are computed every KNOT frames and interpolated (they change over seconds).
KNOT = 256
KNOT_T = np.arange(0, HOP + 1, KNOT)
ALL_T = np.arange(HOP)


def slow(fn, k: int) -> np.ndarray:
    """fn(t seconds) for every frame of chunk k, evaluated at knots and linearly interpolated."""
    knots = fn((k * HOP + KNOT_T) / RATE)
    return np.interp(ALL_T, KNOT_T, knots).astype(np.float32)


INTERP = np.maximum(0.0, 1.0 - np.abs(ALL_T[None, :] - KNOT_T[:, None]) / KNOT)


def sines(freqs: np.ndarray, phase0: np.ndarray, t0: int, n: int = HOP) -> np.ndarray:
    """sin(2 pi (f t + phase0)) for each frequency over n frames from frame t0, (len(f), n) float32.

    The phase at t0 is reduced to one cycle in float64 (exact enough after hours), the rest
    runs in float32, whose sin is about ten times faster here.
    """
    start = ((freqs * (t0 / RATE)) % 1.0 + phase0) % 1.0
    step = (freqs / RATE).astype(np.float32)
    ph = np.arange(n, dtype=np.float32)[None, :] * step[:, None]
    ph += start.astype(np.float32)[:, None]
    ph *= np.float32(2 * np.pi)
    return np.sin(ph, out=ph)
