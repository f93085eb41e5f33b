"""The one-shot cues: a soft bell, a chime, a singing bowl (struck resonators ending in silence)."""

from __future__ import annotations

import numpy as np

from companion.audio.soundscapes.synth import HOP, RATE, Voice, db, seeded, sines, smooth_fade


class Struck(Voice):
    """A struck or rubbed resonator: decaying partials with a soft attack, ending in silence."""

    def __init__(self, seed: int, f0s: tuple[float, ...], ratios: list[float], amps: list[float],
                 decays: list[float], seconds: float, attack_s: float, beat_hz: float,
                 peak_db: float = -12.0) -> None:
        rng = seeded(seed, 104)
        f0 = f0s[seed % len(f0s)]
        self.frames = int(seconds * RATE)
        self.attack = attack_s
        self.seconds = seconds
        r = np.array(ratios) * f0
        # Each mode is a slightly split pair (real bells and bowls beat); mirrored in stereo.
        beat = beat_hz * rng.uniform(0.7, 1.3, len(r))
        self.freqs = np.stack([r - beat / 2, r + beat / 2])
        self.amps = np.array(amps) / np.sum(amps) * db(peak_db) * 2.0
        self.decays = np.array(decays)
        self.phase0 = rng.uniform(0, 1, (2, len(r)))

    def chunk(self, k: int) -> np.ndarray:
        out = np.zeros((HOP, 2), dtype=np.float32)
        start = k * HOP
        n = min(HOP, self.frames - start)
        if n <= 0:
            return out
        t = ((start + np.arange(n)) / RATE).astype(np.float32)
        env = np.exp(-t[None, :] / self.decays[:, None].astype(np.float32))
        env *= (self.amps * 0.5).astype(np.float32)[:, None]
        shape = smooth_fade(t / self.attack) * smooth_fade((self.seconds - t)
                                                             / min(0.5, self.seconds / 4))
        pairs = [np.einsum("nt,nt->t", env, sines(self.freqs[p], self.phase0[p], start, n))
                 for p in (0, 1)]
        out[:n, 0] = (0.8 * pairs[0] + 0.5 * pairs[1]) * shape
        out[:n, 1] = (0.5 * pairs[0] + 0.8 * pairs[1]) * shape
        return out


def soft_bell(seed: int) -> Voice:
    return Struck(seed, (523.25, 587.33, 659.25, 493.88), [0.5, 1.0, 1.2, 1.5, 2.0, 2.51],
                   [0.45, 1.0, 0.3, 0.25, 0.18, 0.06], [2.6, 1.9, 1.1, 0.9, 0.6, 0.35],
                   seconds=4.0, attack_s=0.012, beat_hz=0.8)


def chime(seed: int) -> Voice:
    return Struck(seed, (880.0, 987.77, 783.99, 1046.5), [1.0, 2.756, 5.404],
                   [1.0, 0.22, 0.03], [1.3, 0.45, 0.2],
                   seconds=3.5, attack_s=0.006, beat_hz=0.5)


def bowl(seed: int) -> Voice:
    return Struck(seed, (220.0, 196.0, 246.94, 174.61), [1.0, 2.71, 5.15, 8.1],
                   [1.0, 0.45, 0.14, 0.04], [3.2, 2.0, 1.1, 0.6],
                   seconds=6.0, attack_s=0.06, beat_hz=1.2)
