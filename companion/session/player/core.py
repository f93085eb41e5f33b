"""The player's state: what plays in the engine's music slot, what comes next, and the
engine's news about it (started, ended, failed, position)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from companion.audio.protocol import Ended, EngineEvent, Failed, Position, Started
from companion.clock import Clock
from companion.record import events as ev
from companion.session.player.sources import Levels, Playable, Quietness, Sources
from companion.session.player.timing import (
    LANDING_SLOT,
    MUSIC_SLOT,
    POSITION_EVERY_S,
    SKIP_FADE_MAX_S,
    SKIP_SILENCE_S,
)
from companion.session.player.tracks import (
    Entry,
    NowPlaying,
    Sounding,
    Upcoming,
    first,
    following,
    preceding,
)

if TYPE_CHECKING:
    from companion.audio.port import EnginePort
    from companion.playlist.model import Phase, Playlist, Track
    from companion.session.ports import EngineListener, EventSink


class PlayerCore:
    """What the player knows: the playlist's place, the music slot's ids, and the overlays
    (holding, harbour, landing) in force. `Player` adds what moves them."""

    def __init__(self, playlist: Playlist, engine: EnginePort, *, clock: Clock = time.monotonic,
                 on_event: EventSink | None = None, levels: Levels | None = None,
                 quietness: Quietness | None = None) -> None:
        """levels: a track's gain in dB (e.g. `Levelling().gain_db`); None: its own gain.
        quietness: how far below the loudness target a track plays (`Levelling().below_target_db`);
        None: judged from its own gain alone."""
        self.playlist = playlist
        self.engine = engine
        self.clock = clock
        self.on_event = on_event
        self.listeners: list[EngineListener] = []
        """Also given every engine event (the BLS panel takes its `bls_*` news from here)."""
        self.sources = Sources(playlist.playback, levels, quietness)
        self._check_ends: float | None = None  # when a sound check's sample has faded
        playback = playlist.playback
        self.ceiling = float(playback.ceiling)
        self.volume = min(float(playback.volume), self.ceiling)
        self.phase_index = 0
        self._state = "silent"
        self._started = False
        self._dose = False
        self._phase_started_at = clock()
        self._entries: dict[str, Entry] = {}
        self._current: str | None = None  # id playing (or asked to play) in the music slot
        self._queued: str | None = None
        self._position = 0.0
        self._position_at = clock()
        self._durations: dict[str, float | None] = {}
        self._offsets: dict[str, float] = {}  # ids started part-way in (a resume): seconds skipped
        self._position_told_at = clock()
        self._holding = False
        self._paused = False
        self._retry: tuple[float, Entry] | None = None  # play this at that time (after a failure)
        self._failures = 0
        self._fading_until: float | None = None
        self._skipped: set[str] = set()  # ids reported as skipped: their end is not reported again
        self._harbour = False
        self._harbour_track: Track | None = None
        self._dose_waiting = False  # the dose was marked in the harbour: move on when it ends
        self._after: tuple[Track, float] | None = None  # the landing's `after` track, heard from then

    def _emit(self, event: ev.NewEvent) -> None:
        if self.on_event is not None:
            self.on_event(event.type, event.fields)

    # -- what plays ------------------------------------------------------------------------
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
    def phase(self) -> Phase | None:
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

    def sounding(self) -> Sounding:
        """The state, and the title of what is heard: the holding or harbour sound, or the
        phase's track with its position and duration."""
        state = self.state
        if state == "holding":
            holding = self.playlist.playback.holding
            return Sounding(state, holding.title if holding is not None else "Holding")
        if state == "harbour":
            harbour = self._harbour_track
            return Sounding(state, harbour.title if harbour is not None else "Safe harbour")
        playing = self.now_playing
        if playing is None:
            return Sounding(state)
        return Sounding(state, playing.title, playing.position, playing.duration)

    @property
    def up_next(self) -> Track | None:
        """The track that will really play next, or None."""
        entry = self._entries.get(self._current or "")
        after = self._next_entry(entry) if entry is not None else self._first(self.phase_index)
        return after.track if after is not None else None

    @property
    def upcoming(self) -> Upcoming | None:
        """What plays after the current track, as the plan will have it (None: nothing)."""
        entry = self._entries.get(self._current or "")
        if entry is None:
            start = self._first(self.phase_index)
            return None if start is None else Upcoming(start.track.title, start.phase,
                                                       starts_phase=start.phase != self.phase_index)
        after = self._next_entry(entry)
        if after is None:
            return None
        left = self._phase_left()
        if after.phase != entry.phase or after.index > entry.index:
            return Upcoming(after.track.title, after.phase,
                            starts_phase=after.phase != entry.phase, phase_left=left)
        later = self._first(entry.phase + 1)
        return Upcoming(after.track.title, after.phase, repeats=True,
                        same_track=after.index == entry.index,
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

    def _next_entry(self, entry: Entry) -> Entry | None:
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

    # -- the order of tracks -----------------------------------------------------------------
    def _first(self, phase: int) -> Entry | None:
        return first(self.playlist.phases, phase)

    def _following(self, entry: Entry) -> Entry | None:
        return following(self.playlist.phases, entry, self._open_ended)

    def _preceding(self, entry: Entry) -> Entry:
        return preceding(self.playlist.phases, entry)

    def _open_ended(self, phase: int) -> bool:
        """Whether the phase goes on after its tracks (until the dose, or a target not reached)."""
        spec = self.playlist.phases[phase]
        if spec.until_dose and not self._dose:
            return True
        if spec.minutes is not None and phase == self.phase_index:
            return self.clock() - self._phase_started_at < spec.minutes * 60
        return False

    # -- engine commands ---------------------------------------------------------------------
    def gain_db(self, track: Playable) -> float:
        """The gain in dB `track` (or any cue shaped like one) plays at, levelling included."""
        return self.sources.gain_db(track)

    def below_target_db(self, track: Playable) -> float | None:
        """How far below the loudness target `track` plays at full volume (None: unknown)."""
        return self.sources.below_target_db(track)

    def _end_fade(self, entry: Entry, fade_out: float) -> float:
        """The track's fade-out, or none where the next track joins it gaplessly (crossfade 0)."""
        if self.playlist.playback.crossfade == 0 and self._following(entry) is not None:
            return 0.0
        return fade_out

    def _play(self, entry: Entry, *, fade: float | None = None, start_at: float = 0.0) -> None:
        """Start `entry` now (`start_at` s into it), crossfading over `fade` (default: the
        track's own fade-in)."""
        fade_in, fade_out = self.sources.fades(entry.track)
        if fade is not None:
            fade_in = fade
        if self._after is not None:  # the music comes back after a landing: the after track goes
            self.engine.stop(LANDING_SLOT, fade_in)
            self._after = None
        play_id = self.engine.play(MUSIC_SLOT, **self.sources.source(entry.track, start_at),
                                   fade_in=fade_in, fade_out=self._end_fade(entry, fade_out),
                                   overlap=fade_in)
        self._entries[play_id] = entry
        if start_at > 0:
            self._offsets[play_id] = start_at
        self._current, self._queued = play_id, None
        self._state = "playing"
        self._fading_until = None
        self._position, self._position_at = start_at, self.clock()

    def _queue(self, entry: Entry) -> None:
        crossfade = float(self.playlist.playback.crossfade)
        _, fade_out = self.sources.fades(entry.track)
        # With no crossfade the join is gapless: the engine starts it on the next sample, unfaded.
        play_id = self.engine.queue(MUSIC_SLOT, **self.sources.source(entry.track),
                                    fade_in=crossfade, fade_out=self._end_fade(entry, fade_out),
                                    overlap=crossfade)
        self._entries[play_id] = entry
        self._queued = play_id

    def _set_phase(self, index: int, reason: str) -> None:
        self.phase_index = index
        self._phase_started_at = self.clock()
        self._failures = 0
        spec = self.playlist.phases[index]
        self._emit(ev.phase_changed(index, spec.name, reason, planned_minutes=spec.minutes))

    def _skip_fade(self) -> float:
        crossfade = float(self.playlist.playback.crossfade)
        return min(SKIP_FADE_MAX_S, crossfade) if crossfade > 0 else 1.0

    def _left(self, reason: str) -> None:
        """Report the current track as skipped (the sitter moved on)."""
        entry = self._entries.get(self._current or "")
        playing = self.now_playing
        if entry is not None and playing is not None:
            self._skipped.add(self._current or "")
            self._emit(ev.track_skipped(entry.track.title, round(playing.position, 1), reason))

    # -- news from the engine ----------------------------------------------------------------
    def handle(self, event: EngineEvent) -> None:
        """Act on one engine event (see `companion.audio.protocol`)."""
        match event:
            case Position(slots=slots):
                slot = slots.get(MUSIC_SLOT)
                if slot is not None and slot.id == self._current:
                    offset = self._offsets.get(self._current or "", 0.0)
                    self._position, self._position_at = slot.position + offset, self.clock()
            case Started(id=play_id) if play_id in self._entries:
                self._started_event(play_id, self._entries[play_id], event)
            case Failed(id=play_id) if play_id in self._entries:
                self._failed_event(play_id, self._entries[play_id], event)
            case Ended(id=play_id) if play_id in self._entries:
                self._ended_event(play_id, self._entries[play_id], event)

    def _started_event(self, play_id: str, entry: Entry, event: Started) -> None:
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
        source: dict[str, Any] = ({"file": str(track.file)} if track.file is not None
                                  else {"builtin": track.builtin})
        if play_id in self._offsets:  # a resume: it starts where it was, not at the top
            source["position"] = round(self._offsets[play_id], 1)
        self._emit(ev.track_started(track.title, phase=entry.phase, index=entry.index,
                                    seconds=event.seconds, gain_db=round(self.gain_db(track), 2),
                                    **source, **self.sources.quietness_fields(track)))
        after = self._following(entry)
        if after is not None:
            self._queue(after)

    def _failed_event(self, play_id: str, entry: Entry, event: Failed) -> None:
        track = entry.track
        self._emit(ev.track_failed(track.title, str(track.file) if track.file is not None else None,
                                   track.builtin, event.reason))
        self._failures += 1
        if self._failures > len(self.playlist.phases[entry.phase].tracks):
            return  # nothing in this phase plays: stay quiet until the phase changes
        after = self._following(entry)
        if play_id == self._queued:
            self._queued = None
            if after is not None:
                self._queue(after)
        elif play_id == self._current and self._queued is None and after is not None:
            self._retry = (self.clock() + SKIP_SILENCE_S, after)

    def _ended_event(self, play_id: str, entry: Entry, event: Ended) -> None:
        reason = event.reason
        if reason == "end" or (reason == "stopped" and play_id not in self._skipped):
            played = event.position + self._offsets.get(play_id, 0.0)
            self._emit(ev.track_ended(entry.track.title, round(played, 1), reason))
        self._offsets.pop(play_id, None)
        self._skipped.discard(play_id)
        if play_id == self._current and self._queued is None and self._retry is None:
            self._state = "silent"
        self._entries.pop(play_id, None)

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
        self._emit(ev.track_position(entry.track.title, entry.phase, entry.index,
                                     round(playing.position, 1)))
