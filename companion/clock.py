"""Clocks and durations: a monotonic source that tests can replace, a session clock anchored in
wall time, and every way Companion writes a length of time for people."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

Clock = Callable[[], float]
"""A callable returning monotonic seconds (`time.monotonic` in real runs)."""


class FakeClock:
    """A hand-driven monotonic clock for tests: `advance(seconds)` moves it on."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward by `seconds`."""
        self.now += seconds


@dataclass
class SessionClock:
    """Elapsed session time: anchored at a UTC start, advanced by a monotonic clock.

    A resumed session passes its original `started_at`; the clock then continues from
    the original moment, while within one run a changed system clock cannot make it jump.
    """

    started_at: datetime
    monotonic: Clock = time.monotonic
    wall: Callable[[], datetime] = field(default=lambda: datetime.now(timezone.utc))

    def __post_init__(self) -> None:
        self._anchor_mono = self.monotonic()
        self._anchor_elapsed = max(0.0, (self.wall() - self.started_at).total_seconds())

    def elapsed(self) -> float:
        """Seconds since the session started."""
        return self._anchor_elapsed + (self.monotonic() - self._anchor_mono)

    def since(self, elapsed_mark: float | None) -> float | None:
        """Seconds since a moment given as elapsed session time (e.g. the dose), or None."""
        return None if elapsed_mark is None else self.elapsed() - elapsed_mark

    def now_utc(self) -> datetime:
        """The current wall time, derived from the anchor (never jumps within a run)."""
        from datetime import timedelta

        return self.started_at + timedelta(seconds=self.elapsed())


def duration_text(seconds: float) -> str:
    """How long something lasted, as a person writes it, the one format of the reports:
    `35 s`, `3 min 54 s`, `4 min`, then whole minutes past an hour: `1 h 56 min`, `2 h`.

    The sign is dropped (the sentence says "early" or "late"); under half a second is `0 s`.
    """
    whole = int(round(abs(seconds)))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        minutes, secs = divmod(whole, 60)
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(int(round(abs(seconds) / 60)), 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def length_text(seconds: float) -> str:
    """A length as people write it, to the nearest second: `3:21`, or `1:05:00` past an hour."""
    hours, rest = divmod(int(round(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def minutes_seconds_text(seconds: float) -> str:
    """Whole minutes and two-digit seconds, cut (not rounded) to the second: `3 min 04 s`."""
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes} min {secs:02d} s"


def plan_length_text(seconds: float) -> str:
    """A length in a plan: `20 min` when it is whole minutes, else `3:21` (minutes past 60 too)."""
    if seconds % 60:
        return f"{int(seconds // 60)}:{int(round(seconds % 60)):02d}"
    return f"{int(seconds // 60)} min"


def clock_minutes(minutes: float, after_dose: bool) -> str:
    """A moment in a plan: `0:15` from the start, `+1:30` from the dose; seconds shown only
    when there are some (`+0:00:15`)."""
    seconds = round(minutes * 60)
    hours, rest = divmod(seconds, 3600)
    mins, secs = divmod(rest, 60)
    text = f"{hours}:{mins:02d}" + (f":{secs:02d}" if secs else "")
    return ("+" if after_dose else "") + text


def clock_text(seconds: float | None) -> str:
    """A moment of the session as `H:MM:SS` (negative with a leading '-'), '' for None.

    For when something happened (the Elapsed column, `+0:15:00` after the dose); how long
    something lasted is `duration_text`, the reports' one duration format.
    """
    if seconds is None:
        return ""
    sign = "-" if seconds < 0 else ""
    whole = int(round(abs(seconds)))
    return f"{sign}{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def minutes_text(seconds: float) -> str:
    """Seconds said calmly: "less than a minute", "1 min", "12 min", "1 h 5 min"."""
    whole = math.ceil(max(0.0, seconds) / 60 - 1e-9)
    if seconds < 60:
        return "less than a minute" if seconds > 0 else "0 min"
    hours, minutes = divmod(whole, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def tenths_text(seconds: float) -> str:
    """`0:07.5`: minutes, seconds and a tenth."""
    minutes, rest = divmod(max(0.0, seconds), 60)
    return f"{int(minutes)}:{rest:04.1f}"


def format_clock(seconds: float | None) -> str:
    """`H:MM:SS` for a duration (negative shown as 0), `-:--:--` for None."""
    if seconds is None:
        return "-:--:--"
    whole = max(0, int(seconds))
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def format_short(seconds: float | None) -> str:
    """`M:SS` (or `H:MM:SS` past an hour) for track positions; `--:--` for None."""
    if seconds is None:
        return "--:--"
    whole = max(0, int(seconds))
    if whole >= 3600:
        return format_clock(whole)
    return f"{whole // 60}:{whole % 60:02d}"
