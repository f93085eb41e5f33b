"""The engine's sample clock: where a monotonic time falls among the mixer's frames, and back."""

from __future__ import annotations

import collections
import statistics

from companion.audio.outputs import RATE

CLOCK_WINDOW = 63  # callbacks (0.63 s at 10 ms) whose median arrival sets the sample clock


class SampleClock:
    """Frames rendered plus the device's latency: when each mixer frame reaches the listener."""

    frames: int
    """Frames rendered so far (advanced by the device callback)."""
    latency_s: float
    _arrivals: collections.deque[float]

    def frame_for(self, at: float | None, now: float) -> int | None:
        """The mixer frame heard at monotonic time `at` (None: as soon as possible)."""
        if at is None:
            return None
        frame = self.frames + round((at - now - self.latency_s) * RATE)
        return frame if frame > self.frames else None

    def heard_at(self, frame: int, now: float) -> float:
        """The monotonic time at which mixer frame `frame` reaches the listener."""
        return now + self.latency_s + (frame - self.frames) / RATE

    def _sample_clock(self, now: float) -> float:
        """This callback's monotonic time as the sample clock keeps it.

        Callbacks arrive unevenly: late when the machine is busy, in a burst when the device
        starts. Timed on arrival, a late callback would place every cue and start it handles
        off by as much (3 ms seen under load), so two cues meant 0.5 s apart came 0.497 s
        apart. The median arrival of the last CLOCK_WINDOW callbacks, carried forward by the
        frames rendered since, is steady; the earliest would follow the start-up burst.
        """
        self._arrivals.append(now - self.frames / RATE)
        return statistics.median(self._arrivals) + self.frames / RATE
