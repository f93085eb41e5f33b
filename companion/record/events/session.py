"""The session's own events: its start, resumes and end, the dose mark, and disk trouble."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from companion.record.events.event import FORMAT_VERSION, NewEvent, new_event

SESSION_STARTED = "session_started"
SESSION_RESUMED = "session_resumed"
SESSION_ENDED = "session_ended"
DOSE_MARKED = "dose_marked"
WRITE_ERROR = "write_error"
WRITE_RECOVERED = "write_recovered"

TYPES: Mapping[str, tuple[str, str]] = {
    SESSION_STARTED: ("The session began (always the first line).",
                      "format, app_version, started_at (UTC, the clock's anchor), "
                      "playlist_name, playlist_hash, client_code?, intention?"),
    SESSION_RESUMED: ("An interrupted session was continued in the same file.",
                      "last_elapsed (the last event before the interruption), gap (seconds "
                      "without a record), app_version, torn_tail? (text of a cut-off last line)"),
    SESSION_ENDED: ("The session was ended by the sitter (the last line; only write_error / "
                    "write_recovered lines written late may follow).",
                    "note?, dose_elapsed?"),
    DOSE_MARKED: ("The dose was taken; times 'since dose' count from here.",
                  "note?, and any detail the sitter gives (e.g. route, amount)"),
    WRITE_ERROR: ("The disk refused a write; events were kept in memory (written late).",
                  "error, errno?, unwritten (events waiting at that moment)"),
    WRITE_RECOVERED: ("Writing works again; all waiting events were written in order.",
                      "written (events written late), outage (seconds)"),
}


def session_started(*, app_version: str, started_at: str, playlist_name: str,
                    playlist_hash: str, client_code: str | None = None,
                    intention: str | None = None) -> NewEvent:
    """`session_started`: `started_at` is the clock's anchor, in UTC (ISO 8601)."""
    fields: dict[str, Any] = {"format": FORMAT_VERSION, "app_version": app_version,
                              "started_at": started_at, "playlist_name": playlist_name,
                              "playlist_hash": playlist_hash}
    if client_code:
        fields["client_code"] = client_code
    if intention:
        fields["intention"] = intention
    return NewEvent(SESSION_STARTED, fields)


def session_resumed(*, last_elapsed: float, gap: float, app_version: str,
                    torn_tail: str | None = None) -> NewEvent:
    """`session_resumed`, with the text of a cut-off last line when there was one."""
    return new_event(SESSION_RESUMED,
                     {"last_elapsed": last_elapsed, "gap": gap, "app_version": app_version},
                     torn_tail=torn_tail)


def session_ended(note: str | None = None, dose_elapsed: float | None = None) -> NewEvent:
    """`session_ended`, with the sitter's closing note and the dose mark in force."""
    fields: dict[str, Any] = {}
    if note:
        fields["note"] = note
    if dose_elapsed is not None:
        fields["dose_elapsed"] = dose_elapsed
    return NewEvent(SESSION_ENDED, fields)


def dose_marked(**detail: Any) -> NewEvent:
    """`dose_marked`, with whatever the sitter said of it (note, route, amount...)."""
    return NewEvent(DOSE_MARKED, dict(detail))


def write_error(error: str, unwritten: int, errno: str | None = None) -> NewEvent:
    """`write_error`: why the disk refused, and how many events wait in memory."""
    return new_event(WRITE_ERROR, {"error": error, "unwritten": unwritten}, errno=errno)


def write_recovered(written: int, outage: float) -> NewEvent:
    """`write_recovered`: how many events were written late, after how long."""
    return NewEvent(WRITE_RECOVERED, {"written": written, "outage": outage})
