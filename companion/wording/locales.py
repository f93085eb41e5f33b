"""Wording files: where they live, which languages there are, and reading one language's lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from companion import paths
from companion.errors import ExerciseError

DEFAULT_LANGUAGE = "en"
BUNDLED_LOCALES = Path(__file__).resolve().parent.parent / "locales"
"""The locales shipped with Companion: `companion/locales/<lang>/*.yaml`."""
LOCALE_SUFFIXES = (".yaml", ".yml")


def locale_dirs() -> list[Path]:
    """Folders searched for `<lang>/*.yaml`, first wins per key: the user's config, then bundled."""
    user = paths.config_dir() / "locales"
    return [user, BUNDLED_LOCALES] if user.is_dir() else [BUNDLED_LOCALES]


def normalize_language(code: str) -> str:
    """`es_MX`, `ES-mx` → `es-MX`; a bare language code is lower case."""
    parts = code.strip().replace("_", "-").split("-")
    head = parts[0].lower()
    return "-".join([head, *(p.upper() for p in parts[1:] if p)])


def language_chain(lang: str) -> list[str]:
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
    for code in language_chain(lang):
        if code != DEFAULT_LANGUAGE:
            have.update(load_language(code, dirs))
    if normalize_language(lang) == DEFAULT_LANGUAGE:
        return []
    return sorted(known_keys(dirs) - have)
