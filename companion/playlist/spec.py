"""The playlist format as data: every key, its type, range and meaning, for the checker and the schema.

One description serves three readers: the loader checks a document against it (with
positions and did-you-mean hints), `companion schema` turns it into a JSON Schema for
editors, and the README's key tables follow it. Change the format here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

SCHEMA_FILE_NAME = "companion-playlist.schema.json"

# Used only if `companion.audio.soundscapes` cannot be imported (see `builtin_names()`).
FALLBACK_SOUNDSCAPES = ("brown-noise", "warm-pad", "ocean")
FALLBACK_CUE_SOUNDS = ("soft-bell", "chime", "bowl")

CUE_ROLES = ("inhale", "exhale", "hold", "end")
"""The moments a cue sound can mark (the breathing screen's roles): each step kind, the end."""

STEP_KINDS = ("inhale", "exhale", "hold")
MAX_PHASE_MINUTES = 600
NAME_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"
WORDING_KEY_PATTERN = r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$"


@dataclass(frozen=True)
class Number:
    """A number (or a whole number) within a range; `unit` words messages ("seconds")."""

    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    integer: bool = False
    unit: str = ""


@dataclass(frozen=True)
class Text:
    """A string; optionally one of `choices`, or matching `pattern` (explained by `pattern_hint`)."""

    choices: tuple[str, ...] = ()
    pattern: str | None = None
    pattern_hint: str = ""
    allow_empty: bool = False


@dataclass(frozen=True)
class Flag:
    """true or false."""


@dataclass(frozen=True)
class Key:
    """One key of a mapping: its type, whether it must be there, its default and meaning."""

    name: str
    type: "Type"
    doc: str
    required: bool = False
    default: object = None


@dataclass(frozen=True)
class Mapping:
    """A mapping with fixed keys; `one_of` names keys of which exactly one must be given."""

    name: str
    what: str
    keys: tuple[Key, ...]
    doc: str = ""
    one_of: tuple[str, ...] = ()
    at_most_one_of: tuple[str, ...] = ()

    def key(self, name: str) -> Key:
        """The key called `name` (KeyError if the format has none)."""
        for key in self.keys:
            if key.name == name:
                return key
        raise KeyError(name)


@dataclass(frozen=True)
class List:
    """A sequence of items of one type."""

    item: "Type"
    min_items: int = 0


@dataclass(frozen=True)
class Dictionary:
    """A mapping with free keys matching `key_pattern` (explained by `key_hint`)."""

    value: "Type"
    key_pattern: str
    key_hint: str


Type = Union[Number, Text, Flag, Mapping, List, Dictionary]


def builtin_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The built-in (soundscapes, cue sounds) the audio engine renders."""
    try:
        from companion.audio import soundscapes

        return tuple(soundscapes.SOUNDSCAPE_NAMES), tuple(soundscapes.CUE_NAMES)
    except (ImportError, AttributeError):
        return FALLBACK_SOUNDSCAPES, FALLBACK_CUE_SOUNDS


SECONDS_OF_FADE = Number(minimum=0, maximum=120, unit="seconds")
GAIN = Number(minimum=-60, maximum=12, unit="dB")
PERCENT = Number(minimum=0, maximum=100, unit="percent")


def _file_key() -> Key:
    return Key("file", Text(), "An audio file (WAV, FLAC, MP3 or OGG), relative to this playlist.")


def _seed_key() -> Key:
    return Key("seed", Number(minimum=0, maximum=2**31 - 1, integer=True), "Variation of a "
               "built-in sound: the same seed always sounds the same.", default=0)


def build_format() -> Mapping:
    """The whole playlist format, with today's built-in sound names."""
    soundscapes, cue_sounds = builtin_names()
    track = Mapping(
        "track", "a track",
        doc="One piece of sound in a phase: a local file or a built-in soundscape.",
        one_of=("file", "builtin"),
        keys=(
            _file_key(),
            Key("builtin", Text(choices=soundscapes), "A built-in soundscape, rendered by "
                "Companion: " + ", ".join(soundscapes) + "."),
            Key("title", Text(), "What the sitter sees while it plays (default: the file name "
                "or the soundscape)."),
            _seed_key(),
            Key("minutes", Number(minimum=0, maximum=600, exclusive_minimum=True,
                                  unit="minutes"),
                "How long it plays. Without it a file plays to its end and a built-in "
                "soundscape plays until the phase ends."),
            Key("gain_db", GAIN, "Level change for this track, in dB (-6 is about half as "
                "loud).", default=0.0),
            Key("fade_in", SECONDS_OF_FADE, "Fade-in seconds (default: playback.fade_in)."),
            Key("fade_out", SECONDS_OF_FADE, "Fade-out seconds (default: playback.fade_out)."),
            Key("loop", Flag(), "Start again from the beginning until the phase ends.",
                default=False),
        ),
    )
    cue = Mapping(
        "cue", "a cue sound",
        doc="A short sound that marks a moment (a breathing step): a file or a built-in cue.",
        one_of=("file", "builtin"),
        keys=(
            _file_key(),
            Key("builtin", Text(choices=cue_sounds), "A built-in cue sound: "
                + ", ".join(cue_sounds) + "."),
            _seed_key(),
            Key("gain_db", GAIN, "Level change for this cue, in dB.", default=0.0),
        ),
    )
    playback = Mapping(
        "playback", "the playback settings",
        doc="How loud, how tracks join, and what to play when the client is distressed.",
        keys=(
            Key("volume", PERCENT, "Volume at the start, in percent.", default=50),
            Key("ceiling", PERCENT, "No control can make it louder than this, in percent.",
                default=80),
            Key("crossfade", Number(minimum=0, maximum=30, unit="seconds"), "Seconds over which "
                "one track fades into the next (0 = gapless).", default=6),
            Key("fade_in", SECONDS_OF_FADE, "Default fade-in of every track, seconds.",
                default=4),
            Key("fade_out", SECONDS_OF_FADE, "Default fade-out of every track, seconds.",
                default=6),
            Key("holding", track, "The track switched to at once when the client is "
                "distressed."),
        ),
    )
    phase = Mapping(
        "phase", "a phase",
        doc="One part of the session plan, with a target length and its tracks.",
        one_of=("minutes", "until"),
        keys=(
            Key("name", Text(), "The phase's name, shown to the sitter (e.g. Settling, Onset, "
                "Peak, Return, Integration).", required=True),
            Key("minutes", Number(minimum=0, maximum=MAX_PHASE_MINUTES, exclusive_minimum=True,
                                  unit="minutes"), "Target length in minutes."),
            Key("until", Text(choices=("dose",)), "`dose`: the phase lasts until the sitter "
                "marks the dose."),
            Key("tracks", List(track), "The tracks, played in order (none: silence).",
                default=()),
        ),
    )
    step = Mapping(
        "step", "a breathing step",
        doc="One step of a breathing pattern: inhale, exhale or hold, for some seconds.",
        one_of=STEP_KINDS,
        keys=(
            Key("inhale", Number(minimum=0, maximum=60, exclusive_minimum=True, unit="seconds"),
                "Breathe in for this many seconds."),
            Key("exhale", Number(minimum=0, maximum=60, exclusive_minimum=True, unit="seconds"),
                "Breathe out for this many seconds."),
            Key("hold", Number(minimum=0, maximum=60, exclusive_minimum=True, unit="seconds"),
                "Hold the breath for this many seconds."),
            Key("words", Text(allow_empty=True), "What the sitter says during the step.",
                default=""),
        ),
    )
    pattern = Mapping(
        "breathing_pattern", "a breathing pattern",
        doc="A breathing pattern of the clinician's own, added to the built-in ones.",
        at_most_one_of=("cycles", "minutes"),
        keys=(
            Key("name", Text(pattern=NAME_PATTERN, pattern_hint="lower-case letters, digits "
                             "and dashes, like calm-4-6"),
                "Short name, used on the command line (`companion breathe NAME`).",
                required=True),
            Key("title", Text(), "The name the sitter sees (default: the name)."),
            Key("cycles", Number(minimum=1, maximum=100, integer=True),
                "Default length in cycles."),
            Key("minutes", Number(minimum=0, maximum=60, exclusive_minimum=True,
                                  unit="minutes"), "Default length in minutes."),
            Key("steps", List(step, min_items=1), "The steps of one cycle, in order.",
                required=True),
        ),
    )
    cues = Mapping(
        "cues", "the cue sounds",
        doc="Cue sounds by the moment they mark.",
        keys=tuple(Key(role, cue, f"The sound that marks {_ROLE_DOCS[role]}.")
                   for role in CUE_ROLES),
    )
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
            Key("wording", Dictionary(Text(allow_empty=True), WORDING_KEY_PATTERN,
                                      "a dotted key such as grounding.see.prompt"),
                "Prompt lines to replace, by dotted key."),
        ),
    )


_ROLE_DOCS = {
    "inhale": "each inhale step",
    "exhale": "each exhale step",
    "hold": "each hold step",
    "end": "the end of a breathing pattern",
}
