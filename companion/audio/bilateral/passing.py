"""What every bilateral sound shares: its pass clock, the soft stop and the onsets it reports."""

from __future__ import annotations

import numpy as np

from companion.audio.bilateral.clock import SIDES, Onset, PassClock

STOP_FADE_S = 0.06
"""`stop()`: immediate, but a fade this long so it never clicks."""


def raised(x: np.ndarray) -> np.ndarray:
    """0..1 ramps (x in 0..1) bent to a raised cosine: no corner at either end."""
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0.0, 1.0))


class Passing:
    """What both kinds share: the pass clock, the soft stop and the onset reports."""

    def __init__(self, clock: PassClock, rate: int) -> None:
        self.rate = rate
        self.clock = clock
        self.pos = 0
        """Frames produced so far (source-relative sample clock)."""
        self.stop_at: int | None = None
        self.stop_len = 1
        self.reason = ""
        """"end" (the set ran its length) or "stopped", once finished."""
        self.finished = False
        self._onsets: list[Onset] = []
        self._phase_buf = np.zeros(8192)

    def set_speed(self, speed: float) -> None:
        """Continue at `speed` cycles/s from the very next sample, with no jump."""
        if not self.clock.closed:
            self.clock.set_speed(speed, self.pos)

    def stop(self, fade_s: float = STOP_FADE_S) -> None:
        """Stop at once (no further passes), fading out over `fade_s` so nothing clicks."""
        if self.stop_at is None and not self.finished:
            self.stop_at, self.stop_len = self.pos, max(1, int(fade_s * self.rate))
            self.clock.closed = True
            self.reason = "stopped"

    @property
    def passes_done(self) -> int:
        """Passes begun so far."""
        return self.clock.next_pass

    def drain_onsets(self) -> list[Onset]:
        """Onsets rendered since the last call, in order."""
        onsets, self._onsets = self._onsets, []
        return onsets

    def _take_onsets(self, start: int, n: int) -> list[tuple[int, int]]:
        found = self.clock.onsets(start, n)
        self._onsets.extend(Onset(f, k + 1, SIDES[k % 2]) for f, k in found)
        return found

    def _phases(self, start: int, n: int) -> np.ndarray:
        if n > len(self._phase_buf):
            self._phase_buf = np.zeros(n)
        return self.clock.phases(start, n, self._phase_buf).copy()

    def stop_gain(self, start: int, n: int) -> np.ndarray | None:
        """1 -> 0 over the stop fade (None when not stopping)."""
        if self.stop_at is None:
            return None
        x = (np.arange(start, start + n) - self.stop_at) / self.stop_len
        return 1.0 - raised(x)
