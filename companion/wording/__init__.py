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

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.wording.lines import (BLANK_ALLOWED, Wording, counted, fill, line_fields,
                                         may_be_blank)
    from companion.wording.locales import (BUNDLED_LOCALES, DEFAULT_LANGUAGE, LOCALE_SUFFIXES,
                                           known_keys, languages, load_file, load_language,
                                           locale_dirs, missing_keys, normalize_language)

__getattr__, __all__ = exports(__name__, {
    "lines": ("BLANK_ALLOWED", "Wording", "counted", "fill", "line_fields", "may_be_blank"),
    "locales": ("BUNDLED_LOCALES", "DEFAULT_LANGUAGE", "LOCALE_SUFFIXES", "known_keys",
        "languages", "load_file", "load_language", "locale_dirs", "missing_keys",
        "normalize_language"),
})
