"""The Player: the transport over a playlist's phases (play, pause, next, previous, phases,
holding, harbour, landing and volume).

It turns a `Playlist` into engine commands and the engine's news into the record's events
(`track_started`, `track_ended`, `track_skipped`, `track_failed`, `phase_changed`,
`volume_changed`, `paused`, `resumed`, `holding_started`, `holding_stopped`), reported
through `on_event(type, fields)`. It never waits: commands go out at once, and `poll()`
(called on the UI's timer) takes in the engine's events and moves to the next phase when
its target time has passed. Time comes from an injected clock, so a two-hour session can
be tested in milliseconds with a fake engine.

Within a phase the tracks play in order, each queued in the engine as soon as the one
before it starts, so the engine opens it early and crossfades on the exact sample; with a
crossfade of 0 the join is gapless (no fade at the join, the next track on the sample after
the last one). A phase with a target time (or one that lasts until the dose) plays its
tracks again from the top until the target passes; then the next phase's first track
crossfades in.

The parts, each building on the one before: `core` (what plays, what comes next, the
engine's news), `transport` (the sitter's keys and the phase plan), `player` (the sounds
over the music, the volume, `poll`). `tracks` orders the tracks; `sources` levels them.
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.session.player.player import Player
    from companion.session.player.timing import (HOLD_BACK_S, HOLD_IN_S, POSITION_EVERY_S,
                                                 RESUME_FADE_S, SKIP_SILENCE_S, SOUND_CHECK_FADE_S)
    from companion.session.player.tracks import NowPlaying, Sounding, Upcoming

__getattr__, __all__ = exports(__name__, {
    "player": ("Player",),
    "timing": ("HOLD_BACK_S", "HOLD_IN_S", "POSITION_EVERY_S", "RESUME_FADE_S",
        "SKIP_SILENCE_S", "SOUND_CHECK_FADE_S"),
    "tracks": ("NowPlaying", "Sounding", "Upcoming"),
})
