"""Lines of wording: a `Wording` for one language, filling `{fields}`, and what a line may hold."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from companion.wording.locales import (DEFAULT_LANGUAGE, language_chain, load_language,
                                       normalize_language)


def counted(count: Any, singular: str, plural: str | None = None) -> str:
    """`1 cycle`, `3 cycles`, `? cycles`: a number with its noun in the right number."""
    noun = singular if count == 1 else (plural or singular + "s")
    return f"{count} {noun}"


BLANK_ALLOWED = ("hint", "summary", "subtitle")
"""Lines that may be left blank ("" shows nothing there): hints, summaries, the subtitle."""


def may_be_blank(key: str) -> bool:
    """True when `key` names a line that can be empty (`grounding.taste.hint`), not a prompt."""
    return key.rpartition(".")[2].endswith(BLANK_ALLOWED)


def line_fields(text: str) -> set[str]:
    """The `{name}` fields `text` asks to be filled (ValueError for a `{` or `}` without its pair)."""
    names = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    return {name.split(".")[0].split("[")[0] for name in names}


class _KeepMissing(dict):
    """Leaves `{unknown}` fields as written, so a clinician's typo shows instead of crashing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, fields: Mapping[str, Any]) -> str:
    """`text` with its `{name}` fields filled from `fields`; malformed braces leave it as is."""
    if not fields or "{" not in text:
        return text
    try:
        return string.Formatter().vformat(text, (), _KeepMissing(fields))
    except (ValueError, IndexError, AttributeError, KeyError):
        return text


class Wording:
    """The lines for one language: overrides first, then `lang`, its base language, English."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE, overrides: Mapping[str, str] | None = None,
                 dirs: Sequence[Path] | None = None) -> None:
        self.lang = normalize_language(lang or DEFAULT_LANGUAGE)
        self.overrides: Mapping[str, str] = MappingProxyType(dict(overrides or {}))
        self._layers = [load_language(code, dirs) for code in language_chain(self.lang)]
        chain = language_chain(self.lang)
        self.known = self.lang.partition("-")[0] == DEFAULT_LANGUAGE or any(
            layer for code, layer in zip(chain, self._layers) if code != DEFAULT_LANGUAGE)
        """False when no wording file exists for `lang` (everything then comes from English)."""

    def get(self, key: str, default: str | None = None, **fields: Any) -> str:
        """The line for `key` with `{fields}` filled; `default` (or the key itself) when unknown."""
        text = self.lookup(key)
        if text is None:
            text = key if default is None else default
        return fill(text, fields)

    def lookup(self, key: str) -> str | None:
        """The raw line for `key` (override, language, English), or None when nobody defines it."""
        if key in self.overrides:
            return self.overrides[key]
        for layer in self._layers:
            if key in layer:
                return layer[key]
        return None

    def has(self, key: str) -> bool:
        """True when some layer (override, language or English) defines `key`."""
        return self.lookup(key) is not None

    def __getitem__(self, key: str) -> str:
        text = self.lookup(key)
        if text is None:
            raise KeyError(key)
        return text

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.has(key)

    def __repr__(self) -> str:
        return f"Wording({self.lang!r}, overrides={len(self.overrides)})"

    @classmethod
    def for_playlist(cls, playlist: Any, lang: str | None = None) -> "Wording":
        """The wording a playlist asks for: its `language` (unless `lang` is given) and overrides."""
        return cls(lang or getattr(playlist, "language", None) or DEFAULT_LANGUAGE,
                   getattr(playlist, "wording", None) or {})
