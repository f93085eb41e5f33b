"""Values read from a playlist with their positions, and how messages quote what was written."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Located:
    """A value read from the document with its 1-based position; mappings also keep key positions."""

    value: Any
    line: int
    column: int
    key_marks: dict[str, tuple[int, int]] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """The plain value under `key` of a mapping (`default` when absent)."""
        item = self.value.get(key)
        return default if item is None else item.value

    def where(self, key: str) -> tuple[int, int]:
        """Position of the value under `key`, or of the mapping itself when absent."""
        item = self.value.get(key)
        return (item.line, item.column) if item is not None else (self.line, self.column)


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...]) -> str:
    """`; did you mean `x`?` for the closest candidate, or "" when none is close."""
    lowered = {c.lower().replace("-", "_"): c for c in candidates}
    match = difflib.get_close_matches(word.lower().replace("-", "_"), list(lowered), n=1,
                                      cutoff=0.6)
    return f"; did you mean `{lowered[match[0]]}`?" if match else ""


def has_control_characters(text: str) -> bool:
    """True when `text` holds a line break, tab, NUL or other control character."""
    return any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in text)


def one_line(text: str) -> str:
    """`text` with control characters escaped (`\\n`, `\\x00`), safe in a one-line message."""
    if not has_control_characters(text):
        return text
    return "".join(repr(ch)[1:-1] if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
                   for ch in text)


def short(text: str, limit: int = 40) -> str:
    """`text` on one line, cut to `limit` characters."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def number_text(value: float | None) -> str:
    """A number as a message quotes it: `90`, `1.5`."""
    return f"{value:g}"
