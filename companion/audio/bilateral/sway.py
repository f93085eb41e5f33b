"""The music sway: a mixer music filter that moves the music's middle between the ears."""

from __future__ import annotations

import math

import numpy as np

from companion.audio.bilateral.clock import RATE, PassClock
from companion.audio.bilateral.passing import Passing

SWAY_STOP_S = 0.5


class MusicSway(Passing):
    """A mixer music filter: the music's middle moves between the ears, loudness held (equal power).

    Starts in the centre heading left; pass k is the music at its side k (left first); after
    the last pass it glides back to the centre and ends. `stop()` eases the depth to zero.
    """

    def __init__(self, *, depth: float = 0.6, speed: float = 1.0, passes: int | None = 24,
                 seconds: float | None = None, rate: int = RATE) -> None:
        self.depth = min(1.0, max(0.0, float(depth)))
        limit = int(round(seconds * rate)) if seconds is not None else None
        # Phase -0.5 is the centre (x = -cos(pi * phase) = 0): the sway begins without a jump.
        super().__init__(PassClock(speed, rate, -0.5, passes, limit), rate)
        self.start_frame = 0
        """The mixer frame of source frame 0 (set by whoever installs the filter)."""
        self._end_phase: float | None = None

    def stop(self, fade_s: float = SWAY_STOP_S) -> None:
        """Ease the sway back to the centre over `fade_s` (no further passes)."""
        super().stop(fade_s)

    def gains(self, start: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Equal-power (left, right) gains for source frames start..start+n (1, 1 = centre)."""
        phase = self._phases(start, n)
        if self._end_phase is not None:
            np.minimum(phase, self._end_phase, out=phase)
        x = -self.depth * np.cos(np.pi * phase)
        stop = self.stop_gain(start, n)
        if stop is not None:
            x *= stop
        theta = (x + 1.0) * (np.pi / 4)
        return math.sqrt(2) * np.cos(theta), math.sqrt(2) * np.sin(theta)

    def __call__(self, music: np.ndarray, frame: int) -> None:
        """Pan `music` (the mixer's music bus for the block beginning at mixer `frame`) in place."""
        n = len(music)
        start = frame - self.start_frame
        if self.finished or start + n <= 0:
            return
        skip = max(0, -start)
        start, block = start + skip, music[skip:]
        n = len(block)
        self._take_onsets(start, n)
        if self.clock.last_pass_done() and self._end_phase is None and self.stop_at is None:
            # Glide on to the centre after the last side, then end there.
            self._end_phase = self.clock.next_pass - 0.5
        left, right = self.gains(start, n)
        mid = (block[:, 0] + block[:, 1]) * 0.5
        side = (block[:, 0] - block[:, 1]) * 0.5
        block[:, 0] = mid * left + side
        block[:, 1] = mid * right - side
        self.pos = start + n
        if self.stop_at is not None and self.pos >= self.stop_at + self.stop_len:
            self.finished = True
        elif self._end_phase is not None and self.clock.phase_at(self.pos) >= self._end_phase:
            self.finished, self.reason = True, "end"
