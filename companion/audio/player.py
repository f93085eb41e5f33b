"""The transport over a playlist's phases: play, pause, next, previous, phases, holding and volume.

The player turns a `Playlist` into engine commands and the engine's news into the record's
events (`track_started`, `track_ended`, `track_skipped`, `track_failed`, `phase_changed`,
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
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from companion.audio.protocol import Ended, EngineEvent, Failed, Position, Started
from companion.clock import Clock

PAUSE_FADE_S = 1.0
HOLD_IN_S = 2.0  # switching to the holding track: quick, but never a cut
HOLD_BACK_S = 4.0
SKIP_FADE_MAX_S = 3.0  # next/previous/jump crossfade at most this long
SKIP_SILENCE_S = 1.0  # after a file that cannot play, before the next one
RESTART_AFTER_S = 5.0  # `previous` past this point restarts the track instead
VOLUME_RAMP_S = 0.5
CUE_DUCK_DB = -4.0
SOUND_CHECK_S = 8.0  # the sound check: long enough to set the laptop's volume by ear
SOUND_CHECK_FADE_S = 2.0
SOUND_CHECK_SLOT = "sound_check"
MIN_FADE_S = 0.05  # the harbour and the landing never cut, even when a plan says 0 s
RESUME_FADE_S = 3.0  # a resumed session's track comes back from where it was, fading in
POSITION_EVERY_S = 10.0  # the record learns the music's position this often (for a resume)
HARBOUR_SLOT = "harbour"
LANDING_SLOT = "landing"

EventSink = Callable[[str, Mapping[str, Any]], None]
Levels = Callable[[Any], float]
"""The gain in dB to play a track at (its own gain, plus loudness normalisation if any)."""


@dataclass(frozen=True)
class _Sound:
    """A built-in the player falls back on, shaped like a Track for `Levels`."""

    builtin: str
    gain_db: float = 0.0
    file: None = None
    seed: int = 0


_DEFAULT_HOLDING = _Sound("warm-pad")
_DEFAULT_CUE = _Sound("soft-bell", gain_db=-2.0)  # at the default volume: about -24.5 LUFS


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
class _Entry:
    phase: int
    index: int
    track: Any  # companion.playlist.model.Track


class Player:
    """Plays a playlist's phases through an `AudioEngine` (or anything with its methods)."""

    def __init__(self, playlist: Any, engine: Any, *, clock: Clock = time.monotonic,
                 on_event: EventSink | None = None, levels: Levels | None = None,
                 quietness: Callable[[Any], float | None] | None = None) -> None:
        """levels: a track's gain in dB (e.g. `Levelling().gain_db`); None: its own gain.
        quietness: how far below the loudness target a track plays (`Levelling().below_target_db`);
        None: judged from its own gain alone."""
        self.playlist = playlist
        self.engine = engine
        self.clock = clock
        self.on_event = on_event
        self.listeners: list[Callable[[EngineEvent], None]] = []
        """Also given every engine event (the BLS panel takes its `Bls*` news from here)."""
        self.levels = levels
        self.quietness = quietness
        self._check_ends: float | None = None  # when a sound check's sample has faded
        playback = playlist.playback
        self.ceiling = float(playback.ceiling)
        self.volume = min(float(playback.volume), self.ceiling)
        self.phase_index = 0
        self._state = "silent"
        self._started = False
        self._dose = False
        self._phase_started_at = clock()
        self._entries: dict[str, _Entry] = {}
        self._current: str | None = None  # id playing (or asked to play) in the music slot
        self._queued: str | None = None
        self._position = 0.0
        self._position_at = clock()
        self._durations: dict[str, float | None] = {}
        self._offsets: dict[str, float] = {}  # ids started part-way in (a resume): seconds skipped
        self._position_told_at = clock()
        self._holding = False
        self._paused = False
        self._retry: tuple[float, _Entry] | None = None  # play this at that time (after a failure)
        self._failures = 0
        self._fading_until: float | None = None
        self._skipped: set[str] = set()  # ids reported as skipped: their end is not reported again
        self._harbour = False
        self._harbour_track: Any = None
        self._dose_waiting = False  # the dose was marked in the harbour: move on when it ends
        self._after: tuple[Any, float] | None = None  # the landing's `after` track, heard from then

    # -- reporting ---------------------------------------------------------------------
    def _emit(self, kind: str, **fields: Any) -> None:
        if self.on_event is not None:
            self.on_event(kind, fields)

    @property
    def state(self) -> str:
        """playing, paused, fading, holding or silent."""
        if self._fading_until is not None:
            if self.clock() < self._fading_until:
                return "fading"
            self._fading_until = None
            self._state = "silent"
        if self._harbour:
            return "harbour"
        if self._paused:
            return "paused"
        if self._holding:
            return "holding"
        if self._after is not None and self._state == "silent":
            return "playing"
        return self._state

    @property
    def phase(self) -> Any | None:
        """The current phase (None for a playlist without phases)."""
        phases = self.playlist.phases
        return phases[self.phase_index] if phases else None

    @property
    def now_playing(self) -> NowPlaying | None:
        """Title, position and duration of the phase's current track (None when silent)."""
        entry = self._entries.get(self._current or "")
        if (entry is None or self._state == "silent") and self._after is not None:
            track, at = self._after
            now = self.clock()
            return None if now < at else NowPlaying(track.title, now - at, track.seconds,
                                                    self.phase_index, -1)
        if entry is None or self._state == "silent":
            return None
        position = self._position
        if not self._paused and not self._holding and self._state == "playing":
            position += max(0.0, self.clock() - self._position_at)
        duration = self._durations.get(self._current or "", entry.track.seconds)
        if duration is not None:
            position = min(position, duration)
        return NowPlaying(entry.track.title, position, duration, entry.phase, entry.index)

    @property
    def up_next(self) -> Any | None:
        """The track that will really play next (a playlist Track), or None."""
        entry = self._entries.get(self._current or "")
        following = self._next_entry(entry) if entry is not None else self._first(self.phase_index)
        return following.track if following is not None else None

    @property
    def upcoming(self) -> Upcoming | None:
        """What plays after the current track, as the plan will have it (None: nothing)."""
        entry = self._entries.get(self._current or "")
        if entry is None:
            first = self._first(self.phase_index)
            return None if first is None else Upcoming(first.track.title, first.phase,
                                                       starts_phase=first.phase != self.phase_index)
        following = self._next_entry(entry)
        if following is None:
            return None
        left = self._phase_left()
        if following.phase != entry.phase or following.index > entry.index:
            return Upcoming(following.track.title, following.phase,
                            starts_phase=following.phase != entry.phase, phase_left=left)
        later = self._first(entry.phase + 1)
        return Upcoming(following.track.title, following.phase, repeats=True,
                        same_track=following.index == entry.index,
                        then_title=later.track.title if later is not None else None,
                        then_phase=later.phase if later is not None else None, phase_left=left)

    def _phase_left(self) -> float | None:
        """Seconds until the current phase's target passes (None: no target, or the phase
        waits for the dose, or the last phase plays out)."""
        spec = self.phase
        if spec is None or spec.minutes is None or (spec.until_dose and not self._dose):
            return None
        left = spec.minutes * 60 - (self.clock() - self._phase_started_at)
        return max(0.0, left) if left != float("inf") and left > float("-inf") else None

    def _next_entry(self, entry: _Entry) -> _Entry | None:
        """What will be heard after `entry`: the phase's next track (or its first again while
        the phase loops), or the next phase's first when the phase's time runs out first."""
        later = self._first(entry.phase + 1)
        left = self._phase_left() if entry.phase == self.phase_index else None
        playing = self.now_playing
        track_left = (None if playing is None or playing.duration is None
                      else playing.duration - playing.position)
        if later is not None and left is not None and (track_left is None or track_left >= left):
            return later  # the phase's time is up before this track ends
        return self._following(entry)

    # -- the plan ----------------------------------------------------------------------------
    def _first(self, phase: int) -> _Entry | None:
        phases = self.playlist.phases
        for p in range(phase, len(phases)):
            if phases[p].tracks:
                return _Entry(p, 0, phases[p].tracks[0])
        return None

    def _open_ended(self, phase: int) -> bool:
        """Whether the phase goes on after its tracks (until the dose, or a target not reached)."""
        spec = self.playlist.phases[phase]
        if spec.until_dose and not self._dose:
            return True
        if spec.minutes is not None and phase == self.phase_index:
            return self.clock() - self._phase_started_at < spec.minutes * 60
        return False

    def _following(self, entry: _Entry) -> _Entry | None:
        tracks = self.playlist.phases[entry.phase].tracks
        if entry.index + 1 < len(tracks):
            return _Entry(entry.phase, entry.index + 1, tracks[entry.index + 1])
        if self._open_ended(entry.phase):
            return _Entry(entry.phase, 0, tracks[0])
        return self._first(entry.phase + 1)

    def _preceding(self, entry: _Entry) -> _Entry:
        if entry.index > 0:
            tracks = self.playlist.phases[entry.phase].tracks
            return _Entry(entry.phase, entry.index - 1, tracks[entry.index - 1])
        for p in range(entry.phase - 1, -1, -1):
            tracks = self.playlist.phases[p].tracks
            if tracks:
                return _Entry(p, len(tracks) - 1, tracks[-1])
        return entry

    # -- engine commands ---------------------------------------------------------------------
    def _fades(self, track: Any) -> tuple[float, float]:
        playback = self.playlist.playback
        fade_in = playback.fade_in if track.fade_in is None else track.fade_in
        fade_out = playback.fade_out if track.fade_out is None else track.fade_out
        return float(fade_in), float(fade_out)

    def _end_fade(self, entry: _Entry, fade_out: float) -> float:
        """The track's fade-out, or none where the next track joins it gaplessly (crossfade 0)."""
        if self.playlist.playback.crossfade == 0 and self._following(entry) is not None:
            return 0.0
        return fade_out

    def _quietness_fields(self, track: Any) -> dict[str, Any]:
        """`below_target_db` for the record when the track plays far below the target."""
        below = self.below_target_db(track)
        if below is None or below <= 0:
            return {}
        return {"below_target_db": round(below, 1) if below != float("inf") else "silent"}

    def below_target_db(self, track: Any) -> float | None:
        """How far below the loudness target `track` plays at full volume (None: unknown)."""
        if self.quietness is not None:
            return self.quietness(track)
        own = float(track.gain_db)
        return -own if own < 0 else None

    def gain_db(self, track: Any) -> float:
        """The gain in dB `track` (or any cue shaped like one) plays at, levelling included."""
        return float(track.gain_db) if self.levels is None else self.levels(track)

    def _source(self, track: Any, start_at: float = 0.0) -> dict[str, Any]:
        source = {"file": track.file, "builtin": track.builtin, "seed": track.seed,
                  "seconds": track.seconds, "loop": track.loop, "gain_db": self.gain_db(track)}
        if start_at > 0:  # the engine plays `seconds` from where it starts
            source["start_at_s"] = start_at
            if track.seconds is not None and not track.loop:
                source["seconds"] = max(0.0, float(track.seconds) - start_at)
        return source

    def _play(self, entry: _Entry, *, fade: float | None = None, start_at: float = 0.0) -> None:
        """Start `entry` now (`start_at` s into it), crossfading over `fade` (default: the
        track's own fade-in)."""
        fade_in, fade_out = self._fades(entry.track)
        if fade is not None:
            fade_in = fade
        if self._after is not None:  # the music comes back after a landing: the after track goes
            self.engine.stop(LANDING_SLOT, fade_in)
            self._after = None
        play_id = self.engine.play("music", **self._source(entry.track, start_at), fade_in=fade_in,
                                   fade_out=self._end_fade(entry, fade_out), overlap=fade_in)
        self._entries[play_id] = entry
        if start_at > 0:
            self._offsets[play_id] = start_at
        self._current, self._queued = play_id, None
        self._state = "playing"
        self._fading_until = None
        self._position, self._position_at = start_at, self.clock()

    def _queue(self, entry: _Entry) -> None:
        crossfade = float(self.playlist.playback.crossfade)
        _, fade_out = self._fades(entry.track)
        # With no crossfade the join is gapless: the engine starts it on the next sample, unfaded.
        play_id = self.engine.queue("music", **self._source(entry.track), fade_in=crossfade,
                                    fade_out=self._end_fade(entry, fade_out), overlap=crossfade)
        self._entries[play_id] = entry
        self._queued = play_id

    def _set_phase(self, index: int, reason: str) -> None:
        self.phase_index = index
        self._phase_started_at = self.clock()
        self._failures = 0
        spec = self.playlist.phases[index]
        fields: dict[str, Any] = {"index": index, "name": spec.name, "reason": reason}
        if spec.minutes is not None:
            fields["planned_minutes"] = spec.minutes
        self._emit("phase_changed", **fields)

    def _skip_fade(self) -> float:
        crossfade = float(self.playlist.playback.crossfade)
        return min(SKIP_FADE_MAX_S, crossfade) if crossfade > 0 else 1.0

    def _left(self, reason: str) -> None:
        """Report the current track as skipped (the sitter moved on)."""
        entry = self._entries.get(self._current or "")
        playing = self.now_playing
        if entry is not None and playing is not None:
            self._skipped.add(self._current or "")
            self._emit("track_skipped", title=entry.track.title, position=round(playing.position, 1),
                       reason=reason)

    # -- the transport -----------------------------------------------------------------------
    def play(self) -> None:
        """Start the session's music at the first phase (volume and ceiling set first)."""
        if not self.playlist.phases:
            self._prime()
            return
        self._start_phase(self.phase_index if self._started else 0, "start")

    def _prime(self) -> None:
        """Ceiling and volume go to the engine before the first sound, so nothing starts loud."""
        if not self._started:
            self.engine.set_ceiling(self.ceiling)
            self.engine.set_volume(self.volume, ramp_s=0.0)

    def _start_phase(self, index: int, reason: str, fade: float | None = None, *,
                     track: int = 0, start_at: float = 0.0) -> None:
        self._prime()
        self._started = True
        self._retry = None
        self._set_phase(index, reason)
        entry = self._first(index)
        if entry is None:
            return
        if entry.phase != index:
            self._set_phase(entry.phase, reason)
        elif track:
            entry = _Entry(index, track, self.playlist.phases[index].tracks[track])
        length = entry.track.seconds
        if start_at > 0 and length is not None and start_at >= float(length) - RESUME_FADE_S:
            start_at = 0.0  # it had all but ended: from the top rather than a last breath
        if start_at > 0:
            fade = RESUME_FADE_S
        self._play(entry, fade=fade, start_at=start_at)

    def play_from(self, phase: int, index: int, position: float, *,
                  phase_elapsed: float = 0.0) -> None:
        """Continue an interrupted session: track `index` of `phase` from `position` s, after
        a short fade-in (its own fade-in from the top), the phase's clock as if it began
        `phase_elapsed` s ago (so its target time still holds)."""
        tracks = self.playlist.phases[phase].tracks if self.playlist.phases else ()
        if not 0 <= index < len(tracks):
            index, position = 0, 0.0
        self._start_phase(phase, "resume", track=index, start_at=max(0.0, position))
        self._phase_started_at = self.clock() - max(0.0, phase_elapsed)

    def pause(self) -> None:
        """Fade out briefly and hold every track still."""
        if self._paused or self._state == "silent":
            return
        self.engine.pause(PAUSE_FADE_S)
        self._position = self.now_playing.position if self.now_playing else self._position
        self._paused = True
        self._emit("paused", position=round(self._position, 1))

    def resume(self) -> None:
        """Continue from the same sample, fading in."""
        if not self._paused:
            return
        self.engine.resume(PAUSE_FADE_S)
        self._paused = False
        self._position_at = self.clock()
        self._emit("resumed")

    def next(self) -> bool:
        """Crossfade quickly to what `upcoming` names (the next phase's first after the last).

        In a phase of one track that loops, nothing else is there to play: returns False
        (the track is not restarted); True when something new plays."""
        entry = self._entries.get(self._current or "")
        if entry is None:
            if not self._started:
                self.play()
                return True
            return False
        upcoming = self.upcoming
        if upcoming is not None and upcoming.same_track:
            return False
        following = self._next_entry(entry) or self._first(entry.phase + 1)
        if following is None:
            return False
        self._left("next")
        self._go(following, "sitter")
        return True

    def previous(self) -> None:
        """Back to the previous track (or the start of this one, once it has played a while)."""
        entry = self._entries.get(self._current or "")
        if entry is None:
            return
        playing = self.now_playing
        target = entry if playing and playing.position > RESTART_AFTER_S else self._preceding(entry)
        self._left("previous")
        self._go(target, "sitter")

    def _go(self, entry: _Entry, reason: str) -> None:
        if entry.phase != self.phase_index:
            self._set_phase(entry.phase, reason)
        self._retry = None
        self._play(entry, fade=self._skip_fade())

    def jump_to_phase(self, index: int) -> None:
        """Crossfade to the first track of phase `index`."""
        if not 0 <= index < len(self.playlist.phases):
            return
        if self._current is not None and self._state != "silent":
            self._left("phase")
        fade = self._skip_fade() if self._started else None
        self._start_phase(index, "sitter", fade=fade)

    def dose_marked(self) -> None:
        """The dose is taken: an until-dose phase gives way to the next phase."""
        self._dose = True
        spec = self.phase
        if spec is not None and spec.until_dose and self._started:
            if self._harbour:
                self._dose_waiting = True  # no new music under the harbour: after it
                return
            self._advance("dose")

    def _advance(self, reason: str) -> None:
        if self.phase_index + 1 >= len(self.playlist.phases):
            return
        crossfade = float(self.playlist.playback.crossfade)
        self._start_phase(self.phase_index + 1, reason, fade=crossfade if crossfade > 0 else None)

    def holding(self, on: bool) -> None:
        """Switch at once to the holding track (quick crossfade), or fade back to where it was."""
        if on == self._holding:
            return
        track = self.playlist.playback.holding
        if on:
            self._position = self.now_playing.position if self.now_playing else self._position
            self.engine.suspend("music", HOLD_IN_S)
            source = (self._source(track) if track is not None else
                      {"builtin": "warm-pad", "gain_db": self.gain_db(_DEFAULT_HOLDING)})
            source["loop"] = True if source.get("file") else source.get("loop", False)
            self.engine.play("holding", **source, fade_in=HOLD_IN_S, overlap=HOLD_IN_S)
            self._holding = True
            self._emit("holding_started", title=track.title if track is not None else "Holding")
        else:
            self.engine.stop("holding", HOLD_BACK_S)
            self.engine.unsuspend("music", HOLD_BACK_S)
            self._holding = False
            self._position_at = self.clock()
            self._emit("holding_stopped")

    def sound_check(self, seconds: float = SOUND_CHECK_S) -> dict[str, Any]:
        """Play a short sample of the holding sound at the session's volume, the music held
        still meanwhile, so the sitter can set the laptop's volume by ear; returns the record's
        fields (what played and how loud it is at the device, in LUFS when known)."""
        track = self.playlist.playback.holding
        source = (self._source(track) if track is not None else
                  {"builtin": "warm-pad", "gain_db": self.gain_db(_DEFAULT_HOLDING)})
        source.update(seconds=seconds, loop=bool(source.get("file")))
        self._prime()
        fields: dict[str, Any] = {"sound": track.title if track is not None else "Holding",
                                  "volume": round(self.volume), "seconds": seconds}
        if self._holding or self._harbour:
            fields["seconds"] = 0  # the holding sound already plays: listen to it as it is
        else:
            if self._check_ends is None:
                self.engine.suspend("music", SOUND_CHECK_FADE_S)
            self.engine.play(SOUND_CHECK_SLOT, **source, fade_in=SOUND_CHECK_FADE_S,
                             fade_out=SOUND_CHECK_FADE_S, overlap=SOUND_CHECK_FADE_S)
            self._check_ends = self.clock() + seconds
        below = self.below_target_db(track if track is not None else _DEFAULT_HOLDING)
        target = getattr(self.playlist.playback, "loudness_target", None)
        if self.levels is not None and below is not None and below != float("inf") and target:
            from companion.audio.levels import percent_to_db

            fields["device_lufs"] = round(target - below + percent_to_db(self.volume), 1)
        return fields

    def _end_sound_check(self) -> None:
        """The sample has faded: the music comes back from where it held."""
        self._check_ends = None
        if not (self._holding or self._harbour):
            self.engine.unsuspend("music", SOUND_CHECK_FADE_S)

    def harbour(self, on: bool, track: Any | None = None, *, fade: float = 8.0,
                level: float | None = None) -> None:
        """The safe harbour: the music holds still as `track` fades in and the volume goes to
        `level` percent (None: as it is), all over `fade` s; without a track the music itself
        fades to `level`. Off: the same way back, the music going on from where it held."""
        if on == self._harbour:
            return
        fade = max(MIN_FADE_S, float(fade))
        if on:
            if self._paused:  # the harbour must be heard
                self.engine.resume(fade)
                self._paused = False
                self._position_at = self.clock()
                self._emit("resumed")
            if self._holding:
                self.engine.stop("holding", fade)
                self._holding = False
                self._emit("holding_stopped")
            self._harbour_track = track
            if track is not None:
                self._position = self.now_playing.position if self.now_playing else self._position
                self.engine.suspend("music", fade)
                source = self._source(track)
                source["loop"] = True if source.get("file") else source.get("loop", False)
                self.engine.play(HARBOUR_SLOT, **source, fade_in=fade, overlap=fade)
            if level is not None:
                target = max(0.0, min(float(level), self.ceiling))
                self.engine.set_volume(target, ramp_s=fade)
            self._harbour = True
            return
        if self._harbour_track is not None:
            self.engine.stop(HARBOUR_SLOT, fade)
            self.engine.unsuspend("music", fade)
            self._position_at = self.clock()
        self.engine.set_volume(self.volume, ramp_s=fade)
        self._harbour = False
        self._harbour_track = None
        if self._dose_waiting:
            self._dose_waiting = False
            self.dose_marked()

    @property
    def in_harbour(self) -> bool:
        """True between `harbour(True)` and `harbour(False)`."""
        return self._harbour

    def land(self, fade: float, after: Any | None = None) -> None:
        """The soft landing: everything fades out over `fade` s (never a cut), then `after`
        (a playlist Track) fades in with its own fade-in; without one, silence."""
        fade = max(MIN_FADE_S, float(fade))
        self.stop(fade)
        if after is None:
            return
        fade_in, fade_out = self._fades(after)
        at = self.clock() + fade
        self.engine.play(LANDING_SLOT, **self._source(after), fade_in=fade_in, fade_out=fade_out,
                         at=at)
        self._after = (after, at)

    def set_volume(self, percent: float) -> None:
        """Ramp the volume to `percent`, never above the playlist's ceiling."""
        target = max(0.0, min(float(percent), self.ceiling))
        previous = self.volume
        self.volume = target
        self.engine.set_volume(target, ramp_s=VOLUME_RAMP_S)
        self._emit("volume_changed", volume=int(round(target)), previous=int(round(previous)))

    def cue(self, role: str, at: float | None = None) -> None:
        """Sound the playlist's cue for `role` (a soft bell when it names none) at monotonic `at`."""
        track = self.playlist.cues.get(role)
        if track is None:
            self.engine.cue(builtin="soft-bell", gain_db=self.gain_db(_DEFAULT_CUE), at=at,
                            duck_db=CUE_DUCK_DB)
        else:
            self.engine.cue(file=track.file, builtin=track.builtin, seed=track.seed,
                            gain_db=self.gain_db(track), at=at, duck_db=CUE_DUCK_DB)

    def stop(self, fade_s: float = 6.0) -> None:
        """Fade everything out over `fade_s` (the soft landing at the end of a session)."""
        self.engine.stop("music", fade_s)
        self.engine.stop("holding", fade_s)
        if self._harbour:
            self.engine.stop(HARBOUR_SLOT, fade_s)
            self._harbour, self._harbour_track, self._dose_waiting = False, None, False
        if self._after is not None:
            self.engine.stop(LANDING_SLOT, fade_s)
            self._after = None
        if self._paused:  # nothing is left to hear: unpause so a later play() is heard
            self.engine.resume(0.01)
            self._paused = False
        self._retry = None
        self._queued = None
        self._fading_until = self.clock() + fade_s
        self._holding = False

    # -- news from the engine ---------------------------------------------------------------------
    def poll(self) -> None:
        """Take in the engine's events and act on the clock (phase targets, retries)."""
        for event in self.engine.poll_events():
            self.handle(event)
            for listener in list(self.listeners):
                listener(event)
        now = self.clock()
        self._tell_position(now)
        if self._check_ends is not None and now >= self._check_ends:
            self._end_sound_check()
        if (self._retry is not None and now >= self._retry[0] and not self._paused
                and not self._harbour):
            entry = self._retry[1]
            self._retry = None
            if entry.phase != self.phase_index:
                self._set_phase(entry.phase, "tracks_ended")
            self._play(entry)
        spec = self.phase
        if (spec is not None and spec.minutes is not None and self._started and not self._paused
                and not self._holding and not self._harbour and self._fading_until is None
                and now - self._phase_started_at >= spec.minutes * 60):
            if self.phase_index + 1 < len(self.playlist.phases):
                self._advance("target")
            else:
                self._phase_started_at = float("inf")  # the last phase just plays out

    def _tell_position(self, now: float) -> None:
        """Every few seconds of music, the record learns where it is (`track_position`), so
        an interrupted session resumes the track from there, not from its start."""
        if now - self._position_told_at < POSITION_EVERY_S:
            return
        self._position_told_at = now
        entry = self._entries.get(self._current or "")
        playing = self.now_playing
        if entry is None or playing is None or self.state != "playing" or playing.index < 0:
            return
        self._emit("track_position", title=entry.track.title, phase=entry.phase,
                   index=entry.index, position=round(playing.position, 1))

    def handle(self, event: EngineEvent) -> None:
        """Act on one engine event (see `companion.audio.protocol`)."""
        match event:
            case Position(slots=slots):
                slot = slots.get("music")
                if slot is not None and slot.id == self._current:
                    offset = self._offsets.get(self._current or "", 0.0)
                    self._position, self._position_at = slot.position + offset, self.clock()
            case Started(id=play_id) if play_id in self._entries:
                self._started_event(play_id, self._entries[play_id], event)
            case Failed(id=play_id) if play_id in self._entries:
                self._failed_event(play_id, self._entries[play_id], event)
            case Ended(id=play_id) if play_id in self._entries:
                self._ended_event(play_id, self._entries[play_id], event)

    def _ended_event(self, play_id: str, entry: _Entry, event: Ended) -> None:
        reason = event.reason
        if reason == "end" or (reason == "stopped" and play_id not in self._skipped):
            played = event.position + self._offsets.get(play_id, 0.0)
            self._emit("track_ended", title=entry.track.title, position=round(played, 1),
                       reason=reason)
        self._offsets.pop(play_id, None)
        self._skipped.discard(play_id)
        if play_id == self._current and self._queued is None and self._retry is None:
            self._state = "silent"
        self._entries.pop(play_id, None)

    def _started_event(self, play_id: str, entry: _Entry, event: Started) -> None:
        if play_id == self._queued:
            self._current, self._queued = play_id, None
            self._position, self._position_at = 0.0, self.clock()
            if entry.phase != self.phase_index:
                self._set_phase(entry.phase, "tracks_ended")
        if play_id != self._current:
            return
        self._failures = 0
        seconds = event.seconds
        if seconds is not None and play_id in self._offsets:
            seconds = float(seconds) + self._offsets[play_id]  # the engine tells what is left
        self._durations[play_id] = seconds
        track = entry.track
        source = {"file": str(track.file)} if track.file is not None else {"builtin": track.builtin}
        if play_id in self._offsets:  # a resume: it starts where it was, not at the top
            source["position"] = round(self._offsets[play_id], 1)
        self._emit("track_started", title=track.title, phase=entry.phase, index=entry.index,
                   seconds=event.seconds, gain_db=round(self.gain_db(track), 2),
                   **source, **self._quietness_fields(track))
        following = self._following(entry)
        if following is not None:
            self._queue(following)

    def _failed_event(self, play_id: str, entry: _Entry, event: Failed) -> None:
        track = entry.track
        self._emit("track_failed", title=track.title,
                   file=str(track.file) if track.file is not None else None,
                   builtin=track.builtin, reason=event.reason)
        self._failures += 1
        if self._failures > len(self.playlist.phases[entry.phase].tracks):
            return  # nothing in this phase plays: stay quiet until the phase changes
        following = self._following(entry)
        if play_id == self._queued:
            self._queued = None
            if following is not None:
                self._queue(following)
        elif play_id == self._current and self._queued is None and following is not None:
            self._retry = (self.clock() + SKIP_SILENCE_S, following)
