"""The playlist format as data: every key, its type, range and meaning, for the checker and the schema.

One description serves three readers: the loader checks a document against it (with
positions and did-you-mean hints), `companion schema` turns it into a JSON Schema for
editors, and the README's key tables follow it. Change the format here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from companion.audio.levels import DEFAULT_CEILING, DEFAULT_TARGET_LUFS, DEFAULT_VOLUME

SCHEMA_FILE_NAME = "companion-playlist.schema.json"

# Used only if `companion.audio.soundscapes` cannot be imported (see `builtin_names()`).
FALLBACK_SOUNDSCAPES = ("brown-noise", "warm-pad", "ocean")
FALLBACK_CUE_SOUNDS = ("soft-bell", "chime", "bowl")

CUE_ROLES = ("inhale", "exhale", "hold", "end")
"""The moments a cue sound can mark (the breathing screen's roles): each step kind, the end."""

STEP_KINDS = ("inhale", "exhale", "hold")

BLS_SOUNDS = ("tone", "click", "music")
"""Built-in bilateral sounds (a `file` is the clinician's own short sample instead)."""
BLS_PANS = ("hard", "smooth")
BLS_LENGTHS = ("passes", "seconds", "until_stopped")

VITAL_READINGS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "bp": ("Blood pressure", ("systolic", "diastolic"), "mmHg"),
    "hr": ("Heart rate", ("hr",), "/min"),
    "spo2": ("SpO2", ("spo2",), "%"),
    "rr": ("Respiratory rate", ("rr",), "/min"),
    "temp": ("Temperature", ("temp",), "°C"),
}
"""Reading code -> (label, the values it holds, unit). Scales the clinician names add to these."""
VALUE_NAMES = ("systolic", "diastolic", "hr", "spo2", "rr", "temp")
"""The values vitals readings hold (keys of `ranges` and of recorded values)."""
MAX_PLAN_MINUTES = 24 * 60
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
    hint: str = ""
    """Added to an out-of-range message, e.g. how to write what was probably meant."""


@dataclass(frozen=True)
class Text:
    """A string; optionally one of `choices`, or matching `pattern` (explained by `pattern_hint`)."""

    choices: tuple[str, ...] = ()
    pattern: str | None = None
    pattern_hint: str = ""
    allow_empty: bool = False


@dataclass(frozen=True)
class Flag:
    """true or false; with `only_true`, a switch that is written `true` or left out."""

    only_true: bool = False


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
    any_of: tuple[str, ...] = ()
    """Keys of which at least one must be given."""
    also_one_of: tuple[str, ...] = ()
    """A second group of keys of which exactly one must be given (beside `one_of`)."""

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
            Key("volume", PERCENT, "Volume at the start, in percent: 100 plays every sound at "
                "the loudness target, each percent below takes 0.3 dB off (85 is -4.5 dB).",
                default=DEFAULT_VOLUME),
            Key("ceiling", PERCENT, "No control can make it louder than this, in percent.",
                default=DEFAULT_CEILING),
            Key("crossfade", Number(minimum=0, maximum=30, unit="seconds"), "Seconds over which "
                "one track fades into the next (0 = gapless).", default=6),
            Key("fade_in", SECONDS_OF_FADE, "Default fade-in of every track, seconds.",
                default=4),
            Key("fade_out", SECONDS_OF_FADE, "Default fade-out of every track, seconds.",
                default=6),
            Key("loudness_target", Number(minimum=-40, maximum=-10, unit="LUFS"),
                "Every track and built-in is brought to this loudness (ITU-R BS.1770 "
                "integrated, in LUFS) before its own gain_db; it is what 100 % plays at. -18 "
                "is the ReplayGain 2.0 reference.", default=DEFAULT_TARGET_LUFS),
            Key("normalise", Flag(), "false: every track plays at its own level (an album "
                "mastered to flow as one).", default=True),
            Key("holding", track, "The track switched to at once when the client is "
                "distressed."),
            Key("bilateral_above_music", Number(minimum=0, maximum=20, unit="LU"),
                "How far a bilateral (BLS) tone or click sits above the music, in LU, at its "
                "preset's default gain_db of -6.", default=8),
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
    plan = _plan_keys(track, cue)
    bilateral = _bilateral_preset()
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


def _bilateral_preset() -> Mapping:
    """A BLS preset: speed, length, sound, panning and level (for clinicians trained in EMDR)."""
    return Mapping(
        "bilateral_preset", "a BLS preset",
        doc="A way of running bilateral stimulation sets, for clinicians trained in EMDR: "
            "speed in cycles per second (one cycle = left then right), a length in passes, "
            "seconds or until stopped, and the sound.",
        at_most_one_of=BLS_LENGTHS,
        keys=(
            Key("name", Text(pattern=NAME_PATTERN, pattern_hint="lower-case letters, digits "
                             "and dashes, like slow-tones"),
                "Short name, used on the command line (`companion bls NAME`).", required=True),
            Key("title", Text(), "The name the sitter sees (default: the name)."),
            Key("speed", Number(minimum=0.2, maximum=2.0, unit="cycles per second",
                                hint=" (one cycle is left then right: 1.0 cycles/s is 2 "
                                     "passes/s)"),
                "Cycles per second, 0.2 to 2.0 (one cycle = left then right).", default=1.0),
            Key("passes", Number(minimum=1, maximum=1000, integer=True),
                "Passes per set (one pass = the sound on one side); 24 when no length is "
                "given."),
            Key("seconds", Number(minimum=0, maximum=3600, exclusive_minimum=True,
                                  unit="seconds"), "Seconds per set, instead of passes."),
            Key("until_stopped", Flag(only_true=True), "`true`: a set runs until it is "
                "stopped."),
            Key("sound", Text(choices=BLS_SOUNDS), "tone (soft, with gentle attack and "
                "release), click (soft), or music (the music itself sways between the ears).",
                default="tone"),
            Key("file", Text(), "The clinician's own short sample (a few tenths of a second), "
                "relative to this playlist, instead of `sound`."),
            Key("pan", Text(choices=BLS_PANS), "hard: each pass in one ear; smooth: the sound "
                "glides between the ears.", default="hard"),
            Key("hz", Number(minimum=100, maximum=2000, unit="Hz"), "The tone's pitch.",
                default=500),
            Key("depth", PERCENT, "How far the music sways (sound: music), percent.",
                default=60),
            Key("gain_db", GAIN, "The BLS sound's own level, in dB (under the master volume "
                "and the ceiling).", default=-6),
            Key("duck_db", Number(minimum=-30, maximum=0, unit="dB"), "How far the music "
                "dips while the BLS sound plays (0: not at all).", default=0),
        ),
    )


def _plan_keys(track: Mapping, cue: Mapping) -> tuple[Key, ...]:
    """The plan in the room: schedule, ranges, scales, observation, harbour, landing, prompts."""
    minutes = Number(minimum=0, maximum=MAX_PLAN_MINUTES, unit="minutes")
    scale = Mapping(
        "scale", "a scale",
        doc="A score the clinician names, such as a sedation scale (MOAA/S, 0-5) or a "
            "dissociation scale (CADSS), with the lowest and highest score.",
        keys=(
            Key("title", Text(), "The name the sitter sees (default: the name)."),
            Key("min", Number(minimum=-1000, maximum=1000), "The lowest score.",
                required=True),
            Key("max", Number(minimum=-1000, maximum=1000), "The highest score.",
                required=True),
            Key("words", Text(allow_empty=True), "How to score it, shown beside the field.",
                default=""),
        ),
    )
    value_range = Mapping(
        "range", "a range",
        doc="The clinician's range for one value: values outside it are marked in the "
            "record and the report, never alarmed.",
        any_of=("low", "high"),
        keys=(
            Key("low", Number(minimum=-1000, maximum=1000), "Values below this are marked "
                "low."),
            Key("high", Number(minimum=-1000, maximum=1000), "Values above this are marked "
                "high."),
        ),
    )
    item = Mapping(
        "plan_item", "a schedule item",
        doc="One vitals check or check-in, timed from the dose mark (or, before the dose, "
            "from the session start).",
        one_of=("at", "after_start", "before_dose", "before_leaving"),
        also_one_of=("vitals", "check_in"),
        keys=(
            Key("at", Number(minimum=0, maximum=MAX_PLAN_MINUTES, unit="minutes",
                             hint=" (a check before the dose is written `before_dose: true` "
                                  "or `after_start: MINUTES`)"),
                "Minutes after the dose mark when it falls due."),
            Key("after_start", minutes, "Minutes after the session start when it falls due "
                "(for checks before the dose)."),
            Key("before_dose", Flag(only_true=True), "`true`: due as soon as the session "
                "starts, before the dose (the same as `after_start: 0`)."),
            Key("before_leaving", Flag(only_true=True), "`true`: due at the end of the "
                "minimum observation time, or when the sitter marks the client ready to "
                "leave, whichever comes first."),
            Key("vitals", List(Text(), min_items=1), "The readings to take: "
                + ", ".join(VITAL_READINGS) + ", or a scale named under `scales`."),
            Key("check_in", Text(), "A check-in: the words for the sitter."),
            Key("title", Text(), "What the reminder says (default: Vitals or Check-in)."),
            Key("words", Text(allow_empty=True), "What the sitter says before taking the "
                "readings (vitals only).", default=""),
            Key("phase", Text(), "The phase it belongs to (a phase's name)."),
            Key("cue", cue, "A soft cue sound when it falls due (without one, reminders "
                "are silent)."),
        ),
    )
    harbour = Mapping(
        "harbour", "the safe harbour",
        doc="What the safe harbour key does: the music fades to the harbour track at the "
            "harbour level and grounding opens with these words on top.",
        keys=(
            Key("track", track, "The harbour track (default: playback.holding; without "
                "either, the music itself fades to the harbour level)."),
            Key("fade", SECONDS_OF_FADE, "Seconds over which the music fades to the harbour "
                "and back.", default=8),
            Key("level", PERCENT, "The harbour's volume, in percent (default: "
                "playback.volume)."),
            Key("words", Text(allow_empty=True), "The sitter's first words, shown on top "
                "of grounding.", default=""),
        ),
    )
    landing = Mapping(
        "landing", "the landing",
        doc="How the music ends: when the last phase ends or the sitter ends the session, "
            "it fades over `fade` seconds, then `after` plays (or silence).",
        keys=(
            Key("fade", Number(minimum=0, maximum=600, unit="seconds"), "Seconds of the "
                "last fade.", default=20),
            Key("after", track, "What plays after the fade (leave it out for silence)."),
        ),
    )
    return (
        Key("schedule", List(item), "Vitals checks and check-ins, timed from the dose "
            "mark.", default=()),
        Key("scales", Dictionary(scale, NAME_PATTERN, "lower-case letters, digits and "
                                 "dashes, like moaa-s"),
            "Scores the clinician names (sedation, dissociation...), by short name."),
        Key("ranges", Dictionary(value_range, NAME_PATTERN, "a value name such as "
                                 "systolic, diastolic, hr, spo2, rr, temp or a scale's name"),
            "The clinician's ranges by value (" + ", ".join(VALUE_NAMES) + " in °C, or a "
            "scale's name); none is built in."),
        Key("min_observation_minutes", Number(minimum=0, maximum=MAX_PLAN_MINUTES,
                                              exclusive_minimum=True, unit="minutes"),
            "The least time from the dose before the client may leave; ending earlier asks "
            "and records the reason."),
        Key("put_off_minutes", Number(minimum=0, maximum=120, exclusive_minimum=True,
                                      unit="minutes"),
            "How long a reminder put off with Esc waits before it is due again.", default=5),
        Key("overdue_after_minutes", Number(minimum=0, maximum=120, unit="minutes"),
            "Minutes after its time when a reminder not yet done shows as overdue (a check "
            "before the dose: once the dose is marked).",
            default=5),
        Key("harbour", harbour, "The safe harbour: track, fade, level and words."),
        Key("landing", landing, "The soft landing at the end: fade seconds and what "
            "follows."),
        Key("integration_prompts", List(Text()), "Questions for the integration session, "
            "printed in the report.", default=()),
    )


_ROLE_DOCS = {
    "inhale": "each inhale step",
    "exhale": "each exhale step",
    "hold": "each hold step",
    "end": "the end of a breathing pattern",
}
