"""Breathing: patterns, the pacer that times them, and the exercise the record hears about.

`patterns` (a `Pattern` of `Step`s; a clinician's checked with `spec_problems`), `builtin`
(the built-in patterns, the suggested one, `find_pattern`), `pacer` (the `Pacer`, timed from
its start against an injected clock, so it cannot drift), `exercise` (`BreathingExercise`:
the pacer with its ratings, reporting `breathing_*` events) and `guides` (what follows the
pacer with sound).
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.breathing.builtin import (SUGGESTED_PATTERN, all_patterns, builtin_patterns,
                                             find_pattern, suggested_index)
    from companion.breathing.exercise import BreathingExercise, BreathingSummary
    from companion.breathing.guides import PacerGuide, WithdrawCues
    from companion.breathing.pacer import Pacer, PacerState, Phase
    from companion.breathing.patterns import (MAX_STEP_SECONDS, STEP_KINDS, Pattern, Step, StepKind,
                                              format_seconds, spec_problems, timing_text)

__getattr__, __all__ = exports(__name__, {
    "builtin": ("SUGGESTED_PATTERN", "all_patterns", "builtin_patterns", "find_pattern",
        "suggested_index"),
    "exercise": ("BreathingExercise", "BreathingSummary"),
    "guides": ("PacerGuide", "WithdrawCues"),
    "pacer": ("Pacer", "PacerState", "Phase"),
    "patterns": ("MAX_STEP_SECONDS", "STEP_KINDS", "Pattern", "Step", "StepKind",
        "format_seconds", "spec_problems", "timing_text"),
})
