"""Checking a playlist's `wording:` lines: each names a key English defines, with the right fields."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.errors import CompanionError
from companion.playlist.located import Located, did_you_mean

if TYPE_CHECKING:
    from companion.playlist.walker import Walker


def check_wording_keys(walker: Walker, wording: Located) -> None:
    """Each `wording:` line names a key English defines and would show as the clinician meant."""
    try:
        from companion import wording as prompts

        english = prompts.load_language(prompts.DEFAULT_LANGUAGE)
    except (ImportError, AttributeError):
        return
    except CompanionError as error:
        walker.report((wording.line, wording.column), f"cannot read the bundled wording to "
                      f"check these keys: {error}", "warning")
        return
    known = sorted(english)
    for key, line in wording.value.items():
        if key not in english:
            walker.report(wording.key_marks[key], f"unknown wording key `{key}`"
                          f"{did_you_mean(key, known)}")
            continue
        problem = _wording_line_problem(key, line.value, english[key])
        if problem:
            walker.report((line.line, line.column), problem)


def _wording_line_problem(key: str, text: str, english: str) -> str:
    """Why a playlist's line for `key` would show wrongly ("" when it is fine)."""
    from companion.wording import line_fields, may_be_blank

    if not text.strip():
        if may_be_blank(key):
            return ""
        return (f"`{key}` is empty; write its words, or leave the key out to keep "
                "Companion's own line")
    try:
        used = line_fields(text)
    except ValueError:
        return (f"`{key}` has a `{{` or `}}` without its pair; Companion fills fields written "
                "like {number}")
    allowed = sorted(line_fields(english))
    unknown = sorted(used - set(allowed))
    if not unknown:
        return ""
    name = unknown[0]
    if not allowed:
        return (f"`{key}` has `{{{name}}}`, but Companion fills nothing in this line; "
                "remove the braces")
    fields = ", ".join(f"{{{field}}}" for field in allowed)
    return (f"`{key}` has `{{{name}}}`, which Companion does not fill here (this line "
            f"takes {fields}){did_you_mean(name, allowed)}")
