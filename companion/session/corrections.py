"""Corrections during a session: the recent entries the sitter may correct or strike, and
the correction written for each (the screen, the clocks and the plan follow it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from companion.record import events as ev

if TYPE_CHECKING:
    from companion.plan import FormField, PlanTracker
    from companion.playlist.model import Playlist
    from companion.record.events import Event
    from companion.record.vitals import VitalsRanges
    from companion.session.ports import RecordPort
    from companion.session.writer import RecordWriter


class Corrections:
    """The controller's part that writes corrections (on the writer thread)."""

    playlist: Playlist
    record: RecordPort
    tracker: PlanTracker
    vitals_ranges: VitalsRanges | None
    _writer: RecordWriter
    _plan_stale: bool

    def correctable(self, limit: int = 12) -> list[tuple[int, Event]]:
        """(line, entry as corrected) of the recent entries the sitter may correct, newest first."""
        from companion.record.corrections import correctable

        self._writer.flush(timeout=1.0)  # an entry made a moment ago is on the list too
        return correctable(self.record.events, limit)

    def correct(self, line: int, action: str, values: Mapping[str, Any] | None = None,
                reason: str = "") -> None:
        """Write a correction of the entry on `line`; the screen, the 'since dose' clock and
        the plan's schedule follow it as soon as it is written (on the writer thread: a
        slow disk never holds up a key). Raises ValueError for an unknown line."""
        if not 1 <= line <= len(self.record.events):
            raise ValueError(f"there is no entry on line {line} of the record")
        self._writer.submit(self.record.correct, line, action, dict(values or {}) or None, reason)

    def _follow_corrections(self) -> None:
        """On the UI thread: after a correction, the plan replays the record in force."""
        if not self._plan_stale:
            return
        from companion.record.corrections import effective_events

        self._plan_stale = False
        self.tracker.rebuild(effective_events(self.record.events))

    def correction_form(self, item: str | None) -> tuple[FormField, ...]:
        """The vitals form for correcting an entry of `item`: its planned form when the plan
        has that item, else the form for vitals taken outside the schedule."""
        known = item in {i.id for i in self.playlist.plan.schedule}
        return self.tracker.form(item if known else None)

    def correct_vitals(self, line: int, raw: Mapping[str, Any], reason: str = "") -> None:
        """Correct a vitals entry with values as typed in the form (re-marked against the
        clinician's ranges); a vitals note gets its text rewritten. Raises PlanError."""
        from companion.plan import PlanError

        entry = self.record.events[line - 1]
        if entry.type == ev.NOTE:
            raise PlanError("a note is corrected by editing its text")
        item = entry.get("item")
        known = item in {i.id for i in self.playlist.plan.schedule}
        names = [f.name for f in self.correction_form(item)]
        clean, marks = self.tracker.check_values(raw, names)
        if not clean:
            raise PlanError("no values were given (to take the entry back, strike it)")
        values: dict[str, Any] = {"values": clean, "marks": marks or None}
        if known:
            values["missing"] = [n for n in names if n not in clean] or None
        self.correct(line, "correct", values, reason)

    def correct_note(self, line: int, text: str, reason: str = "") -> None:
        """Correct a note's text (vitals in it are read again and marked against the ranges)."""
        from companion.record.vitals import parse_vitals

        if not text.strip():
            raise ValueError("the note is empty: to take it back, strike it")
        vitals = parse_vitals(text, self.vitals_ranges)
        self.correct(line, "correct", {"text": text.strip(),
                                       "vitals": vitals.to_dict() if vitals else None}, reason)

    def correct_moment(self, line: int, text: str, reason: str = "") -> float:
        """Move an entry (the dose mark) to when it really happened: `12` (minutes ago) or
        `14:05`; returns the elapsed moment. Raises ValueError saying what to type."""
        from companion.record.corrections import moment_fields, parse_moment

        started = self.record.started_at
        moment = parse_moment(text, self.record.clock.elapsed(), started)
        self.correct(line, "correct", moment_fields(moment, started), reason)
        return moment
