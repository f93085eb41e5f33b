"""The format of breathing: the clinician's own patterns, their steps, and the cue sounds by role."""

from __future__ import annotations

from companion.playlist.spec.kinds import Key, List, Mapping, Number, Text
from companion.playlist.spec.vocabulary import CUE_ROLES, NAME_PATTERN, STEP_KINDS


def step_format() -> Mapping:
    """One step of a breathing pattern."""
    return Mapping(
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


def pattern_format() -> Mapping:
    """A breathing pattern of the clinician's own."""
    return Mapping(
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
            Key("steps", List(step_format(), min_items=1), "The steps of one cycle, in order.",
                required=True),
        ),
    )


def cues_format(cue: Mapping) -> Mapping:
    """The cue sounds, each a `cue`, by the moment they mark."""
    return Mapping(
        "cues", "the cue sounds",
        doc="Cue sounds by the moment they mark.",
        keys=tuple(Key(role, cue, f"The sound that marks {_ROLE_DOCS[role]}.")
                   for role in CUE_ROLES),
    )


_ROLE_DOCS = {
    "inhale": "each inhale step",
    "exhale": "each exhale step",
    "hold": "each hold step",
    "end": "the end of a breathing pattern",
}
