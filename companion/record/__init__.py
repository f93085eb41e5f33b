"""The session record: a durable JSON Lines log per session, resume, vitals and reports.

`SessionRecord.start(...)` / `SessionRecord.resume(path)` write; `read_events(path)` reads;
`find_interrupted(directory)` finds sessions with no end; `parse_vitals(text, ranges)`
turns written vitals into numbers; `to_markdown/to_csv/to_json` make reports.
"""

from companion.record.events import EVENT_TYPES, NOTE_TAGS, Event, WriteStatus
from companion.record.log import SessionRecord, safe_client_code, session_file_name
from companion.record.reader import ReadResult, TornTail, read_events
from companion.record.report import to_csv, to_json, to_markdown
from companion.record.resume import find_interrupted, resume, session_files
from companion.record.vitals import EXAMPLE_RANGES, Vitals, VitalsRanges, parse_vitals

__all__ = [
    "EVENT_TYPES", "EXAMPLE_RANGES", "NOTE_TAGS", "Event", "ReadResult", "SessionRecord",
    "TornTail", "Vitals", "VitalsRanges", "WriteStatus", "find_interrupted", "parse_vitals",
    "read_events", "resume", "safe_client_code", "session_file_name", "session_files",
    "to_csv", "to_json", "to_markdown",
]
