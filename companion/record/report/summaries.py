"""A session's facts at a glance, and the time spent in each phase."""

from __future__ import annotations

from typing import Any

from companion.record import events as ev
from companion.record.reader import ReadResult


def summary(result: ReadResult) -> dict[str, Any]:
    """The session's facts at a glance (date, client, playlist, duration, status...)."""
    start = result.started
    f = start.fields if start else {}
    ended = next(result.of_type(ev.SESSION_ENDED), None)
    return {
        "id": result.id,
        "started": start.t if start else None,
        "client_code": f.get("client_code"),
        "playlist_name": f.get("playlist_name"),
        "playlist_hash": f.get("playlist_hash"),
        "app_version": f.get("app_version"),
        "intention": f.get("intention"),
        "duration": result.duration,
        "dose_elapsed": result.dose_elapsed,
        "status": "ended" if ended else "interrupted",
        "end_note": ended.get("note") if ended else None,
        "resumed": sum(1 for _ in result.of_type(ev.SESSION_RESUMED)),
        "write_errors": sum(1 for _ in result.of_type(ev.WRITE_ERROR)),
        "events": len(result.events),
        "torn_tail": result.torn_tail.text if result.torn_tail else None,
    }


def phase_times(result: ReadResult) -> list[tuple[str, float]]:
    """(phase name, seconds spent in it), in order of first entry; repeated phases add up."""
    totals: dict[str, float] = {}
    current: tuple[str, float] | None = None
    for event in result.events:
        if event.type in (ev.PHASE_CHANGED, ev.SESSION_ENDED) and current is not None:
            totals[current[0]] = totals.get(current[0], 0.0) + event.elapsed - current[1]
            current = None
        if event.type == ev.PHASE_CHANGED:
            name = str(event.get("name", event.get("phase", "?")))
            current = (name, event.elapsed)
            totals.setdefault(name, 0.0)
    if current is not None:
        totals[current[0]] += result.duration - current[1]
    return list(totals.items())
