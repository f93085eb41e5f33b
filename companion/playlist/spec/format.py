"""The whole playlist format, built from its parts (music, breathing, bilateral, plan)."""

from __future__ import annotations

from companion.playlist.spec.bilateral import bilateral_format
from companion.playlist.spec.breathing import cues_format, pattern_format
from companion.playlist.spec.kinds import Dictionary, Key, List, Mapping, Text
from companion.playlist.spec.music import cue_format, phase_format, playback_format, track_format
from companion.playlist.spec.plan import plan_keys
from companion.playlist.spec.vocabulary import (LANGUAGE_PATTERN, WORDING_KEY_PATTERN, builtin_names)



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
