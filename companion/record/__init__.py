"""The session record: a durable JSON Lines log per session, resume, vitals and reports.

`SessionRecord.start(...)` / `SessionRecord.resume(path)` write; `read_events(path)` reads;
`find_interrupted(directory)` finds sessions with no end; `parse_vitals(text, ranges)`
turns written vitals into numbers; `to_markdown/to_csv/to_json` make reports; the events
themselves, their names and builders are in `companion.record.events`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# `resume` is also the name of a module here: the function is bound now, before anything
# imports the module (whose name would then shadow it).
from companion.record.resume import resume

if TYPE_CHECKING:
    from companion.record.events import EVENT_TYPES, NOTE_TAGS, Event, WriteStatus
    from companion.record.files import safe_client_code, session_file_name
    from companion.record.log import SessionRecord
    from companion.record.reader import ReadResult, TornTail, read_events
    from companion.record.report import to_csv, to_json, to_markdown
    from companion.record.resume import find_interrupted, session_files
    from companion.record.vitals import EXAMPLE_RANGES, Vitals, VitalsRanges, parse_vitals

# Each other name is imported from its module when first asked for: the exercises and the plan
# need only the event names, and reports only at the end of a session (~40 ms of a launch).
_HOMES = {
    "events": ("EVENT_TYPES", "NOTE_TAGS", "Event", "WriteStatus"),
    "files": ("safe_client_code", "session_file_name"),
    "log": ("SessionRecord",),
    "reader": ("ReadResult", "TornTail", "read_events"),
    "report": ("to_csv", "to_json", "to_markdown"),
    "resume": ("find_interrupted", "session_files"),
    "vitals": ("EXAMPLE_RANGES", "Vitals", "VitalsRanges", "parse_vitals"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'companion.record' has no attribute {name!r}")
    return getattr(importlib.import_module(f"companion.record.{module}"), name)


__all__ = [
    "EVENT_TYPES", "EXAMPLE_RANGES", "NOTE_TAGS", "Event", "ReadResult", "SessionRecord",
    "TornTail", "Vitals", "VitalsRanges", "WriteStatus", "find_interrupted", "parse_vitals",
    "read_events", "resume", "safe_client_code", "session_file_name", "session_files",
    "to_csv", "to_json", "to_markdown",
]
