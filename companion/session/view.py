"""What the session screen shows: one immutable snapshot, built from the record's facts,
the player and the plan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.session.formats import up_next_text

if TYPE_CHECKING:  # the plan (and the playlist package it imports) load with the session
    from companion.plan import ItemStatus, PlanTracker
    from companion.playlist.model import Playlist
    from companion.session.facts import SessionFacts
    from companion.session.ports import PlayerPort

UNTIL_DOSE_NOMINAL = 15 * 60.0
"""How long an until-dose phase is drawn on the timeline before it has ended."""


@dataclass(frozen=True)
class PhaseSpan:
    """One phase on the timeline: its target length and when it ran (elapsed seconds)."""

    name: str
    target: float | None
    until_dose: bool
    started: float | None = None
    ended: float | None = None


@dataclass(frozen=True)
class NoteLine:
    """A note (or distress rating) as the screen lists it."""

    elapsed: float
    tag: str
    text: str
    outside_range: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionView:
    """Everything the session screen shows, as one immutable snapshot."""

    elapsed: float
    since_dose: float | None
    phases: tuple[PhaseSpan, ...]
    phase_index: int
    phase_elapsed: float
    title: str | None
    position: float | None
    duration: float | None
    volume: int
    state: str
    silent_reason: str | None
    up_next: str | None
    notes: tuple[NoteLine, ...]
    write_ok: bool = True
    ended: bool = False
    next_item: ItemStatus | None = None
    """The plan's item to show: the earliest due, else the next to come (None: no plan left)."""
    due: tuple[ItemStatus, ...] = ()
    """Every planned item due or overdue now, the earliest first."""
    observation_left: float | None = None
    """Seconds of minimum observation still to go (None: none set, or no dose yet)."""
    ready_elapsed: float | None = None
    """When the client was marked ready to leave (elapsed seconds), or None."""
    harbour_since: float | None = None
    """When the safe harbour began (elapsed seconds), or None when not in it."""
    landed: bool = False
    """The soft landing has begun: the music has faded for the last time."""
    too_quiet: bool = False
    """The track plays more than 20 dB below the loudness target, or the volume is 0 %."""

    @property
    def phase(self) -> PhaseSpan | None:
        """The current phase, if the playlist has any."""
        return self.phases[self.phase_index] if self.phases else None

    @property
    def phase_left(self) -> float | None:
        """Seconds left in the current phase against its target, or None (no target)."""
        phase = self.phase
        if phase is None or phase.target is None:
            return None
        return phase.target - self.phase_elapsed

    @property
    def state_word(self) -> str:
        """The word the screen shows for the sound: the transport's, and whether it is heard."""
        if self.silent_reason is None:
            if self.too_quiet and self.state == "playing":
                return "playing, too quiet to hear"
            return self.state
        if self.state in ("playing", "silent"):
            return "silent: no sound device"
        return f"{self.state} (silent)"


def build_view(facts: SessionFacts, playlist: Playlist, player: PlayerPort,
               tracker: PlanTracker, *, elapsed: float, volume: int,
               silent_reason: str | None, write_ok: bool) -> SessionView:
    """The snapshot at `elapsed` seconds: the record's facts, what the player plays, the plan."""
    spans = tuple(PhaseSpan(
        name=phase.name, target=None if phase.minutes is None else phase.minutes * 60.0,
        until_dose=phase.until_dose, started=facts.phase_starts.get(index, 0.0 if index == 0 else None),
        ended=facts.phase_ends.get(index)) for index, phase in enumerate(playlist.phases))
    current = min(facts.phase_index, max(0, len(spans) - 1))
    started = facts.phase_starts.get(current, 0.0)
    dose = facts.dose_elapsed
    sound = player.sounding()
    # After the landing only its `after` sound plays: nothing is up next.
    up_next = None if facts.landed else up_next_text(
        player.upcoming, [phase.name for phase in playlist.phases], elapsed)
    observation_ends = tracker.observation_ends()
    return SessionView(
        elapsed=elapsed, since_dose=None if dose is None else elapsed - dose,
        phases=spans, phase_index=current, phase_elapsed=max(0.0, elapsed - started),
        title=sound.title, position=sound.position, duration=sound.duration, volume=volume,
        state=sound.state, silent_reason=silent_reason, up_next=up_next,
        notes=tuple(facts.notes[-6:]), write_ok=write_ok, ended=facts.ended,
        next_item=tracker.next_item(), due=tuple(tracker.due_items()),
        observation_left=None if observation_ends is None else tracker.minimum_observation_left(),
        ready_elapsed=tracker.ready_elapsed, harbour_since=facts.harbour_since,
        landed=facts.landed, too_quiet=facts.track_too_quiet or facts.volume == 0)
