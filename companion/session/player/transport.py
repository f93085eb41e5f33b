"""The transport through the phases: play, pause and resume, next and previous, jumping to
a phase, and moving on at the dose."""

from __future__ import annotations

from companion.record import events as ev
from companion.session.player.core import PlayerCore
from companion.session.player.timing import PAUSE_FADE_S, RESTART_AFTER_S, RESUME_FADE_S
from companion.session.player.tracks import Entry


class Transport(PlayerCore):
    """What the sitter's transport keys and the phase plan ask of the music."""

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
            entry = Entry(index, track, self.playlist.phases[index].tracks[track])
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
        self._emit(ev.paused(round(self._position, 1)))

    def resume(self) -> None:
        """Continue from the same sample, fading in."""
        if not self._paused:
            return
        self.engine.resume(PAUSE_FADE_S)
        self._paused = False
        self._position_at = self.clock()
        self._emit(ev.resumed())

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
        after = self._next_entry(entry) or self._first(entry.phase + 1)
        if after is None:
            return False
        self._left("next")
        self._go(after, "sitter")
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

    def _go(self, entry: Entry, reason: str) -> None:
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
