"""The playlist format as data: every key, its type, range and meaning, for the checker and the schema.

One description serves three readers: the loader checks a document against it (with
positions and did-you-mean hints), `companion schema` turns it into a JSON Schema for
editors, and the generated key reference (docs/reference/playlist-keys.md, `scripts/docs`) follows it. Change the format here and nowhere else:
`build_format()` below is the whole playlist; its parts live beside it by subject (the
kinds of value, the fixed words and limits, music, breathing, bilateral presets, the plan).
"""

from __future__ import annotations

from companion.playlist.spec.bilateral import bilateral_format
from companion.playlist.spec.breathing import cues_format, pattern_format
from companion.playlist.spec.kinds import (GAIN, PERCENT, SECONDS_OF_FADE, Dictionary, Flag, Key,
                                           List, Mapping, Number, Text, Type)
from companion.playlist.spec.music import cue_format, phase_format, playback_format, track_format
from companion.playlist.spec.plan import plan_keys
from companion.playlist.spec.vocabulary import (BLS_LENGTHS, BLS_PANS, BLS_SOUNDS, CUE_ROLES,
                                                FALLBACK_CUE_SOUNDS, FALLBACK_SOUNDSCAPES,
                                                LANGUAGE_PATTERN, MAX_PHASE_MINUTES,
                                                MAX_PLAN_MINUTES, NAME_PATTERN, SCHEMA_FILE_NAME,
                                                STEP_KINDS, VALUE_NAMES, VITAL_READINGS,
                                                WORDING_KEY_PATTERN, builtin_names)

__all__ = ["BLS_LENGTHS", "BLS_PANS", "BLS_SOUNDS", "CUE_ROLES", "FALLBACK_CUE_SOUNDS",
           "FALLBACK_SOUNDSCAPES", "GAIN", "LANGUAGE_PATTERN", "MAX_PHASE_MINUTES",
           "MAX_PLAN_MINUTES", "NAME_PATTERN", "PERCENT", "SCHEMA_FILE_NAME", "SECONDS_OF_FADE",
           "STEP_KINDS", "VALUE_NAMES", "VITAL_READINGS", "WORDING_KEY_PATTERN", "Dictionary",
           "Flag", "Key", "List", "Mapping", "Number", "Text", "Type", "build_format",
           "builtin_names"]


def build_format() -> Mapping:
    """The whole playlist format, with today's built-in sound names."""
    soundscapes, cue_sounds = builtin_names()
    track = track_format(soundscapes)
    cue = cue_format(cue_sounds)
    playback = playback_format(track)
    phase = phase_format(track)
    pattern = pattern_format()
    cues = cues_format(cue)
    plan = plan_keys(track, cue)
    bilateral = bilateral_format()
    return Mapping(
        "playlist", "a playlist",
        doc="A Companion playlist: a session plan of phases and tracks, with playback "
            "settings, breathing patterns, cue sounds and wording.",
        keys=(
            Key("name", Text(), "The playlist's name.", required=True),
            Key("description", Text(allow_empty=True), "What it is for.", default=""),
            Key("language", Text(pattern=LANGUAGE_PATTERN, pattern_hint="a language code such "
                                 "as en, es or pt-BR"),
                "Language of the prompts (grounding and breathing wording).", default="en"),
            Key("playback", playback, "Volume, ceiling, fades, crossfade and the holding "
                "track."),
            Key("phases", List(phase, min_items=1), "The session plan: phases in order.",
                required=True),
            Key("breathing", List(pattern), "Breathing patterns of the clinician's own.",
                default=()),
            Key("cues", cues, "Cue sounds by role."),
            Key("voice", Text(), "A voice pack: the folder of the clinician's recorded prompts "
                "(`companion voice record`), relative to this playlist."),
            Key("bilateral", List(bilateral), "Bilateral stimulation (EMDR) presets of the "
                "clinician's own, added to the built-in `processing` and `resource` (one of "
                "the same name replaces it).", default=()),
            Key("wording", Dictionary(Text(allow_empty=True), WORDING_KEY_PATTERN,
                                      "a dotted key such as grounding.see.prompt"),
                "Prompt lines to replace, by dotted key (e.g. grounding.taste.sitter_hint: "
                "the taste step's hint for the sitter, worded for the room)."),
            *plan,
        ),
    )
