"""The pass clock: one phase accumulator on the sample clock times every pass of a set."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

RATE = 48000
MIN_SPEED, MAX_SPEED = 0.2, 2.0
"""Cycles per second (one cycle = left then right)."""
SIDES = ("left", "right")


def clamp_speed(speed: float) -> float:
    """`speed` held within MIN_SPEED..MAX_SPEED cycles per second."""
    return min(MAX_SPEED, max(MIN_SPEED, float(speed)))


@dataclass(frozen=True)
class Onset:
    """A pass beginning on the sample clock: source-relative frame, 1-based number, side."""

    frame: int
    number: int
    side: str


class PassClock:
    """The phase accumulator: phase (in passes) at every frame, speed changes without a jump.

    Phase at frame j is `anchor_phase + (j - anchor_frame) * passes_per_frame`; a speed
    change re-anchors at the frame it takes effect, so the phase is continuous. Pass k
    (0-based) begins on the first frame whose phase reaches k.
    """

    def __init__(self, speed: float, rate: int = RATE, first_phase: float = 0.0,
                 passes: int | None = None, limit_frames: int | None = None) -> None:
        self.rate = rate
        self.speed = clamp_speed(speed)
        self.anchor_frame = 0
        self.anchor_phase = float(first_phase)
        self.passes = passes
        self.limit_frames = limit_frames
        self.next_pass = max(0, math.ceil(first_phase - 1e-9))
        self.closed = False
        """No more onsets (stopped, or the last pass has begun)."""

    @property
    def per_frame(self) -> float:
        """Passes per frame (two per cycle)."""
        return 2.0 * self.speed / self.rate

    def phase_at(self, frame: int) -> float:
        """The phase at `frame`."""
        return self.anchor_phase + (frame - self.anchor_frame) * self.per_frame

    def phases(self, start: int, n: int, out: np.ndarray) -> np.ndarray:
        """Phases of frames start..start+n into `out[:n]` (float64)."""
        x = out[:n]
        x[:] = np.arange(start - self.anchor_frame, start - self.anchor_frame + n)
        x *= self.per_frame
        x += self.anchor_phase
        return x

    def set_speed(self, speed: float, frame: int) -> None:
        """From `frame` on, move at `speed` cycles/s, continuing from the phase there."""
        self.anchor_phase = self.phase_at(frame)
        self.anchor_frame = frame
        self.speed = clamp_speed(speed)

    def frame_of(self, k: int) -> int:
        """The frame on which pass k begins at the current speed."""
        exact = self.anchor_frame + (k - self.anchor_phase) * self.rate / (2.0 * self.speed)
        return math.ceil(exact - 1e-6)

    def onsets(self, start: int, n: int) -> list[tuple[int, int]]:
        """(frame, 0-based pass) of the passes beginning in start..start+n, counted once."""
        found = []
        while not self.closed:
            k = self.next_pass
            if self.passes is not None and k >= self.passes:
                self.closed = True
                break
            at = max(start, self.frame_of(k))
            if self.limit_frames is not None and at >= self.limit_frames:
                self.closed = True
                break
            if at >= start + n:
                break
            found.append((at, k))
            self.next_pass = k + 1
        return found

    def last_pass_done(self) -> bool:
        """Whether the set's last pass has begun (its sound may still be easing out)."""
        if self.passes is not None and self.next_pass >= self.passes:
            return True
        return self.closed
