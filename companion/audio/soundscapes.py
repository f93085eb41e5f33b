"""Built-in procedural sounds: endless soundscapes and one-shot cues, deterministic per seed.

All are rendered in blocks with vectorised NumPy (no per-sample Python), float32 stereo at
48 kHz, at moderate levels (peaks about -12 dBFS, RMS about -24 dBFS for soundscapes) with no
hard edges: soundscapes fade in from silence over their first second, cues have a soft attack
and a long decay that ends in true silence.
"""

from __future__ import annotations

import numpy as np

from companion.errors import AudioError

RATE = 48000
#: One-shot cue sounds (finite, a few seconds).
CUE_NAMES: tuple[str, ...] = ("soft-bell", "chime", "bowl")
#: Endless soundscapes (played until stopped, or for `seconds`).
SOUNDSCAPE_NAMES: tuple[str, ...] = ("brown-noise", "warm-pad", "ocean")


def names() -> tuple[str, ...]:
    """All built-in names: soundscapes first, then cues."""
    return SOUNDSCAPE_NAMES + CUE_NAMES


def is_cue(name: str) -> bool:
    """Whether `name` is a one-shot cue sound."""
    return name in CUE_NAMES


_DESCRIPTIONS = {
    "brown-noise": "soft brown noise with slow swells (endless)",
    "warm-pad": "warm low drone of slowly breathing consonant tones (endless)",
    "ocean": "slow waves of filtered noise rising and receding (endless)",
    "soft-bell": "a soft bell strike with a long gentle decay (cue, about 4 s)",
    "chime": "a light chime with a gentle decay (cue, about 3.5 s)",
    "bowl": "a low singing bowl with a slow swell and long decay (cue, about 6 s)",
}

#: Frames rendered per internal chunk (noise frames are twice this, overlapped by half).
HOP = 4096
#: Soundscapes always start with this fade from silence, whatever the caller's fade.
START_FADE_S = 1.0
#: A soundscape given a length fades out over its last END_FADE_S seconds.
END_FADE_S = 2.0


def describe(name: str) -> str:
    """A one-line description of a built-in, for `companion check` and the UI."""
    try:
        return _DESCRIPTIONS[name]
    except KeyError:
        raise AudioError(_unknown(name)) from None


def _unknown(name: str) -> str:
    return f"unknown built-in sound {name!r}; choose one of: {', '.join(names())}"


def _db(db: float) -> float:
    return 10.0 ** (db / 20.0)


def _smooth_fade(x: np.ndarray) -> np.ndarray:
    """Raised-cosine 0..1 for x in 0..1 (no corner at either end)."""
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0.0, 1.0))


def _seeded(seed: int, *tags: int) -> np.random.Generator:
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, *tags])


# -- the Source wrapper -------------------------------------------------------------------

class Builtin:
    """A built-in sound as a Source: read(frames) -> (n, 2) float32 at 48 kHz.

    Rendering happens in chunks of HOP frames (deterministic per seed and chunk index, so the
    result does not depend on how callers slice their reads).
    """

    rate: int = RATE

    def __init__(self, name: str, voice: "_Voice", seconds: float | None, start_at_s: float,
                 loop: bool) -> None:
        self.name = name
        self._voice = voice
        self.frames_read = 0
        self._start = int(round(max(0.0, start_at_s) * RATE))
        natural = voice.frames
        if natural is not None and not loop:
            avail = max(0, natural - self._start) if natural else 0
            total = avail if seconds is None else min(avail, int(round(seconds * RATE)))
        else:
            total = None if seconds is None else int(round(seconds * RATE))
        self._total = total
        self.seconds: float | None = None if total is None else total / RATE
        self._loop_len = natural if loop and natural else None
        self._cut = natural is None or (total is not None and total < (natural or 0) - self._start)
        self._buf = np.zeros((0, 2), dtype=np.float32)
        self._buf_at = 0            # absolute (voice-time) frame of _buf[0]
        self._closed = False

    def _chunk_at(self, t: int) -> None:
        k = t // HOP
        self._buf = self._voice.chunk(k)
        self._buf_at = k * HOP

    def read(self, frames: int) -> np.ndarray:
        """The next `frames` frames (fewer only at the end of a cue or of `seconds`)."""
        if self._closed:
            return np.zeros((0, 2), dtype=np.float32)
        if self._total is not None:
            frames = max(0, min(frames, self._total - self.frames_read))
        out = np.empty((frames, 2), dtype=np.float32)
        done = 0
        while done < frames:
            t = self._start + self.frames_read + done
            if self._loop_len:
                t %= self._loop_len
            if not self._buf_at <= t < self._buf_at + len(self._buf):
                self._chunk_at(t)
            i = t - self._buf_at
            k = min(frames - done, len(self._buf) - i)
            if self._loop_len:
                k = min(k, self._loop_len - t)
            out[done:done + k] = self._buf[i:i + k]
            done += k
        self._envelope(out)
        self.frames_read += frames
        return out

    def _envelope(self, out: np.ndarray) -> None:
        """Soft start for endless sounds, soft end wherever a length cuts a sound short."""
        n = len(out)
        pos = self.frames_read
        if self._voice.frames is None or self._start > 0:
            fade = int(START_FADE_S * RATE)
            if pos < fade:
                k = min(n, fade - pos)
                out[:k] *= _smooth_fade((pos + np.arange(k)) / fade)[:, None]
        if self._total is not None and self._cut:
            fade = min(int(END_FADE_S * RATE), self._total // 3)
            begin = self._total - fade
            if pos + n > begin and fade > 0:
                j = max(0, begin - pos)
                x = (pos + np.arange(j, n) - begin) / fade
                out[j:] *= _smooth_fade(1.0 - x)[:, None]

    def close(self) -> None:
        """Nothing to release; later reads return no frames."""
        self._closed = True


def open_builtin(name: str, seed: int = 0, seconds: float | None = None,
                 start_at_s: float = 0.0, loop: bool = False) -> Builtin:
    """A Source for built-in `name` (raises AudioError for an unknown name).

    seconds: length for a soundscape (None: endless; when given, the last 2 s fade out to
    silence); for a cue, its natural length unless shorter (then it fades out).
    loop: repeat a cue seamlessly (soundscapes are endless anyway).
    Soundscapes always fade in from silence over their first second.
    """
    factory = _VOICES.get(name)
    if factory is None:
        raise AudioError(_unknown(name))
    return Builtin(name, factory(int(seed)), seconds, start_at_s, loop)


# -- shared pieces --------------------------------------------------------------------------

class _Voice:
    """Renders chunk k (HOP frames, float32 stereo) of one built-in for one seed."""

    frames: int | None = None   # natural length; None: endless

    def chunk(self, k: int) -> np.ndarray:
        raise NotImplementedError


class _NoiseBank:
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
        rng = _seeded(self.seed, self.tag, j + 1)
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


def _freqs() -> np.ndarray:
    return np.fft.rfftfreq(2 * HOP, 1.0 / RATE)


def _highpass(f: np.ndarray, fc: float, order: int = 2) -> np.ndarray:
    r = (f / fc) ** order
    return r / np.sqrt(1.0 + r * r)


def _lowpass(f: np.ndarray, fc: float, order: int = 2) -> np.ndarray:
    return 1.0 / np.sqrt(1.0 + (f / fc) ** (2 * order))


def _lfo(t: np.ndarray, periods: np.ndarray, phases: np.ndarray) -> np.ndarray:
    """Mean of slow sines (values in -1..1), one per period, evaluated at times t (seconds)."""
    return np.mean(np.sin(2 * np.pi * t[None, :] / periods[:, None] + phases[:, None]), axis=0)


#: Slow envelopes are computed every KNOT frames and interpolated (they change over seconds).
KNOT = 256
_KNOT_T = np.arange(0, HOP + 1, KNOT)
_ALL_T = np.arange(HOP)


def _slow(fn, k: int) -> np.ndarray:
    """fn(t seconds) for every frame of chunk k, evaluated at knots and linearly interpolated."""
    knots = fn((k * HOP + _KNOT_T) / RATE)
    return np.interp(_ALL_T, _KNOT_T, knots).astype(np.float32)


# -- soundscapes ----------------------------------------------------------------------------

class _BrownNoise(_Voice):
    """Brown (1/f^2) noise, kept out of the sub-bass (below 40 Hz) and softened above 2 kHz,
    slowly swelling +/- 3 dB over 20-70 s."""

    LEVEL_DB = -27.0          # RMS at the middle of a swell
    SWELL_DB = 3.0            # +/- around it

    def __init__(self, seed: int) -> None:
        f = _freqs()
        shape = np.where(f > 0, 1.0 / np.maximum(f, 1.0), 0.0)
        shape *= _highpass(f, 40.0, 2) * _lowpass(f, 2000.0, 1)
        self.noise = _NoiseBank(seed, 1, [shape], correlation=0.35)
        rng = _seeded(seed, 101)
        self.periods = rng.uniform(19.0, 67.0, 3)
        self.phases = rng.uniform(0, 2 * np.pi, 3)

    def chunk(self, k: int) -> np.ndarray:
        (x,) = self.noise.chunk(k)
        gain = _slow(self._gain, k)
        return (x * gain).T.astype(np.float32)

    def _gain(self, t: np.ndarray) -> np.ndarray:
        swell_db = np.clip(self.SWELL_DB * 1.6 * _lfo(t, self.periods, self.phases),
                           -self.SWELL_DB, self.SWELL_DB)
        return 10.0 ** ((self.LEVEL_DB + swell_db) / 20)


class _Ocean(_Voice):
    """Waves: a low body and a brighter wash of noise that rise and recede every 7-12 s."""

    LEVEL_DB = -27.5

    def __init__(self, seed: int) -> None:
        f = _freqs()
        pink = np.where(f > 0, 1.0 / np.sqrt(np.maximum(f, 1.0)), 0.0)
        body = pink / np.maximum(f, 1.0) ** 0.5 * _highpass(f, 40.0) * _lowpass(f, 500.0, 2)
        wash = pink * _highpass(f, 250.0, 1) * _lowpass(f, 3500.0, 2)
        self.noise = _NoiseBank(seed, 2, [body, wash], correlation=0.2)
        rng = _seeded(seed, 102)
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
            e = _slow(lambda t: self._envelope(t - lag)
                      * (1.0 + 0.25 * _lfo(t, self.level_periods, self.level_phases)), k)
            out[ch] = body[ch] * (0.35 + 0.65 * e) + wash[ch] * (0.08 + 0.55 * e * e)
        out *= _db(self.LEVEL_DB)
        return out.T.copy()


class _WarmPad(_Voice):
    """A low just-intonation chord of detuned sine pairs whose partials breathe in and out."""

    # F2 G2 A2 Bb2 C3: low enough to be warm, high enough for small speakers to carry.
    ROOTS = (87.31, 98.00, 110.00, 116.54, 130.81)
    RATIOS = np.array([1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 4.5, 5.0, 6.0])
    AMPS = np.array([1.0, 0.8, 0.6, 0.35, 0.4, 0.22, 0.12, 0.12, 0.08])
    PEAK = _db(-10.0)

    def __init__(self, seed: int) -> None:
        rng = _seeded(seed, 103)
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
        knots = (t0 + _KNOT_T) / RATE
        breathe = 1.0 - self.depth[:, None] * (0.5 + 0.5 * np.sin(
            2 * np.pi * knots[None, :] / self.amp_periods[:, None] + self.amp_phases[:, None]))
        amp_knots = self.amps[:, None] * breathe
        # Linear interpolation between knots, as a small matrix product: (n, knots) @ (knots, HOP).
        amp = (amp_knots @ _INTERP).astype(np.float32)                        # (n, HOP)
        pairs = [np.einsum("nt,nt->t", amp, _sines(self.freqs[p], self.phase0[p], t0))
                 for p in (0, 1)]
        out = np.empty((HOP, 2), dtype=np.float32)
        # Each side hears both members of every detuned pair, one louder: width, no hard pan.
        out[:, 0] = 0.8 * pairs[0] + 0.5 * pairs[1]
        out[:, 1] = 0.5 * pairs[0] + 0.8 * pairs[1]
        return out


_INTERP = np.maximum(0.0, 1.0 - np.abs(_ALL_T[None, :] - _KNOT_T[:, None]) / KNOT)


def _sines(freqs: np.ndarray, phase0: np.ndarray, t0: int, n: int = HOP) -> np.ndarray:
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


# -- cues -----------------------------------------------------------------------------------

class _Struck(_Voice):
    """A struck or rubbed resonator: decaying partials with a soft attack, ending in silence."""

    def __init__(self, seed: int, f0s: tuple[float, ...], ratios: list[float], amps: list[float],
                 decays: list[float], seconds: float, attack_s: float, beat_hz: float,
                 peak_db: float = -12.0) -> None:
        rng = _seeded(seed, 104)
        f0 = f0s[seed % len(f0s)]
        self.frames = int(seconds * RATE)
        self.attack = attack_s
        self.seconds = seconds
        r = np.array(ratios) * f0
        # Each mode is a slightly split pair (real bells and bowls beat); mirrored in stereo.
        beat = beat_hz * rng.uniform(0.7, 1.3, len(r))
        self.freqs = np.stack([r - beat / 2, r + beat / 2])
        self.amps = np.array(amps) / np.sum(amps) * _db(peak_db) * 2.0
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
        shape = _smooth_fade(t / self.attack) * _smooth_fade((self.seconds - t)
                                                             / min(0.5, self.seconds / 4))
        pairs = [np.einsum("nt,nt->t", env, _sines(self.freqs[p], self.phase0[p], start, n))
                 for p in (0, 1)]
        out[:n, 0] = (0.8 * pairs[0] + 0.5 * pairs[1]) * shape
        out[:n, 1] = (0.5 * pairs[0] + 0.8 * pairs[1]) * shape
        return out


def _soft_bell(seed: int) -> _Voice:
    return _Struck(seed, (523.25, 587.33, 659.25, 493.88), [0.5, 1.0, 1.2, 1.5, 2.0, 2.51],
                   [0.45, 1.0, 0.3, 0.25, 0.18, 0.06], [2.6, 1.9, 1.1, 0.9, 0.6, 0.35],
                   seconds=4.0, attack_s=0.012, beat_hz=0.8)


def _chime(seed: int) -> _Voice:
    return _Struck(seed, (880.0, 987.77, 783.99, 1046.5), [1.0, 2.756, 5.404],
                   [1.0, 0.22, 0.03], [1.3, 0.45, 0.2],
                   seconds=3.5, attack_s=0.006, beat_hz=0.5)


def _bowl(seed: int) -> _Voice:
    return _Struck(seed, (220.0, 196.0, 246.94, 174.61), [1.0, 2.71, 5.15, 8.1],
                   [1.0, 0.45, 0.14, 0.04], [3.2, 2.0, 1.1, 0.6],
                   seconds=6.0, attack_s=0.06, beat_hz=1.2)


_VOICES = {
    "brown-noise": _BrownNoise,
    "warm-pad": _WarmPad,
    "ocean": _Ocean,
    "soft-bell": _soft_bell,
    "chime": _chime,
    "bowl": _bowl,
}
