"""The Player: the transport, plus the sounds over the music (holding, the sound check, the
safe harbour, the soft landing, cues) and the volume, moved on by `poll()`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from companion.record import events as ev
from companion.session.player.sources import DEFAULT_CUE, DEFAULT_HOLDING
from companion.session.player.timing import (
    CUE_DUCK_DB,
    HARBOUR_SLOT,
    HOLD_BACK_S,
    HOLD_IN_S,
    HOLDING_SLOT,
    LANDING_SLOT,
    MIN_FADE_S,
    MUSIC_SLOT,
    SOUND_CHECK_FADE_S,
    SOUND_CHECK_S,
    SOUND_CHECK_SLOT,
    VOLUME_RAMP_S,
)
from companion.session.player.transport import Transport

if TYPE_CHECKING:
    from companion.playlist.model import Track


class Player(Transport):
    """Plays a playlist's phases through an audio engine (`companion.audio.port.EnginePort`)."""

    def holding(self, on: bool) -> None:
        """Switch at once to the holding track (quick crossfade), or fade back to where it was."""
        if on == self._holding:
            return
        track = self.playlist.playback.holding
        if on:
            self._position = self.now_playing.position if self.now_playing else self._position
            self.engine.suspend(MUSIC_SLOT, HOLD_IN_S)
            self.engine.play(HOLDING_SLOT, **_looping(self.sources.held(track)), fade_in=HOLD_IN_S,
                             overlap=HOLD_IN_S)
            self._holding = True
            self._emit(ev.holding_started(track.title if track is not None else "Holding"))
        else:
            self.engine.stop(HOLDING_SLOT, HOLD_BACK_S)
            self.engine.unsuspend(MUSIC_SLOT, HOLD_BACK_S)
            self._holding = False
            self._position_at = self.clock()
            self._emit(ev.holding_stopped())

    def sound_check(self, seconds: float = SOUND_CHECK_S) -> dict[str, Any]:
        """Play a short sample of the holding sound at the session's volume, the music held
        still meanwhile, so the sitter can set the laptop's volume by ear; returns the record's
        fields (what played and how loud it is at the device, in LUFS when known)."""
        track = self.playlist.playback.holding
        source = self.sources.held(track)
        source.update(seconds=seconds, loop=bool(source.get("file")))
        self._prime()
        fields: dict[str, Any] = {"sound": track.title if track is not None else "Holding",
                                  "volume": round(self.volume), "seconds": seconds}
        if self._holding or self._harbour:
            fields["seconds"] = 0  # the holding sound already plays: listen to it as it is
        else:
            if self._check_ends is None:
                self.engine.suspend(MUSIC_SLOT, SOUND_CHECK_FADE_S)
            self.engine.play(SOUND_CHECK_SLOT, **source, fade_in=SOUND_CHECK_FADE_S,
                             fade_out=SOUND_CHECK_FADE_S, overlap=SOUND_CHECK_FADE_S)
            self._check_ends = self.clock() + seconds
        below = self.below_target_db(track if track is not None else DEFAULT_HOLDING)
        target = getattr(self.playlist.playback, "loudness_target", None)
        if self.sources.levels is not None and below is not None and below != float("inf") and target:
            from companion.audio.levels import percent_to_db

            fields["device_lufs"] = round(target - below + percent_to_db(self.volume), 1)
        return fields

    def _end_sound_check(self) -> None:
        """The sample has faded: the music comes back from where it held."""
        self._check_ends = None
        if not (self._holding or self._harbour):
            self.engine.unsuspend(MUSIC_SLOT, SOUND_CHECK_FADE_S)

    def harbour(self, on: bool, track: Track | None = None, *, fade: float = 8.0,
                level: float | None = None) -> None:
        """The safe harbour: the music holds still as `track` fades in and the volume goes to
        `level` percent (None: as it is), all over `fade` s; without a track the music itself
        fades to `level`. Off: the same way back, the music going on from where it held."""
        if on == self._harbour:
            return
        fade = max(MIN_FADE_S, float(fade))
        if on:
            self._enter_harbour(track, fade, level)
            return
        if self._harbour_track is not None:
            self.engine.stop(HARBOUR_SLOT, fade)
            self.engine.unsuspend(MUSIC_SLOT, fade)
            self._position_at = self.clock()
        self.engine.set_volume(self.volume, ramp_s=fade)
        self._harbour = False
        self._harbour_track = None
        if self._dose_waiting:
            self._dose_waiting = False
            self.dose_marked()

    def _enter_harbour(self, track: Track | None, fade: float, level: float | None) -> None:
        if self._paused:  # the harbour must be heard
            self.engine.resume(fade)
            self._paused = False
            self._position_at = self.clock()
            self._emit(ev.resumed())
        if self._holding:
            self.engine.stop(HOLDING_SLOT, fade)
            self._holding = False
            self._emit(ev.holding_stopped())
        self._harbour_track = track
        if track is not None:
            self._position = self.now_playing.position if self.now_playing else self._position
            self.engine.suspend(MUSIC_SLOT, fade)
            self.engine.play(HARBOUR_SLOT, **_looping(self.sources.source(track)), fade_in=fade,
                             overlap=fade)
        if level is not None:
            target = max(0.0, min(float(level), self.ceiling))
            self.engine.set_volume(target, ramp_s=fade)
        self._harbour = True

    def land(self, fade: float, after: Track | None = None) -> None:
        """The soft landing: everything fades out over `fade` s (never a cut), then `after`
        (a playlist Track) fades in with its own fade-in; without one, silence."""
        fade = max(MIN_FADE_S, float(fade))
        self.stop(fade)
        if after is None:
            return
        fade_in, fade_out = self.sources.fades(after)
        at = self.clock() + fade
        self.engine.play(LANDING_SLOT, **self.sources.source(after), fade_in=fade_in,
                         fade_out=fade_out, at=at)
        self._after = (after, at)

    def last_phase_ending(self, fade: float, since: float) -> bool:
        """The last phase's last track plays within `fade` s of its end (or nothing plays).
        `since` is not needed: the player knows where the music is."""
        playing = self.now_playing
        if playing is None:
            return self.state == "silent"
        phases = self.playlist.phases
        return (playing.phase == len(phases) - 1 and playing.index == len(phases[-1].tracks) - 1
                and playing.duration is not None and playing.position >= playing.duration - fade)

    def set_volume(self, percent: float) -> None:
        """Ramp the volume to `percent`, never above the playlist's ceiling."""
        target = max(0.0, min(float(percent), self.ceiling))
        previous = self.volume
        self.volume = target
        self.engine.set_volume(target, ramp_s=VOLUME_RAMP_S)
        self._emit(ev.volume_changed(int(round(target)), int(round(previous))))

    def cue(self, role: str, at: float | None = None) -> None:
        """Sound the playlist's cue for `role` (a soft bell when it names none) at monotonic `at`."""
        track = self.playlist.cues.get(role)
        if track is None:
            self.engine.cue(builtin=DEFAULT_CUE.builtin, gain_db=self.gain_db(DEFAULT_CUE), at=at,
                            duck_db=CUE_DUCK_DB)
        else:
            self.engine.cue(file=track.file, builtin=track.builtin, seed=track.seed,
                            gain_db=self.gain_db(track), at=at, duck_db=CUE_DUCK_DB)

    def stop(self, fade_s: float = 6.0) -> None:
        """Fade everything out over `fade_s` (the soft landing at the end of a session)."""
        self.engine.stop(MUSIC_SLOT, fade_s)
        self.engine.stop(HOLDING_SLOT, fade_s)
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


def _looping(source: dict[str, Any]) -> dict[str, Any]:
    """A holding or harbour sound goes round: a file loops; a built-in as it says."""
    source["loop"] = True if source.get("file") else source.get("loop", False)
    return source
