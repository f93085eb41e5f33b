"""A per-sample gain ramp (linear, or a quarter sine/cosine for equal-power crossfades)."""

from __future__ import annotations

import numpy as np


class Ramp:
    """A gain that moves from its value to a target over a number of frames, per sample."""

    __slots__ = ("value", "target", "start", "length", "pos", "shape")

    def __init__(self, value: float) -> None:
        self.value = self.target = self.start = float(value)
        self.length = self.pos = 0
        self.shape = "linear"

    def set(self, target: float, frames: int, shape: str = "linear") -> None:
        """Head for `target` from the current value over `frames` frames."""
        self.start, self.target = self.value, float(target)
        self.length, self.pos, self.shape = max(0, int(frames)), 0, shape
        if self.length == 0:
            self.value = self.target

    @property
    def moving(self) -> bool:
        return self.pos < self.length

    def frames_left(self) -> int:
        return self.length - self.pos

    def fill(self, out: np.ndarray, idx: np.ndarray) -> None:
        """Write the next len(out) gains into `out` and advance (idx: a reused 1..N arange)."""
        n = len(out)
        k = min(n, self.length - self.pos)
        if k > 0:
            x = out[:k]
            np.add(idx[:k], self.pos, out=x)
            x *= 1.0 / self.length
            a, b = self.start, self.target
            if self.shape == "sin":
                np.multiply(x, np.pi / 2, out=x)
                np.sin(x, out=x)
                x *= b - a
                x += a
            elif self.shape == "cos":
                np.multiply(x, np.pi / 2, out=x)
                np.cos(x, out=x)
                x *= a - b
                x += b
            else:
                x *= b - a
                x += a
            self.pos += k
            self.value = float(x[-1]) if self.pos < self.length else self.target
        if k < n:
            out[max(k, 0):] = self.target
            self.value = self.target
