"""Checking a composed YAML document against the playlist format, keeping every position.

`validate_document` walks the nodes with `spec.build_format()` (`walker.py`) and returns
the values it could read (as `Located` trees: every value with its line and column) and
every problem it found: unknown keys (with a did-you-mean), missing keys, wrong types,
out-of-range numbers, duplicate keys, unknown tags; then the rules across keys
(`rules.py`): duplicate names, wording keys and the rest. It never stops at the first
problem.
"""

from __future__ import annotations

from companion.playlist import spec
from companion.playlist.loader import Document
from companion.playlist.located import Located
from companion.playlist.model import Problem
from companion.playlist.rules import check_meaning
from companion.playlist.walker import Walker


def validate_document(document: Document) -> tuple[Located | None, list[Problem]]:
    """The playlist's values (None if unreadable) and every problem in it, in file order."""
    walker = Walker(document.path)
    if document.root is None:
        walker.report((1, 1), "the file is empty; a playlist needs at least `name` and `phases`")
        return None, walker.problems
    record = walker.walk(document.root, spec.build_format(), "playlist")
    if record is not None:
        check_meaning(walker, record)
    walker.problems.sort(key=lambda p: (p.line, p.column))
    return record, walker.problems
