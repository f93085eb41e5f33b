"""The session record: a durable JSON Lines log per session, resume, vitals and reports.

`SessionRecord.start(...)` / `SessionRecord.resume(path)` write; `read_events(path)` reads;
`find_interrupted(directory)` finds sessions with no end; `parse_vitals(text, ranges)`
turns written vitals into numbers; `to_markdown/to_csv/to_json` make reports; the events
themselves, their names and builders are in `companion.record.events`.
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.record.events import EVENT_TYPES, NOTE_TAGS, Event, WriteStatus
    from companion.record.files import safe_client_code, session_file_name
    from companion.record.log import SessionRecord
    from companion.record.reader import ReadResult, TornTail, read_events
    from companion.record.report import to_csv, to_json, to_markdown
    from companion.record.resume import find_interrupted, session_files
    from companion.record.vitals import EXAMPLE_RANGES, Vitals, VitalsRanges, parse_vitals

# The exercises and the plan need only the event names, and reports only at the end of a
# session: each name is imported from its module when first asked for (~40 ms of a launch).
__getattr__, __all__ = exports(__name__, {
    "events": ("EVENT_TYPES", "NOTE_TAGS", "Event", "WriteStatus"),
    "files": ("safe_client_code", "session_file_name"),
    "log": ("SessionRecord",),
    "reader": ("ReadResult", "TornTail", "read_events"),
    "report": ("to_csv", "to_json", "to_markdown"),
    "resume": ("find_interrupted", "session_files"),
    "vitals": ("EXAMPLE_RANGES", "Vitals", "VitalsRanges", "parse_vitals"),
})
