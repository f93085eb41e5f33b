"""Loudness measurement per ITU-R BS.1770-4 / EBU R128, streamed: LUFS, LRA, sample and true peak.

The meter takes blocks of any size and keeps only per-100 ms energies (36,000 floats for an
hour), so memory does not grow with the track beyond that. It measures what Companion plays:
the 48 kHz stereo stream from `decode.open_source` (after channel mapping and resampling).
That is where the gain is applied, so it is the signal whose level matters; the K-weighting
filters are the bilinear transform of BS.1770's analogue prototype, which gives the
Recommendation's published coefficients at 48 kHz exactly, and the true-peak interpolator
of BS.1770-4 Annex 2 is specified for 48 kHz input (4x gives 192 kHz).

- K-weighting: the two biquads, combined, run through float64 `scipy.signal.lfilter` whose
  state (`zi`) is carried from block to block, so block edges leave no trace.
- Integrated loudness: 400 ms blocks every 100 ms (75 % overlap), absolute gate -70 LUFS,
  relative gate -10 LU (BS.1770-4 section 2.8).
- Loudness range (EBU Tech 3342, 2016): 3 s short-term loudness every 100 ms (the 2016
  revision asks for at least 10 Hz), absolute gate -70 LUFS, relative gate -20 LU, then the
  95th minus the 10th percentile.
- True peak: 4x oversampling with the Annex 2 polyphase FIR (4 phases x 12 taps), the last
  11 input samples of each block carried into the next; reported as at least the sample peak.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from companion.audio.true_peak import TruePeak

RATE = 48000
#: Energy is kept per segment of this many seconds: the hop of both block kinds.
SEGMENT_S = 0.1
#: Gating block (momentary loudness) in segments: 400 ms.
GATE_SEGMENTS = 4
#: Short-term loudness window in segments: 3 s.
SHORT_TERM_SEGMENTS = 30
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
LRA_RELATIVE_GATE_LU = -20.0
LRA_PERCENTILES = (10.0, 95.0)
#: Frames asked of a source per read while measuring.
READ_FRAMES = 65536
#: Seconds of a built-in soundscape measured, after skipping its fade-in.
BUILTIN_SECONDS = 60.0
BUILTIN_SKIP_S = 2.0
#: Each built-in as measure_builtin finds it over seeds 0-11: the mean integrated loudness
#: (LUFS) and the highest sample and true peaks (dBFS, dBTP). Until `companion analyse` has
#: measured a playlist's own seed, a session levels the built-in by these, so it never
#: measures while it plays (0.5 s of work and SciPy's 1 s import). Seeds differ: ocean by
#: -2.2/+1.6 LU, chime by -2.4/+3.2 LU (its pitches are drawn from the seed), the rest by
#: under 0.7 LU. tests/audio/test_loudness.py measures them again.
BUILTIN_TYPICAL = {
    "brown-noise": (-26.6, -9.9, -9.9),
    "warm-pad": (-23.1, -13.5, -13.5),
    "ocean": (-27.3, -9.6, -9.6),
    "soft-bell": (-25.2, -11.4, -11.4),
    "chime": (-20.9, -10.3, -10.3),
    "bowl": (-22.7, -10.5, -10.5),
}

@dataclass(frozen=True)
class Loudness:
    """The measured level of one sound (silence gives -inf loudness and peaks)."""

    integrated_lufs: float
    lra_lu: float
    sample_peak_dbfs: float
    true_peak_dbtp: float
    seconds: float
    """Length measured (at the meter's rate)."""

    def to_json(self) -> dict:
        """A JSON-safe dict (-inf becomes None)."""
        return {k: (None if isinstance(v, float) and math.isinf(v) else v)
                for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> "Loudness":
        """The inverse of to_json; raises KeyError/TypeError/ValueError on bad data."""
        def value(key: str) -> float:
            v = data[key]
            return -math.inf if v is None else float(v)

        return cls(value("integrated_lufs"), value("lra_lu"), value("sample_peak_dbfs"),
                   value("true_peak_dbtp"), float(data["seconds"]))


def k_weighting_sos(rate: int) -> np.ndarray:
    """The two K-weighting biquads (high shelf, then the RLB high-pass) for `rate`, as SOS.

    Designed by the bilinear transform from BS.1770's analogue parameters (as derived by
    B. De Man and used by libebur128), so any rate works; at 48 kHz the coefficients equal
    the table in BS.1770-4 to about 1e-14.
    """
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10.0 ** (gain_db / 20.0)
    vb = vh ** 0.4996667741545416
    a0 = 1.0 + k / q + k * k
    shelf = [(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0,
             (vh - vb * k / q + k * k) / a0, 1.0, 2.0 * (k * k - 1.0) / a0,
             (1.0 - k / q + k * k) / a0]
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1.0 + k / q + k * k
    highpass = [1.0, -2.0, 1.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0]
    return np.array([shelf, highpass])


def _lufs(mean_square: np.ndarray | float) -> np.ndarray | float:
    with np.errstate(divide="ignore"):
        return -0.691 + 10.0 * np.log10(mean_square)


def _db(linear: float) -> float:
    return 20.0 * math.log10(linear) if linear > 0.0 else -math.inf


class LoudnessMeter:
    """Feed blocks of (frames, channels) samples with add(); read the result with result()."""

    def __init__(self, rate: int = RATE, channels: int = 2) -> None:
        """A meter for `channels` channels at `rate` Hz (every channel weighted 1.0: L, R, C)."""
        from scipy import signal

        self._lfilter = signal.lfilter
        self.rate = rate
        self.channels = channels
        # One 4th-order filter: lfilter is a third faster than sosfilt here, and in float64
        # it matches the cascade to about 1e-11 (float32 would not: errors near 1e-2).
        self._b, self._a = signal.sos2tf(k_weighting_sos(rate))
        self._zi = np.zeros((channels, len(self._a) - 1))
        self._segment = int(round(SEGMENT_S * rate))
        self._partial = 0.0            # energy of the unfinished segment
        self._partial_n = 0            # frames in it
        self._segments: list[np.ndarray] = []
        self._frames = 0
        self._sample_peak = 0.0
        self._true_peak = TruePeak(channels)

    @property
    def seconds(self) -> float:
        """Seconds fed so far."""
        return self._frames / self.rate

    def add(self, block: np.ndarray) -> None:
        """Measure the next `block` (frames, channels) of the stream."""
        if len(block) == 0:
            return
        x = np.ascontiguousarray(np.asarray(block, dtype=np.float32).T)   # (channels, n)
        self._frames += x.shape[1]
        peak = float(max(x.max(), -x.min()))
        self._sample_peak = max(self._sample_peak, peak)
        self._true_peak.add(x, self._sample_peak)
        y, self._zi = self._lfilter(self._b, self._a, x.astype(np.float64), axis=1, zi=self._zi)
        self._add_energy(np.einsum("cn,cn->n", y, y))

    def _add_energy(self, e: np.ndarray) -> None:
        """Sum per-frame energy into whole segments, carrying the unfinished one."""
        seg = self._segment
        take = min(len(e), seg - self._partial_n)
        self._partial += float(e[:take].sum())
        self._partial_n += take
        if self._partial_n < seg:
            return
        done = [np.array([self._partial])]
        rest = e[take:]
        whole = len(rest) // seg * seg
        if whole:
            done.append(rest[:whole].reshape(-1, seg).sum(axis=1))
        self._segments.append(np.concatenate(done))
        self._partial = float(rest[whole:].sum())
        self._partial_n = len(rest) - whole

    def segment_energies(self) -> np.ndarray:
        """Channel-summed K-weighted energy of each complete 100 ms segment so far."""
        if not self._segments:
            return np.zeros(0)
        if len(self._segments) > 1:
            self._segments = [np.concatenate(self._segments)]
        return self._segments[0]

    def result(self) -> Loudness:
        """Integrated loudness, loudness range and peaks of everything added so far."""
        seg = self.segment_energies()
        true_peak = max(self._true_peak.flushed(self._sample_peak), self._sample_peak)
        integrated = _integrated(_windowed(seg, GATE_SEGMENTS, self._segment))
        lra = _loudness_range(_windowed(seg, SHORT_TERM_SEGMENTS, self._segment))
        return Loudness(integrated, lra, _db(self._sample_peak), _db(true_peak), self.seconds)


def _windowed(seg: np.ndarray, width: int, segment_frames: int) -> np.ndarray:
    """Mean square of every window of `width` consecutive segments (one per segment hop)."""
    if len(seg) < width:
        return np.zeros(0)
    c = np.concatenate(([0.0], np.cumsum(seg)))
    sums = c[width:] - c[:-width]
    return np.maximum(sums, 0.0) / (width * segment_frames)   # cumsum rounding can dip below 0


def _integrated(z: np.ndarray) -> float:
    """BS.1770-4 gated integrated loudness from the 400 ms blocks' mean squares."""
    loud = _lufs(z)
    gated = z[loud > ABSOLUTE_GATE_LUFS]
    if not len(gated):
        return -math.inf
    relative = _lufs(gated.mean()) + RELATIVE_GATE_LU
    gated = z[(loud > ABSOLUTE_GATE_LUFS) & (loud > relative)]
    return float(_lufs(gated.mean())) if len(gated) else -math.inf


def _loudness_range(z: np.ndarray) -> float:
    """EBU Tech 3342 loudness range from the 3 s windows' mean squares (0 if too few)."""
    loud = _lufs(z)
    keep = loud >= ABSOLUTE_GATE_LUFS
    if not keep.any():
        return 0.0
    relative = _lufs(z[keep].mean()) + LRA_RELATIVE_GATE_LU
    values = loud[keep & (loud >= relative)]
    if len(values) < 2:
        return 0.0
    low, high = np.percentile(values, LRA_PERCENTILES)
    return float(high - low)


Progress = Callable[[float], None]
"""Called with the seconds measured so far, after each block."""


def measure(source, progress: Progress | None = None, *, skip_s: float = 0.0,
            limit_s: float | None = None) -> Loudness:
    """Measure a decode Source (48 kHz stereo) to its end, or for `limit_s` after `skip_s`."""
    meter = LoudnessMeter(getattr(source, "rate", RATE), 2)
    skip = int(round(skip_s * meter.rate))
    limit = None if limit_s is None else int(round(limit_s * meter.rate))
    while skip > 0:
        got = len(source.read(min(skip, READ_FRAMES)))
        if got == 0:
            break
        skip -= got
    while limit is None or meter._frames < limit:
        want = READ_FRAMES if limit is None else min(READ_FRAMES, limit - meter._frames)
        block = source.read(want)
        if len(block) == 0:
            break
        meter.add(block)
        if progress is not None:
            progress(meter.seconds)
        if len(block) < want:
            break
    return meter.result()


def measure_file(path: str | Path, progress: Progress | None = None) -> Loudness:
    """Measure an audio file as Companion plays it; raises AudioError if it cannot be decoded."""
    from companion.audio.decode import SourceSpec, open_source

    source = open_source(SourceSpec(file=Path(path)))
    try:
        return measure(source, progress)
    finally:
        source.close()


def typical_builtin(name: str) -> Loudness | None:
    """A built-in's typical loudness over seeds (BUILTIN_TYPICAL), None for an unknown name."""
    if name not in BUILTIN_TYPICAL:
        return None
    integrated, sample_peak, true_peak = BUILTIN_TYPICAL[name]
    return Loudness(integrated, math.nan, sample_peak, true_peak, 0.0)


def measure_builtin(name: str, seed: int = 0) -> Loudness:
    """Measure a built-in: a cue whole, a soundscape for BUILTIN_SECONDS after its fade-in."""
    from companion.audio import soundscapes

    source = soundscapes.open_builtin(name, seed=seed)
    try:
        if soundscapes.is_cue(name):
            return measure(source)
        return measure(source, skip_s=BUILTIN_SKIP_S, limit_s=BUILTIN_SECONDS)
    finally:
        source.close()
