"""The sitter's words in the record: tagged notes, and corrections of earlier entries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from companion.record.events.event import Event, NewEvent, new_event

NOTE = "note"
CORRECTION = "correction"

TYPES: Mapping[str, tuple[str, str]] = {
    NOTE: ("A note by the sitter.",
           "tag (observation, intervention, vitals, client_words, other), text, vitals?"),
    CORRECTION: ("An earlier entry (vitals, dose mark, ready to leave, note) was corrected or "
                 "struck; that entry's line stays as it was written.",
                 "corrects (its line number in this file, counting from 1), target_type, "
                 "target_t (its type and `t`, to check the reference), action (correct/strike), "
                 "values? (correct: the fields as they should have been; `t`/`elapsed` move "
                 "a dose mark; null removes a field), reason?"),
}

NOTE_TAGS = ("observation", "intervention", "vitals", "client_words", "other")
NOTE_TAG_ALIASES: Mapping[str, str] = {
    "client's words": "client_words",
    "client words": "client_words",
    "client-words": "client_words",
    "words": "client_words",
    "obs": "observation",
}


def normalise_tag(tag: str) -> str:
    """The canonical note tag for `tag` (raises ValueError for an unknown one)."""
    key = tag.strip().lower()
    key = NOTE_TAG_ALIASES.get(key, key)
    if key not in NOTE_TAGS:
        raise ValueError(f"unknown note tag {tag!r}; use one of {', '.join(NOTE_TAGS)}")
    return key


def note(tag: str, text: str, vitals: Mapping[str, Any] | None = None) -> NewEvent:
    """`note` with its canonical tag (ValueError for an unknown one) and any vitals read in it."""
    return new_event(NOTE, {"tag": normalise_tag(tag), "text": text}, vitals=vitals or None)


CORRECT, STRIKE = "correct", "strike"
"""A correction's `action`: the entry gets new values, or is struck (was not so)."""


def correction_fields(line: int, target: Event, action: str,
                      values: Mapping[str, Any] | None = None, reason: str = "") -> dict[str, Any]:
    """The fields of a `correction` event naming the entry on `line` (1-based) of the file."""
    if action not in (CORRECT, STRIKE):
        raise ValueError(f"a correction's action is {CORRECT!r} or {STRIKE!r}, not {action!r}")
    if action == CORRECT and not values:
        raise ValueError("a correction needs the values as they should have been")
    fields: dict[str, Any] = {"corrects": line, "target_type": target.type,
                              "target_t": target.t, "action": action}
    if action == CORRECT:
        fields["values"] = dict(values or {})
    if reason.strip():
        fields["reason"] = reason.strip()
    return fields


def correction(line: int, target: Event, action: str, values: Mapping[str, Any] | None = None,
               reason: str = "") -> NewEvent:
    """`correction` of `target`, the entry on `line` (see `correction_fields`)."""
    return NewEvent(CORRECTION, correction_fields(line, target, action, values, reason))
