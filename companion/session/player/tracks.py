"""Which track plays when: the order of a playlist's tracks through its phases, and what
the player tells about them (`NowPlaying`, `Upcoming`, `Sounding`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.playlist.model import Phase, Track


@dataclass(frozen=True)
class NowPlaying:
    """What plays now: title, position and duration in seconds (None when unknown)."""

    title: str
    position: float
    duration: float | None
    phase: int
    index: int


@dataclass(frozen=True)
class Upcoming:
    """What will really play after the current track, and when its phase gives way."""

    title: str
    phase: int
    """The phase it plays in (the next phase's index when the phase changes first)."""
    repeats: bool = False
    """It is the current phase's own tracks again: the phase loops until its time is up."""
    same_track: bool = False
    """The loop is this very track (a phase of one track): `next` has nothing else to play."""
    starts_phase: bool = False
    """It begins the next phase (when the phase's time is up, or its tracks are done)."""
    then_title: str | None = None
    """When the phase loops: the next phase's first track, heard once the phase gives way."""
    then_phase: int | None = None
    phase_left: float | None = None
    """Seconds until the current phase's time is up (None: it has no target, or waits for
    the dose)."""


@dataclass(frozen=True)
class Sounding:
    """What the screen says is heard: the transport's state, and the title, position and
    duration of what plays (None when unknown, or for the holding and harbour sounds)."""

    state: str
    title: str | None = None
    position: float | None = None
    duration: float | None = None


@dataclass(frozen=True)
class Entry:
    """A track by its place: track `index` of phase `phase`."""

    phase: int
    index: int
    track: Track


def first(phases: Sequence[Phase], phase: int) -> Entry | None:
    """The first track of `phase`, or of the next phase that has tracks."""
    for p in range(phase, len(phases)):
        if phases[p].tracks:
            return Entry(p, 0, phases[p].tracks[0])
    return None


def following(phases: Sequence[Phase], entry: Entry,
              open_ended: Callable[[int], bool]) -> Entry | None:
    """The track after `entry`: the phase's next, its first again while the phase goes on
    after its tracks (`open_ended`), else the next phase's first."""
    tracks = phases[entry.phase].tracks
    if entry.index + 1 < len(tracks):
        return Entry(entry.phase, entry.index + 1, tracks[entry.index + 1])
    if open_ended(entry.phase):
        return Entry(entry.phase, 0, tracks[0])
    return first(phases, entry.phase + 1)


def preceding(phases: Sequence[Phase], entry: Entry) -> Entry:
    """The track before `entry` (across phases); `entry` itself at the very start."""
    if entry.index > 0:
        tracks = phases[entry.phase].tracks
        return Entry(entry.phase, entry.index - 1, tracks[entry.index - 1])
    for p in range(entry.phase - 1, -1, -1):
        tracks = phases[p].tracks
        if tracks:
            return Entry(p, len(tracks) - 1, tracks[-1])
    return entry
