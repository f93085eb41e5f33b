"""The session record: a durable JSON Lines log per session, resume, vitals and reports.

`SessionRecord.start(...)` / `SessionRecord.resume(path)` write; `read_events(path)` reads;
`find_interrupted(directory)` finds sessions with no end; `parse_vitals(text, ranges)`
turns written vitals into numbers; `to_markdown/to_csv/to_json` make reports.
"""

from companion.record.events import EVENT_TYPES, NOTE_TAGS, Event, WriteStatus
from companion.record.log import SessionRecord, safe_client_code, session_file_name
from companion.record.reader import ReadResult, TornTail, read_events
from companion.record.resume import find_interrupted, resume, session_files
from companion.record.vitals import EXAMPLE_RANGES, Vitals, VitalsRanges, parse_vitals

_REPORTS = ("to_csv", "to_json", "to_markdown")


def __getattr__(name: str):
    # Reports are needed only at the end of a session; importing them lazily keeps ~40 ms
    # off every launch.
    if name in _REPORTS:
        from companion.record import report

        return getattr(report, name)
    raise AttributeError(f"module 'companion.record' has no attribute {name!r}")

__all__ = [
    "EVENT_TYPES", "EXAMPLE_RANGES", "NOTE_TAGS", "Event", "ReadResult", "SessionRecord",
    "TornTail", "Vitals", "VitalsRanges", "WriteStatus", "find_interrupted", "parse_vitals",
    "read_events", "resume", "safe_client_code", "session_file_name", "session_files",
    "to_csv", "to_json", "to_markdown",
]
