"""The safe harbour and the soft landing: the music fades to the harbour track and back;
the long last fade when the last phase is over or the session ends."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.plan import PlanTracker
    from companion.playlist.model import Phase, Playlist
    from companion.session.facts import SessionFacts
    from companion.session.ports import PlayerPort, RecordPort


class HarbourAndLanding:
    """The controller's part that fades the music to the harbour, back, and out at the end."""

    playlist: Playlist
    record: RecordPort
    player: PlayerPort
    tracker: PlanTracker
    _lock: threading.Lock
    _facts: SessionFacts
    _ending: bool
    _landed: bool
    _landing_ends: float | None

    @property
    def in_harbour(self) -> bool:
        """True while the safe harbour lasts."""
        return self.tracker.in_harbour

    @property
    def harbour_words(self) -> str:
        """The plan's words for the sitter to say as the harbour begins ('' when it gives none)."""
        return self.playlist.plan.harbour.words

    def start_harbour(self) -> bool:
        """The safe harbour: the music fades to the harbour track at the harbour level.

        Returns False (and does nothing) when already in it or while the session ends.
        """
        if self._ending or self.tracker.in_harbour:
            return False
        harbour = self.playlist.plan.harbour
        self.player.harbour(True, harbour.track, fade=harbour.fade, level=harbour.level)
        self.tracker.harbour_started()
        with self._lock:
            self._facts.harbour_since = self.record.clock.elapsed()
        return True

    def stop_harbour(self, reason: str = "key") -> bool:
        """Leave the harbour: the phase's music fades back in where it was left."""
        if not self.tracker.in_harbour:
            return False
        if not self._ending:
            self.player.harbour(False, fade=self.playlist.plan.harbour.fade)
        self.tracker.harbour_stopped(reason)
        with self._lock:
            self._facts.harbour_since = None
        return True

    @property
    def landed(self) -> bool:
        """True once the soft landing has begun."""
        return self._landed

    def land(self, reason: str = "last_phase", fade_s: float | None = None) -> None:
        """The soft landing: the music fades over the plan's seconds (or `fade_s`), then
        the plan's `after` sound or silence."""
        with self._lock:  # the screen's poll and an end on a worker may both get here
            if self._landed:
                return
            self._landed = True
        if self.tracker.in_harbour:
            # The landing's fade takes the harbour track with it: no fade back first.
            self.tracker.harbour_stopped("ending")
        landing = self.playlist.plan.landing
        fade = float(landing.fade if fade_s is None else fade_s)
        self.player.land(fade, landing.after)
        self._landing_ends = self.record.clock.elapsed() + fade
        self.tracker.landing_started(reason)
        with self._lock:
            self._facts.landed = True
            self._facts.harbour_since = None

    def _last_phase_over(self) -> bool:
        """Whether the plan's last phase is over: its target time reached or, with no target,
        its last track within the landing's fade of its end (the landing ends with the music)."""
        phases = self.playlist.phases
        with self._lock:
            index = self._facts.phase_index
            started = self._facts.phase_starts.get(index)
        dose = self.tracker.dose_elapsed  # set with the key press, before the record has it
        if not phases or index != len(phases) - 1 or started is None:
            return False
        last = phases[-1]
        if last.minutes is not None and not last.until_dose:
            return self.record.clock.elapsed() - started >= last.minutes * 60
        if last.until_dose and dose is None:
            return False  # it lasts until the dose: its music goes round until then
        # No target (an until-dose phase after the dose): it ends when its music does.
        return self._last_track_ending(last, max(started, dose or 0.0))

    def _last_track_ending(self, phase: Phase, since: float) -> bool:
        """The untimed last phase's music is within the landing's fade of its end (`since`:
        elapsed seconds from which its tracks play through once)."""
        tracks = phase.tracks
        if not tracks or tracks[-1].loop:
            return False  # a looping last track plays until the sitter ends the session
        return self.player.last_phase_ending(float(self.playlist.plan.landing.fade), since)
