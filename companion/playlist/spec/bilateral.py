"""The format of bilateral stimulation (EMDR) presets."""

from __future__ import annotations

from companion.playlist.spec.kinds import GAIN, PERCENT, Flag, Key, Mapping, Number, Text
from companion.playlist.spec.vocabulary import BLS_LENGTHS, BLS_PANS, BLS_SOUNDS, NAME_PATTERN


def bilateral_format() -> Mapping:
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
