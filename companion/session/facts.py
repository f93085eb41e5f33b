"""What the record says about the session so far: phases, dose, volume, notes, the log.

The screen's state is read from the record's events (never kept beside them), so a resumed
session shows exactly what its record says, clock intact. Each event type has its handler
in `_HANDLERS`; a type with none only adds its line to the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from companion.audio.levels import INAUDIBLE_BELOW_TARGET_DB
from companion.record import events as ev
from companion.record.events import Event
from companion.clock import format_clock
from companion.session.formats import vitals_text
from companion.session.view import NoteLine


@dataclass(frozen=True)
class MusicAt:
    """Where the phase music was, as the record last said: for a resume."""

    phase: int
    index: int
    title: str
    position: float


@dataclass
class SessionFacts:
    """The session's facts read from its record's events (so a resumed session rebuilds them)."""

    phase_starts: dict[int, float] = field(default_factory=dict)
    phase_ends: dict[int, float] = field(default_factory=dict)
    phase_index: int = 0
    dose_elapsed: float | None = None
    volume: int | None = None
    track_too_quiet: bool = False
    holding: bool = False
    paused: bool = False
    notes: list[NoteLine] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    ended: bool = False
    harbour_since: float | None = None
    landed: bool = False
    music: MusicAt | None = None

    @classmethod
    def of(cls, events: Iterable[Event]) -> SessionFacts:
        """The facts of a whole record, corrections applied: a struck entry (a dose marked
        by mistake) counts for nothing, a corrected one with its new values; the log keeps
        every line, struck ones said as struck."""
        from companion.record.corrections import apply_corrections

        facts = cls()
        for event in apply_corrections(list(events)):
            if event.get("struck") or event.type == ev.CORRECTION:
                facts.log.append(_log_line(event))
            else:
                facts.add(event)
        return facts

    def add(self, event: Event) -> None:
        """Take in one record event."""
        if event.type == ev.TRACK_POSITION:  # bookkeeping for a resume, not a line in the log
            self.music = _music_at(event, self.music)
            return
        self.log.append(_log_line(event))
        handler = _HANDLERS.get(event.type)
        if handler is not None:
            handler(self, event)


def _track_started(facts: SessionFacts, event: Event) -> None:
    facts.music = _music_at(event, None, position=0.0)
    below = event.get("below_target_db")
    facts.track_too_quiet = below == "silent" or (
        isinstance(below, (int, float)) and below > INAUDIBLE_BELOW_TARGET_DB)


def _phase_changed(facts: SessionFacts, event: Event) -> None:
    index = int(event.get("index", facts.phase_index))
    if event.get("resumed") and index == facts.phase_index and index in facts.phase_starts:
        return
    if facts.phase_index in facts.phase_starts and index != facts.phase_index:
        facts.phase_ends[facts.phase_index] = event.elapsed
    facts.phase_index = index
    facts.phase_starts[index] = event.elapsed
    facts.phase_ends.pop(index, None)


def _dose_marked(facts: SessionFacts, event: Event) -> None:
    facts.dose_elapsed = event.elapsed


def _volume_changed(facts: SessionFacts, event: Event) -> None:
    facts.volume = int(event.get("volume", facts.volume or 0))


def _holding(on: bool) -> Callable[[SessionFacts, Event], None]:
    def handle(facts: SessionFacts, _event: Event) -> None:
        facts.holding = on

    return handle


def _paused(facts: SessionFacts, event: Event) -> None:
    facts.paused = True
    if facts.music is not None and event.get("position") is not None:
        facts.music = _music_at(event, facts.music)


def _resumed(facts: SessionFacts, _event: Event) -> None:
    facts.paused = False


def _note(facts: SessionFacts, event: Event) -> None:
    marks = tuple(f"{k} {v}" for k, v in (event.get("vitals") or {}).get("marks", {}).items())
    facts.notes.append(NoteLine(event.elapsed, str(event.get("tag", "note")),
                                str(event.get("text", "")) + _corrected(event), marks))


def _distress_rating(facts: SessionFacts, event: Event) -> None:
    # Grounding writes `rating`, breathing `value`.
    rating = event.get("rating", event.get("value"))
    if rating is not None:
        when = event.get("when")
        tag = f"distress {when}" if when else "distress"
        facts.notes.append(NoteLine(event.elapsed, tag, f"{rating} / 10", ()))


def _vitals_done(facts: SessionFacts, event: Event) -> None:
    marks = tuple(f"{k} {v}" for k, v in (event.get("marks") or {}).items())
    facts.notes.append(NoteLine(event.elapsed, "vitals",
                                vitals_text(event.get("values") or {}) + _corrected(event), marks))


def _corrected(event: Event) -> str:
    return " (corrected)" if event.get("corrected_by") else ""


def _harbour_started(facts: SessionFacts, event: Event) -> None:
    facts.harbour_since = event.elapsed


def _harbour_over(facts: SessionFacts, _event: Event) -> None:
    # Left, or a resumed session: the music starts afresh after a crash.
    facts.harbour_since = None


def _landing_started(facts: SessionFacts, _event: Event) -> None:
    facts.landed = True


def _session_ended(facts: SessionFacts, _event: Event) -> None:
    facts.ended = True


def _track_failed(facts: SessionFacts, event: Event) -> None:
    facts.notices.append(f"Skipped {event.get('title', 'a track')!s}: "
                         f"{event.get('reason') or 'it could not be played'}. "
                         "The music goes on.")


def _write_error(facts: SessionFacts, event: Event) -> None:
    facts.notices.append(f"The record could not be written ({event.get('error')}); "
                         "events are kept and written when the disk allows.")


_HANDLERS: dict[str, Callable[[SessionFacts, Event], None]] = {
    ev.TRACK_STARTED: _track_started,
    ev.PHASE_CHANGED: _phase_changed,
    ev.DOSE_MARKED: _dose_marked,
    ev.VOLUME_CHANGED: _volume_changed,
    ev.HOLDING_STARTED: _holding(True),
    ev.HOLDING_STOPPED: _holding(False),
    ev.PAUSED: _paused,
    ev.RESUMED: _resumed,
    ev.NOTE: _note,
    ev.DISTRESS_RATING: _distress_rating,
    ev.VITALS_DONE: _vitals_done,
    ev.HARBOUR_STARTED: _harbour_started,
    ev.HARBOUR_STOPPED: _harbour_over,
    ev.SESSION_RESUMED: _harbour_over,
    ev.LANDING_STARTED: _landing_started,
    ev.SESSION_ENDED: _session_ended,
    ev.TRACK_FAILED: _track_failed,
    ev.WRITE_ERROR: _write_error,
}


def _music_at(event: Event, known: MusicAt | None, position: float | None = None) -> MusicAt | None:
    """The music's place from a track event; fields it lacks are taken from `known`."""
    phase, index = event.get("phase"), event.get("index")
    title = event.get("title")
    if phase is None or index is None or title is None:
        if known is None:
            return None
        phase, index, title = known.phase, known.index, known.title
    where = event.get("position", 0.0) if position is None else position
    try:
        return MusicAt(int(phase), int(index), str(title), max(0.0, float(where)))
    except (TypeError, ValueError):
        return known


def _log_line(event: Event) -> str:
    """One event as a line for the sitter's log view: elapsed time, then what happened."""
    from companion.record.report import describe_shown

    return f"{format_clock(event.elapsed)}  {describe_shown(event)}"
