"""Prompt wording as data: per-language YAML files, English fallback per line, playlist overrides.

Wording lives in `companion/locales/<lang>/<area>.yaml` (bundled) and, for languages a
clinic adds itself, in `<config dir>/locales/<lang>/<area>.yaml`. Every file's keys are
prefixed with its stem, so `see: {prompt: ...}` in `grounding.yaml` is the key
`grounding.see.prompt`; nested mappings and dotted keys are equivalent. Values are text
and may hold `{name}` fields filled in by `Wording.get(key, name=...)`.

A `Wording` looks a key up in the playlist's overrides, then the chosen language (a
regional code such as `es-MX` tries `es-MX`, then `es`), then English. English, as
bundled, defines the set of known keys; `missing_keys(lang)` lists the English keys a
language does not translate, for `companion check`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from companion import paths
from companion.errors import ExerciseError

DEFAULT_LANGUAGE = "en"
BUNDLED_LOCALES = Path(__file__).resolve().parent / "locales"
"""The locales shipped with Companion: `companion/locales/<lang>/*.yaml`."""
LOCALE_SUFFIXES = (".yaml", ".yml")


def counted(count: Any, singular: str, plural: str | None = None) -> str:
    """`1 cycle`, `3 cycles`, `? cycles`: a number with its noun in the right number."""
    noun = singular if count == 1 else (plural or singular + "s")
    return f"{count} {noun}"


def locale_dirs() -> list[Path]:
    """Folders searched for `<lang>/*.yaml`, first wins per key: the user's config, then bundled."""
    user = paths.config_dir() / "locales"
    return [user, BUNDLED_LOCALES] if user.is_dir() else [BUNDLED_LOCALES]


def normalize_language(code: str) -> str:
    """`es_MX`, `ES-mx` → `es-MX`; a bare language code is lower case."""
    parts = code.strip().replace("_", "-").split("-")
    head = parts[0].lower()
    return "-".join([head, *(p.upper() for p in parts[1:] if p)])


def _language_chain(lang: str) -> list[str]:
    """The languages tried for one key, most specific first, English last."""
    chain: list[str] = []
    code = normalize_language(lang or DEFAULT_LANGUAGE)
    while code:
        chain.append(code)
        code = code.rpartition("-")[0]
    if DEFAULT_LANGUAGE not in chain:
        chain.append(DEFAULT_LANGUAGE)
    return chain


def languages(dirs: Sequence[Path] | None = None) -> list[str]:
    """Every language with at least one wording file, sorted (`['en', 'es']`)."""
    found: set[str] = set()
    for root in locale_dirs() if dirs is None else dirs:
        if not root.is_dir():
            continue
        for folder in root.iterdir():
            if folder.is_dir() and any(p.suffix in LOCALE_SUFFIXES for p in folder.iterdir()):
                found.add(normalize_language(folder.name))
    return sorted(found)


def _flatten(prefix: str, value: Any, out: dict[str, str], source: Path) -> None:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}", inner, out, source)
    elif isinstance(value, bool) or value is None or isinstance(value, (list, tuple)):
        raise ExerciseError(
            f"{source}: wording {prefix!r} must be text, not {value!r}; "
            "quote it if it looks like a number or yes/no"
        )
    else:
        out[prefix] = str(value)


def load_file(path: Path) -> dict[str, str]:
    """The flattened `stem.key → text` lines of one wording file (ExerciseError if malformed)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or str(error)
        raise ExerciseError(f"{where}: not valid YAML: {problem}") from error
    except OSError as error:
        raise ExerciseError(f"{path}: cannot read wording: {error.strerror}") from error
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ExerciseError(f"{path}: a wording file must be a mapping of keys to text")
    out: dict[str, str] = {}
    _flatten(path.stem, data, out, path)
    return out


def load_language(lang: str, dirs: Sequence[Path] | None = None) -> dict[str, str]:
    """All lines one language defines itself (no fallback), from every search folder."""
    code = normalize_language(lang)
    lines: dict[str, str] = {}
    for root in reversed(list(locale_dirs() if dirs is None else dirs)):
        folder = _find_language_folder(root, code)
        if folder is None:
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in LOCALE_SUFFIXES and path.is_file():
                lines.update(load_file(path))
    return lines


def _find_language_folder(root: Path, code: str) -> Path | None:
    if not root.is_dir():
        return None
    for folder in root.iterdir():
        if folder.is_dir() and normalize_language(folder.name) == code:
            return folder
    return None


def known_keys(dirs: Sequence[Path] | None = None) -> frozenset[str]:
    """Every key English defines: the keys a translation or an override may use."""
    return frozenset(load_language(DEFAULT_LANGUAGE, dirs))


def missing_keys(lang: str, dirs: Sequence[Path] | None = None) -> list[str]:
    """The known keys `lang` (with its base language) does not translate, sorted."""
    have: set[str] = set()
    for code in _language_chain(lang):
        if code != DEFAULT_LANGUAGE:
            have.update(load_language(code, dirs))
    if normalize_language(lang) == DEFAULT_LANGUAGE:
        return []
    return sorted(known_keys(dirs) - have)


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
        self._layers = [load_language(code, dirs) for code in _language_chain(self.lang)]
        chain = _language_chain(self.lang)
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
