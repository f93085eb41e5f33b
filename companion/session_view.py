"""What the session screen shows: the view snapshot, the facts folded from record events,
and how times and vitals are written.

Plain Python, no Textual. The screen's state is folded from the record's events (never kept
beside them), so a resumed session shows exactly what its record says, clock intact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from companion.audio.levels import INAUDIBLE_BELOW_TARGET_DB

if TYPE_CHECKING:  # the plan (and the playlist package it imports) load with the session
    from companion.plan import ItemStatus

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


@dataclass(frozen=True)
class MusicAt:
    """Where the phase music was, as the record last said: for a resume."""

    phase: int
    index: int
    title: str
    position: float


@dataclass
class Folded:
    """Session facts folded from record events (so a resumed session rebuilds them)."""

    phase_starts: dict[int, float] = field(default_factory=dict)
    phase_ends: dict[int, float] = field(default_factory=dict)
    phase_index: int = 0
    pending_phase: int | None = None
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
    def of(cls, events: Any) -> Folded:
        """The facts of a whole record, corrections applied: a struck entry (a dose marked
        by mistake) counts for nothing, a corrected one with its new values; the log keeps
        every line, struck ones said as struck."""
        from companion.record.corrections import apply_corrections

        folded = cls()
        for event in apply_corrections(list(events)):
            if event.get("struck") or event.type == "correction":
                folded.log.append(_log_line(event))
            else:
                folded.add(event)
        return folded

    def add(self, event: Any) -> None:
        """Take in one record event."""
        folded, kind = self, event.type
        if kind == "track_position":  # bookkeeping for a resume, not a line in the log
            folded.music = _music_at(event, folded.music)
            return
        folded.log.append(_log_line(event))
        corrected = " (corrected)" if event.get("corrected_by") else ""
        if kind == "track_started":
            folded.music = _music_at(event, None, position=0.0)
            below = event.get("below_target_db")
            folded.track_too_quiet = below == "silent" or (
                isinstance(below, (int, float)) and below > INAUDIBLE_BELOW_TARGET_DB)
        elif kind == "phase_changed":
            index = int(event.get("index", folded.phase_index))
            if event.get("resumed") and index == folded.phase_index and index in folded.phase_starts:
                return
            if folded.phase_index in folded.phase_starts and index != folded.phase_index:
                folded.phase_ends[folded.phase_index] = event.elapsed
            folded.phase_index = index
            folded.phase_starts[index] = event.elapsed
            folded.phase_ends.pop(index, None)
        elif kind == "dose_marked":
            folded.dose_elapsed = event.elapsed
        elif kind == "volume_changed":
            folded.volume = int(event.get("volume", folded.volume or 0))
        elif kind == "holding_started":
            folded.holding = True
        elif kind == "holding_stopped":
            folded.holding = False
        elif kind == "paused":
            folded.paused = True
            if folded.music is not None and event.get("position") is not None:
                folded.music = _music_at(event, folded.music)
        elif kind == "resumed":
            folded.paused = False
        elif kind == "note":
            marks = tuple(f"{k} {v}" for k, v in (event.get("vitals") or {}).get("marks", {}).items())
            folded.notes.append(NoteLine(event.elapsed, str(event.get("tag", "note")),
                                         str(event.get("text", "")) + corrected, marks))
        elif kind == "distress_rating":
            # Grounding writes `rating`, breathing `value`.
            rating = event.get("rating", event.get("value"))
            if rating is not None:
                when = event.get("when")
                tag = f"distress {when}" if when else "distress"
                folded.notes.append(NoteLine(event.elapsed, tag, f"{rating} / 10", ()))
        elif kind == "vitals_done":
            marks = tuple(f"{k} {v}" for k, v in (event.get("marks") or {}).items())
            folded.notes.append(NoteLine(event.elapsed, "vitals",
                                         vitals_text(event.get("values") or {}) + corrected,
                                         marks))
        elif kind == "harbour_started":
            folded.harbour_since = event.elapsed
        elif kind == "harbour_stopped":
            folded.harbour_since = None
        elif kind == "session_resumed":
            folded.harbour_since = None  # the music starts afresh after a crash
        elif kind == "landing_started":
            folded.landed = True
        elif kind == "session_ended":
            folded.ended = True
        elif kind == "track_failed":
            folded.notices.append(f"Skipped {event.get('title', 'a track')!s}: "
                                  f"{event.get('reason') or 'it could not be played'}. "
                                  "The music goes on.")
        elif kind == "write_error":
            folded.notices.append(f"The record could not be written ({event.get('error')}); "
                                  "events are kept and written when the disk allows.")


def _music_at(event: Any, known: MusicAt | None, position: float | None = None) -> MusicAt | None:
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


VALUE_LABELS = {"hr": "HR", "spo2": "SpO2", "rr": "RR", "temp": "Temp"}


def vitals_text(values: Mapping[str, Any]) -> str:
    """Recorded values as a sitter writes them: `BP 132/84 HR 78 SpO2 98 moaa-s 5`."""
    values = dict(values)
    parts = []
    if "systolic" in values or "diastolic" in values:
        parts.append(f"BP {_number(values.pop('systolic', '?'))}/"
                     f"{_number(values.pop('diastolic', '?'))}")
    parts += [f"{VALUE_LABELS.get(name, name)} {_number(value)}" for name, value in values.items()]
    return " ".join(parts) or "(no readings)"


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def format_clock(seconds: float | None) -> str:
    """`H:MM:SS` for a duration (negative shown as 0), `-:--:--` for None."""
    if seconds is None:
        return "-:--:--"
    whole = max(0, int(seconds))
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def format_short(seconds: float | None) -> str:
    """`M:SS` (or `H:MM:SS` past an hour) for track positions; `--:--` for None."""
    if seconds is None:
        return "--:--"
    whole = max(0, int(seconds))
    if whole >= 3600:
        return format_clock(whole)
    return f"{whole // 60}:{whole % 60:02d}"


def up_next_text(upcoming: Any, phase_names: list[str], elapsed: float) -> str | None:
    """What "Up next" says, from the player's `Upcoming`: the track that will really play,
    saying so when the phase loops (`Softening again (loops) · then Open sky (Peak) at
    0:25:00`) and when a new phase starts (`Open sky (Peak, at 0:25:00)`)."""
    if upcoming is None:
        return None

    def phase_name(index: int | None) -> str:
        return phase_names[index] if index is not None and 0 <= index < len(phase_names) else ""

    at = None if upcoming.phase_left is None else format_clock(elapsed + upcoming.phase_left)
    if upcoming.repeats:
        text = f"{upcoming.title} again (loops)"
        if upcoming.then_title is None:
            return text + " to the end"
        when = f"at {at}" if at is not None else "after the dose"
        return f"{text} · then {upcoming.then_title} ({phase_name(upcoming.then_phase)}) {when}"
    if not upcoming.starts_phase:
        return str(upcoming.title)
    if at is not None:
        return f"{upcoming.title} ({phase_name(upcoming.phase)}, at {at})"
    return f"{upcoming.title} ({phase_name(upcoming.phase)})"


def _log_line(event: Any) -> str:
    """One event as a line for the sitter's log view: elapsed time, then what happened."""
    from companion.record.report import describe_shown

    return f"{format_clock(event.elapsed)}  {describe_shown(event)}"
