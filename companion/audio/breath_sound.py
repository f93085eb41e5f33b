"""A breath you can hear: soft filtered noise that swells through the inhale and ebbs through the exhale.

The sound is a function of time within the pattern's cycle, so it stays in exact step with
the pacer however long it runs. The level and the brightness follow the lungs: both rise
through an inhale (eased, like a breath), hold still through a hold, and fall through
an exhale. Brightness is a crossfade between a dark and a brighter band of the same noise.

The noise is shaped in the frequency domain over exactly one cycle, so it is periodic:
one rendered cycle loops without a seam. The engine plays that cycle from a file
(`cycle_file`) with `loop=True`, started at the monotonic time the first breath begins
(`BreathSoundGuide`): no engine change is needed, and every cycle is sample-identical.
`BreathSound` is the same thing as a streaming Source (`read(frames)`), for tests and for
an engine that accepts sources directly.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from companion.audio.port import EnginePort
    from companion.breathing import Pacer, Pattern

RATE = 48000
REST_LEVEL = 0.18
"""Loudness with empty lungs, relative to full lungs: never quite silent, so never a gap."""
DARK_HZ = (120.0, 500.0)
"""Band of the noise with empty lungs."""
BRIGHT_HZ = (200.0, 1800.0)
"""Band with full lungs."""
PEAK_RMS_DB = -26.0
"""RMS with full lungs before `gain_db`: a soft sound well under music at the usual volume."""


def lung_levels(pattern: Pattern) -> list[tuple[float, float]]:
    """(start, end) lung level, 0 empty to 1 full, of each step of the pattern's cycle.

    A run of inhales fills from 0 to 1 in proportion to time (so a top-up inhale adds the
    last part); a run of exhales empties to 0; a hold keeps the level.
    """
    steps = list(pattern.steps)
    levels: list[tuple[float, float]] = []
    level, i = 0.0, 0
    while i < len(steps):
        kind = steps[i].kind
        if kind == "hold":
            levels.append((level, level))
            i += 1
            continue
        j = i
        while j < len(steps) and steps[j].kind == kind:
            j += 1
        run = sum(s.seconds for s in steps[i:j])
        target = 1.0 if kind == "inhale" else 0.0
        start, done = level, 0.0
        for step in steps[i:j]:
            a = start + (target - start) * done / run
            done += step.seconds
            b = start + (target - start) * done / run
            levels.append((a, b))
        level, i = target, j
    return levels


def envelope(pattern: Pattern, t: np.ndarray) -> np.ndarray:
    """Lung level (0-1) at times `t` (seconds from the first breath), eased within each step."""
    t = np.mod(np.asarray(t, dtype=np.float64), pattern.cycle_seconds)
    bounds = np.concatenate([[0.0], np.cumsum([s.seconds for s in pattern.steps])])
    levels = np.array(lung_levels(pattern))
    index = np.clip(np.searchsorted(bounds, t, side="right") - 1, 0, len(pattern.steps) - 1)
    seconds = np.diff(bounds)[index]
    fraction = np.clip((t - bounds[index]) / seconds, 0.0, 1.0)
    eased = 0.5 - 0.5 * np.cos(np.pi * fraction)
    start, end = levels[index, 0], levels[index, 1]
    return start + (end - start) * eased


def _band(spectrum: np.ndarray, n: int, rate: int, low: float, high: float) -> np.ndarray:
    """Circular band-pass (gentle slopes) of one cycle's white-noise spectrum, unit RMS."""
    f = np.fft.rfftfreq(n, 1.0 / rate)
    shape = 1.0 / np.sqrt(1.0 + (low / np.maximum(f, 1e-6)) ** 4) / np.sqrt(1.0 + (f / high) ** 4)
    shape /= np.sqrt(np.maximum(f, 20.0) / 20.0)  # pink-ish tilt: warm rather than hissy
    x = np.fft.irfft(spectrum * shape, n)
    return x / np.sqrt(np.mean(x * x))


def render_cycle(pattern: Pattern, rate: int = RATE, seed: int = 0, gain_db: float = 0.0) -> np.ndarray:
    """One cycle of the breath sound as (frames, 2) float32; it loops seamlessly."""
    n = int(round(pattern.cycle_seconds * rate))
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    dark = _band(spectrum, n, rate, *DARK_HZ)
    bright = _band(spectrum, n, rate, *BRIGHT_HZ)
    e = envelope(pattern, np.arange(n) / rate)
    level = (REST_LEVEL + (1.0 - REST_LEVEL) * e) * 10.0 ** ((PEAK_RMS_DB + gain_db) / 20.0)
    # The two bands share their noise: normalise by the mix's real power so the level is exact.
    rho = float(np.mean(dark * bright))
    a, b = 1.0 - e, e
    mono = level * (a * dark + b * bright) / np.sqrt(a * a + b * b + 2.0 * a * b * rho)
    return np.repeat(mono.astype(np.float32)[:, None], 2, axis=1)


class BreathSound:
    """The breath sound as a Source: float32 stereo at `rate`, endless, from the first breath."""

    def __init__(self, pattern: Pattern, rate: int = RATE, seed: int = 0, gain_db: float = 0.0,
                 start_at_s: float = 0.0) -> None:
        self.rate = rate
        self.seconds: float | None = None
        self._cycle = render_cycle(pattern, rate, seed, gain_db)
        self._pos = int(round(start_at_s * rate)) % len(self._cycle)

    def read(self, frames: int) -> np.ndarray:
        """The next `frames` frames (never fewer: the sound goes on until stopped)."""
        n = len(self._cycle)
        index = (self._pos + np.arange(frames)) % n
        self._pos = (self._pos + frames) % n
        return self._cycle[index]

    def close(self) -> None:
        """Nothing to release."""


def cycle_file(pattern: Pattern, directory: Path, rate: int = RATE, seed: int = 0,
               gain_db: float = 0.0) -> Path:
    """One cycle written as a 16-bit WAV in `directory` (cached by pattern timing), for looping."""
    from companion.audio.take_files import write_wav
    from companion.paths import atomic_replace

    timing = ",".join(f"{s.kind}:{s.seconds:.6f}" for s in pattern.steps)
    tag = hashlib.sha1(f"{timing}|{rate}|{seed}|{gain_db:.3f}|v1".encode()).hexdigest()[:16]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"breath-{tag}.wav"
    if not path.exists():
        with atomic_replace(path, suffix=".wav") as tmp:
            write_wav(tmp, render_cycle(pattern, rate, seed, gain_db)[:, 0], rate)
    return path


class BreathSoundGuide:
    """Plays the breath sound in step with a pacer through the audio engine (slot `breath`).

    Started at the monotonic time of the first breath; on pause it fades out, on resume it
    starts again from the point in the cycle the pacer will be at when it is heard.
    """

    SLOT = "breath"
    LEAD_S = 0.15   # a resume is placed this far ahead so the engine can start it on its sample
    FADE_S = 0.6

    def __init__(self, engine: EnginePort, pattern: Pattern, directory: Path, gain_db: float = 0.0) -> None:
        self.engine = engine
        self.pattern = pattern
        self.file = cycle_file(pattern, directory, gain_db=gain_db)

    def started(self, pacer: Pacer) -> None:
        """The pacer has started: the sound begins with the first breath."""
        self.engine.play(self.SLOT, file=self.file, loop=True, at=pacer.started_at + pacer.lead_in)

    def step(self, pacer: Pacer, index: int, at: float) -> None:
        """A step begins at `at` (the looping cycle is already in step)."""

    def paused(self, pacer: Pacer) -> None:
        """Fade out while the pacer holds still."""
        self.engine.stop(self.SLOT, fade_s=self.FADE_S)

    def resumed(self, pacer: Pacer) -> None:
        """Start again where the pacer will be when this is heard."""
        state = pacer.state()
        if state.phase == "ready":  # still in the lead-in: begin with the first breath
            self.engine.play(self.SLOT, file=self.file, loop=True,
                             at=pacer.clock() + state.seconds_left)
            return
        at = pacer.clock() + self.LEAD_S
        breathing = pacer.elapsed() + self.LEAD_S
        offset = breathing % self.pattern.cycle_seconds
        self.engine.play(self.SLOT, file=self.file, loop=True, start_at_s=offset, at=at,
                         fade_in=self.FADE_S)

    def stopped(self, pacer: Pacer) -> None:
        """The breathing has ended: let the sound fade away."""
        self.engine.stop(self.SLOT, fade_s=2.0)
