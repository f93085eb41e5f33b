"""The silent player: the Player's interface for a session with no audio engine.

Nothing plays, yet the session reads as it would with sound: the phases move on at their
target times, at the dose and when the sitter jumps, volume changes are recorded, and the
transport's state is what the record says. Everything else is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from companion.record import events as ev
from companion.session.player.tracks import Sounding

if TYPE_CHECKING:
    from companion.playlist.model import Playlist, Track
    from companion.session.player.tracks import NowPlaying, Upcoming
    from companion.session.facts import SessionFacts
    from companion.session.ports import EngineListener, EventSink


class SilentPlayer:
    """Keeps the phase plan in the record, as the Player would, with no sound at all."""

    def __init__(self, playlist: Playlist, *, facts: Callable[[], SessionFacts],
                 elapsed: Callable[[], float], on_event: EventSink) -> None:
        """facts: the record's facts now; elapsed: the session's elapsed seconds."""
        self.playlist = playlist
        self._facts = facts
        self._elapsed = elapsed
        self._on_event = on_event
        self._pending: int | None = None  # a phase asked for that the record has not yet
        self.listeners: list[EngineListener] = []

    def _emit(self, event: ev.NewEvent) -> None:
        self._on_event(event.type, event.fields)

    # -- what is heard: nothing, in the state the record says ------------------------------

    @property
    def state(self) -> str:
        """The transport as the record has it (`stopped` once the session has ended)."""
        facts = self._facts()
        if facts.ended:
            return "stopped"
        return ("harbour" if facts.harbour_since is not None else "holding" if facts.holding
                else "paused" if facts.paused else "playing")

    @property
    def phase_index(self) -> int:
        """The current phase, as the record has it."""
        return self._facts().phase_index

    @property
    def volume(self) -> int:
        """The volume, percent (from the record, else the playlist's starting volume)."""
        recorded = self._facts().volume
        return int(self.playlist.playback.volume) if recorded is None else recorded

    @property
    def now_playing(self) -> NowPlaying | None:
        """No track plays."""
        return None

    @property
    def upcoming(self) -> Upcoming | None:
        """Nothing is up next."""
        return None

    def sounding(self) -> Sounding:
        """The state alone: no title, no position."""
        return Sounding(self.state)

    def gain_db(self, track: Track) -> float:
        """The track's own gain (nothing is levelled)."""
        return float(track.gain_db)

    def last_phase_ending(self, fade: float, since: float) -> bool:
        """The last phase's tracks, played through once from `since` (elapsed seconds), would
        be within `fade` s of their end (never, when a length is unknown)."""
        tracks = self.playlist.phases[-1].tracks
        if any(track.seconds is None for track in tracks):
            return False
        return self._elapsed() - since >= sum(track.seconds or 0.0 for track in tracks) - fade

    # -- the phase plan --------------------------------------------------------------------

    def play(self) -> None:
        """The first phase begins."""
        phases = self.playlist.phases
        if phases:
            self._emit(ev.phase_changed(0, phases[0].name, "start",
                                        planned_minutes=phases[0].minutes))

    def poll(self) -> None:
        """Move on when a phase's target time has passed, as the player would."""
        elapsed = self._elapsed()
        phases = self.playlist.phases
        facts = self._facts()
        index = facts.phase_index
        started = facts.phase_starts.get(index)
        if self._pending == index + 1:
            return  # already asked for; the record has not caught up yet
        if not phases or started is None or index + 1 >= len(phases):
            return
        minutes = phases[index].minutes
        if minutes is not None and elapsed - started >= minutes * 60:
            self._pending = index + 1
            self._emit(ev.phase_changed(index + 1, phases[index + 1].name, "target",
                                        planned_minutes=phases[index + 1].minutes))

    def jump_to_phase(self, index: int) -> None:
        """Move to phase `index`."""
        phases = self.playlist.phases
        if 0 <= index < len(phases):
            self._emit(ev.phase_changed(index, phases[index].name, "sitter"))

    def dose_marked(self) -> None:
        """An until-dose phase gives way to the next."""
        phases = self.playlist.phases
        index = self.phase_index
        if phases and phases[index].until_dose and index + 1 < len(phases):
            self._emit(ev.phase_changed(index + 1, phases[index + 1].name, "dose"))

    def set_volume(self, percent: float) -> None:
        """Record the volume the sitter set (for when sound comes back, and for the report)."""
        self._emit(ev.volume_changed(percent, self.volume))

    def sound_check(self) -> dict[str, Any]:
        """A check of no seconds: nothing can play (the controller says so before asking)."""
        return {"sound": "nothing", "volume": self.volume, "seconds": 0}

    # -- no sound to move ------------------------------------------------------------------

    def play_from(self, phase: int, index: int, position: float, *,
                  phase_elapsed: float = 0.0) -> None:
        """No music to continue."""

    def pause(self) -> None:
        """Nothing to pause."""

    def resume(self) -> None:
        """Nothing to resume."""

    def next(self) -> bool | None:
        """Nothing to skip, and nothing to explain (None)."""
        return None

    def previous(self) -> None:
        """Nothing to go back to."""

    def holding(self, on: bool) -> None:
        """No holding sound."""

    def harbour(self, on: bool, track: Track | None = None, *, fade: float = 8.0,
                level: float | None = None) -> None:
        """No music to fade to the harbour."""

    def land(self, fade: float, after: Track | None = None) -> None:
        """No music to fade out."""

    def cue(self, role: str, at: float | None = None) -> None:
        """No cue sound."""
