"""Vital signs in the record: their names and ranges, reading them from text, and slips no
living person could have.

`readings` (the names, `VitalsRanges`, `Vitals`), `text` (`parse_vitals`: `BP 132/84 HR 78
SpO2 98 RR 14 T 36.8` into numbers, marked against the clinician's ranges; never an alarm),
`plausible` (`implausible`: `15095`, `880`, with a likely fix), `notes` (the same for a
note's text, and the note with the fixes written in) and `recorded` (every reading in a
record, form and note alike; imported on its own, as it reads records).
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.record.vitals.notes import fixed_note, note_implausible
    from companion.record.vitals.plausible import (PLAUSIBLE, PLAUSIBLE_FAHRENHEIT, Implausible,
                                                   as_number, implausible)
    from companion.record.vitals.readings import (EXAMPLE_RANGES, MEASURES, OLD_READING_NAMES,
                                                  READING_LABELS, READING_NAMES, Range, Vitals,
                                                  VitalsRanges, reading_fields)
    from companion.record.vitals.text import Span, parse_vitals

__getattr__, __all__ = exports(__name__, {
    "notes": ("fixed_note", "note_implausible"),
    "plausible": ("PLAUSIBLE", "PLAUSIBLE_FAHRENHEIT", "Implausible", "as_number",
        "implausible"),
    "readings": ("EXAMPLE_RANGES", "MEASURES", "OLD_READING_NAMES", "READING_LABELS",
        "READING_NAMES", "Range", "Vitals", "VitalsRanges", "reading_fields"),
    "text": ("Span", "parse_vitals"),
})
