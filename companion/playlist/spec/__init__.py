"""The playlist format as data: every key, its type, range and meaning, for the checker and the schema.

One description serves three readers: the loader checks a document against it (with
positions and did-you-mean hints), `companion schema` turns it into a JSON Schema for
editors, and the generated key reference (docs/reference/playlist-keys.md, `scripts/docs`) follows it. Change the format here and nowhere else:
`build_format()` below is the whole playlist; its parts live beside it by subject (the
kinds of value, the fixed words and limits, music, breathing, bilateral presets, the plan).
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.playlist.spec.bilateral import bilateral_format
    from companion.playlist.spec.breathing import cues_format, pattern_format
    from companion.playlist.spec.kinds import (GAIN, PERCENT, SECONDS_OF_FADE, Dictionary, Flag,
                                               Key, List, Mapping, Number, Text, Type)
    from companion.playlist.spec.music import (cue_format, phase_format, playback_format,
                                               track_format)
    from companion.playlist.spec.plan import plan_keys
    from companion.playlist.spec.vocabulary import (BLS_LENGTHS, BLS_PANS, BLS_SOUNDS, CUE_ROLES,
                                                    FALLBACK_CUE_SOUNDS, FALLBACK_SOUNDSCAPES,
                                                    LANGUAGE_PATTERN, MAX_PHASE_MINUTES,
                                                    MAX_PLAN_MINUTES, NAME_PATTERN,
                                                    SCHEMA_FILE_NAME, STEP_KINDS, VALUE_NAMES,
                                                    VITAL_READINGS, WORDING_KEY_PATTERN,
                                                    builtin_names)
    from companion.playlist.spec.format import build_format

__getattr__, __all__ = exports(__name__, {
    "bilateral": ("bilateral_format",),
    "breathing": ("cues_format", "pattern_format"),
    "kinds": ("GAIN", "PERCENT", "SECONDS_OF_FADE", "Dictionary", "Flag", "Key", "List",
        "Mapping", "Number", "Text", "Type"),
    "music": ("cue_format", "phase_format", "playback_format", "track_format"),
    "plan": ("plan_keys",),
    "vocabulary": ("BLS_LENGTHS", "BLS_PANS", "BLS_SOUNDS", "CUE_ROLES", "FALLBACK_CUE_SOUNDS",
        "FALLBACK_SOUNDSCAPES", "LANGUAGE_PATTERN", "MAX_PHASE_MINUTES", "MAX_PLAN_MINUTES",
        "NAME_PATTERN", "SCHEMA_FILE_NAME", "STEP_KINDS", "VALUE_NAMES", "VITAL_READINGS",
        "WORDING_KEY_PATTERN", "builtin_names"),
    "format": ("build_format",),
})
