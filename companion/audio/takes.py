"""Voice takes: trim the silence at both ends, fade each edge, level to the pack's loudness.

A take is mono float32 at the capture rate. `process_take` finds where speech begins and
ends from 10 ms frame levels relative to the loudest frame (so a quiet room and a loud
one trim alike), keeps a short margin of room tone, fades in and out over `FADE_S` so
neither edge clicks, and applies one gain so the take's integrated loudness (ITU-R
BS.1770, through `companion.audio.loudness`, measured as the engine plays it: mono
duplicated to both channels) lands on the pack's target. The gain is the only change
made between the fades: the kept samples are the captured ones times that gain. If the
gain would push a peak above `PEAK_CEILING_DB`, it is held below it and `Take.limited`
says so (the take is then quieter than the target rather than distorted). Writing and
reading take files is `take_files`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from companion.errors import AudioError

RATE = 48000
FRAME_S = 0.010
"""Level-analysis frame used to find speech."""
TRIM_BELOW_DB = -40.0
"""A frame quieter than the loudest one by more than this is silence."""
SILENCE_FLOOR_DBFS = -60.0
"""...and a frame below this absolute level always is."""
MARGIN_S = 0.04
"""Room tone kept before the first and after the last spoken frame."""
FADE_S = 0.015
"""Fade at each edge: long enough that nothing clicks, short enough to keep every word."""
DEFAULT_TARGET_LUFS = -20.0
"""A voice pack's default loudness: clear over quiet music at the usual volume."""
PEAK_CEILING_DB = -1.0
"""Levelling never pushes a sample above this."""
MIN_SPEECH_S = 0.15
"""Less than this above the trim level is not a take (a cough, a click)."""


@dataclass(frozen=True)
class Take:
    """A processed take, ready to save."""

    samples: np.ndarray
    """Mono float32 at `rate`, trimmed, faded and levelled."""
    rate: int
    start: int
    """First kept frame of the raw recording."""
    end: int
    """One past the last kept frame of the raw recording."""
    gain_db: float
    """The levelling gain applied between the fades."""
    lufs: float
    """Integrated loudness after levelling (as played: mono on both channels)."""
    limited: bool = False
    """True if the peak ceiling held the gain below what the target asked for."""

    @property
    def seconds(self) -> float:
        """Length in seconds."""
        return len(self.samples) / self.rate


def as_mono(samples: np.ndarray) -> np.ndarray:
    """Mono float32 from (n,) or (n, channels) samples (channels averaged)."""
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim == 2:
        x = x.mean(axis=1, dtype=np.float32)
    return x


def frame_levels_db(samples: np.ndarray, rate: int, frame_s: float = FRAME_S) -> np.ndarray:
    """RMS level (dBFS) of each `frame_s` frame of mono `samples`."""
    n = max(1, int(round(frame_s * rate)))
    count = len(samples) // n
    if count == 0:
        return np.zeros(0)
    blocks = samples[:count * n].astype(np.float64).reshape(count, n)
    rms = np.sqrt(np.mean(blocks * blocks, axis=1))
    return 20.0 * np.log10(np.maximum(rms, 1e-12))


def speech_bounds(samples: np.ndarray, rate: int) -> tuple[int, int] | None:
    """(start, end) frames of the spoken part with margins, or None if nothing was said."""
    levels = frame_levels_db(samples, rate)
    if len(levels) == 0:
        return None
    threshold = max(levels.max() + TRIM_BELOW_DB, SILENCE_FLOOR_DBFS)
    loud = np.flatnonzero(levels > threshold)
    n = int(round(FRAME_S * rate))
    if len(loud) == 0 or (loud[-1] - loud[0] + 1) * n < MIN_SPEECH_S * rate:
        return None
    margin = int(round(MARGIN_S * rate))
    start = max(0, loud[0] * n - margin)
    end = min(len(samples), (loud[-1] + 1) * n + margin)
    return start, end


def loudness_lufs(mono: np.ndarray, rate: int) -> float:
    """Integrated loudness of mono samples as the engine plays them (on both channels)."""
    from companion.audio.loudness import LoudnessMeter

    meter = LoudnessMeter(rate, 2)
    meter.add(np.column_stack([mono, mono]))
    return meter.result().integrated_lufs


def fade_edges(samples: np.ndarray, rate: int, fade_s: float = FADE_S) -> np.ndarray:
    """A copy with a raised-cosine fade in at the start and out at the end."""
    out = np.array(samples, dtype=np.float32, copy=True)
    k = min(len(out) // 2, int(round(fade_s * rate)))
    if k > 0:
        ramp = (0.5 - 0.5 * np.cos(np.pi * (np.arange(k) + 0.5) / k)).astype(np.float32)
        out[:k] *= ramp
        out[len(out) - k:] *= ramp[::-1]
    return out


def process_take(samples: np.ndarray, rate: int = RATE,
                 target_lufs: float = DEFAULT_TARGET_LUFS) -> Take:
    """Trim, fade and level a raw recording; AudioError if it holds no speech."""
    mono = as_mono(samples)
    bounds = speech_bounds(mono, rate)
    if bounds is None:
        raise AudioError("nothing was heard in this take (is the microphone on?)", None)
    start, end = bounds
    spoken = mono[start:end]
    measured = loudness_lufs(spoken, rate)
    if not np.isfinite(measured):
        raise AudioError("this take is too quiet to level", None)
    gain_db = target_lufs - measured
    peak = float(np.max(np.abs(spoken)))
    limited = False
    room_db = PEAK_CEILING_DB - 20.0 * np.log10(max(peak, 1e-12))
    if gain_db > room_db:
        gain_db, limited = room_db, True
    levelled = spoken * np.float32(10.0 ** (gain_db / 20.0))
    out = fade_edges(levelled, rate)
    return Take(out, rate, start, end, float(gain_db), loudness_lufs(out, rate), limited)
