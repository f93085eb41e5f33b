"""The audio engine's protocol: the commands the UI process sends it and the events it sends back.

Both are frozen dataclasses that cross the multiprocessing pipe (they pickle); the engine
matches commands by type (`companion.audio.engine`), consumers match events by type.
`AudioEngine` (companion/audio/client.py) builds the commands from its methods and assigns
the ids; every event about a play, cue or bilateral set carries that id back. Times named
`at` are monotonic seconds (`time.monotonic()` in either process): for a command, when its
sound should be heard (None: as soon as possible); for an event, when it is heard.
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike
from typing import Literal


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """What to play: a file or a built-in, and how."""

    file: str | PathLike[str] | None = None
    builtin: str | None = None
    seed: int = 0
    """Seed for a built-in (same seed, same sound)."""
    seconds: float | None = None
    """Length limit (a built-in's length; None: the file's length, or endless for a built-in)."""
    loop: bool = False
    """Repeat the file (or cue) seamlessly; then `seconds` (if given) bounds the total."""
    start_at_s: float = 0.0
    """Start this far into the source (first pass only when looping)."""


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """How the engine process opens its output and how it ends (given when it starts)."""

    period_ms: int = 10
    """The device period (the buffer is 3 periods)."""
    chunk_ms: int = 500
    """simpleaudio's buffer."""
    orphan_fade_s: float = 3.0
    """How long the engine fades out when the UI process dies."""


# -- commands ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Play:
    """Play `source` in `slot` (at `at`); whatever the slot held fades out over `overlap` s
    (at least a few ms) as this fades in over `fade_in` s; `fade_out` is its own end fade."""

    id: str
    source: SourceSpec
    slot: str = "music"
    gain_db: float = 0.0
    fade_in: float = 0.0
    fade_out: float = 0.0
    overlap: float = 0.0
    at: float | None = None


@dataclass(frozen=True, slots=True)
class Queue:
    """Play `source` after the slot's current track, starting `overlap` s before its end
    (no overlap and no fade in: joined gaplessly); replaces what was queued in that slot."""

    id: str
    source: SourceSpec
    slot: str = "music"
    gain_db: float = 0.0
    fade_in: float = 0.0
    fade_out: float = 0.0
    overlap: float = 0.0


@dataclass(frozen=True, slots=True)
class Cue:
    """Sound a short cue over the music at `at`, ducking the music by `duck_db` meanwhile."""

    id: str
    source: SourceSpec
    gain_db: float = 0.0
    at: float | None = None
    duck_db: float = 0.0


@dataclass(frozen=True, slots=True)
class WithdrawCues:
    """Drop every cue sent ahead that has not begun to sound; cues sounding finish."""


@dataclass(frozen=True, slots=True)
class Stop:
    """Fade out what plays in `slot` and forget what was queued there."""

    slot: str = "music"
    fade_s: float = 1.0


@dataclass(frozen=True, slots=True)
class Suspend:
    """Fade the slot's track to silence and hold it still at that point."""

    slot: str = "music"
    fade_s: float = 1.0


@dataclass(frozen=True, slots=True)
class Unsuspend:
    """Continue a suspended track from where it held, fading back in."""

    slot: str = "music"
    fade_s: float = 1.0


@dataclass(frozen=True, slots=True)
class SetVolume:
    """Ramp the master volume to `percent` (0-100, perceptual; never above the ceiling)."""

    percent: float
    ramp_s: float = 0.3


@dataclass(frozen=True, slots=True)
class SetCeiling:
    """Cap the master volume at `percent` from now on."""

    percent: float


@dataclass(frozen=True, slots=True)
class Pause:
    """Fade the music out and hold every track still (cues still sound)."""

    fade_s: float = 0.5


@dataclass(frozen=True, slots=True)
class Resume:
    """Continue from the exact sample where the pause stopped, fading in."""

    fade_s: float = 0.5


@dataclass(frozen=True, slots=True)
class Bls:
    """Start a bilateral set (see `companion.audio.bilateral.open_bilateral` for the fields)."""

    id: str
    sound: str = "tone"
    pan: str = "hard"
    speed: float = 1.0
    passes: int | None = 24
    seconds: float | None = None
    hz: float = 500.0
    file: str | None = None
    depth: float = 0.6
    gain_db: float = 0.0
    duck_db: float = 0.0
    at: float | None = None


@dataclass(frozen=True, slots=True)
class BlsSpeed:
    """Continue a bilateral set at `speed` cycles per second, from where its sound is."""

    id: str
    speed: float


@dataclass(frozen=True, slots=True)
class BlsStop:
    """Stop a bilateral set at once, softly."""

    id: str


@dataclass(frozen=True, slots=True)
class Ping:
    """Ask for a `Pong` (a liveness and round-trip check)."""

    t: float


@dataclass(frozen=True, slots=True)
class Close:
    """Fade everything out over `fade_s`, then end the engine (it answers `Closed`)."""

    fade_s: float = 1.0


Command = (Play | Queue | Cue | WithdrawCues | Stop | Suspend | Unsuspend | SetVolume | SetCeiling
           | Pause | Resume | Bls | BlsSpeed | BlsStop | Ping | Close)


# -- events -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ready:
    """The engine has opened its output and takes commands (always its first event)."""

    backend: str
    device: str
    reason: str
    """Why this output replaced the one asked for ("" when it is the one asked for)."""
    latency_s: float
    pid: int


@dataclass(frozen=True, slots=True)
class FailedToStart:
    """The engine could not open its output, and has ended (instead of `Ready`)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Started:
    """A play or queued track is heard from `at`; `seconds`: its length, when known."""

    id: str
    slot: str
    path: str | None
    seconds: float | None
    at: float


@dataclass(frozen=True, slots=True)
class Ended:
    """A track's sound is over: it played to its end, was stopped, or failed."""

    id: str
    slot: str
    reason: Literal["end", "stopped", "failed"]
    position: float
    """Seconds of it played."""


@dataclass(frozen=True, slots=True)
class Failed:
    """A file, built-in or bilateral set that cannot play (the engine goes on)."""

    id: str
    slot: str
    path: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class SlotPosition:
    """What plays in a slot, and how far into it the listener is (seconds)."""

    id: str
    position: float


@dataclass(frozen=True, slots=True)
class Position:
    """Where every slot is (twice a second), the frames rendered, and whether paused."""

    slots: dict[str, SlotPosition]
    frames: int
    paused: bool


@dataclass(frozen=True, slots=True)
class Underrun:
    """The decoders fell behind `count` times since the last report: silence was played."""

    count: int
    total: int


@dataclass(frozen=True, slots=True)
class Problem:
    """A command the engine could not carry out, or a failure while rendering (it goes on)."""

    message: str


@dataclass(frozen=True, slots=True)
class Pong:
    """The answer to `Ping`."""

    t: float
    frames: int


@dataclass(frozen=True, slots=True)
class BlsStarted:
    """A bilateral set is on the engine's timeline from `at` (mixer frame `frame`)."""

    id: str
    at: float
    frame: int | None = None


@dataclass(frozen=True, slots=True)
class BlsOnset:
    """Pass `number` (1-based) of a bilateral set begins on `side`, heard at `at`."""

    id: str
    number: int
    side: str
    at: float
    frame: int | None = None
    """Its mixer frame, when the sample clock is known (the engine's, not a stand-in's)."""


@dataclass(frozen=True, slots=True)
class BlsEnded:
    """A bilateral set is over after `passes` passes: it ran its length or was stopped."""

    id: str
    passes: int
    reason: Literal["end", "stopped"]
    at: float


@dataclass(frozen=True, slots=True)
class Closed:
    """The engine's last event, with what it measured while it ran."""

    underruns: int
    max_render_s: float
    """Longest time spent in one device callback."""
    max_interval_s: float
    """Longest time between two device callbacks."""
    slow_calls: list[tuple[float, float]]
    """(seconds rendered, ms since the previous callback) of the first late callbacks."""
    frames: int
    output: dict[str, float]
    """The output's own statistics (`companion.audio.outputs`)."""


EngineEvent = (Ready | FailedToStart | Started | Ended | Failed | Position | Underrun | Problem
               | Pong | BlsStarted | BlsOnset | BlsEnded | Closed)
