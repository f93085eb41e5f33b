"""The built-in breathing patterns, the one suggested to someone unsure, and finding one by name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from companion.breathing.patterns import Pattern, Step, StepKind
from companion.errors import ExerciseError
from companion.wording import Wording


# The built-in patterns: name, timings (kind, seconds) and default length. Their titles and
# words live in companion/locales/<lang>/breathing.yaml under breathing.patterns.<name>.
# Why these numbers:
# - box: 4-4-4-4 as taught (e.g. in "tactical breathing"); 16 s a cycle, 3.75 breaths/min.
# - 4-7-8: Weil's pattern, in 4, hold 7, out 8; he advises four cycles at first.
# - resonance: 5.5 s in, 5.5 s out = 5.45 breaths/min, the middle of the ~4.5-6.5/min range
#   where heart-rate-variability biofeedback finds most adults' resonance frequency.
# - coherent: the rounder 5-5 (6 breaths/min) many apps and teachers use.
# - extended-exhale: in 4, out 6; a longer exhale than inhale favours vagal (calming) tone.
# - physiological-sigh: a full nasal inhale (4 s), a short top-up "sniff" to fill the lungs
#   (1.5 s: long enough for the sitter to say "and a little more", short enough to stay a
#   sniff), then a long slow exhale (8 s, longer than both inhales together, as in Balban et
#   al. 2023's cyclic sighing); 13.5 s a cycle, about 4.4 breaths/min. Three sighs by default:
#   a few are enough to settle, and the lungs should not be over-filled for minutes on end.
# - equal: 4-4, the simplest even rhythm, for someone not ready to slow further.
# - calming: in 2, out 4, for panic: a person who is hyperventilating cannot yet take a 4 s
#   breath, but can lengthen the exhale.
_Timings = tuple[tuple[StepKind, float], ...]
_BUILTIN_TIMINGS: tuple[tuple[str, _Timings, int | None, float | None], ...] = (
    ("box", (("inhale", 4), ("hold", 4), ("exhale", 4), ("hold", 4)), 6, None),
    ("4-7-8", (("inhale", 4), ("hold", 7), ("exhale", 8)), 4, None),
    ("resonance", (("inhale", 5.5), ("exhale", 5.5)), None, 5),
    ("coherent", (("inhale", 5), ("exhale", 5)), None, 5),
    ("extended-exhale", (("inhale", 4), ("exhale", 6)), None, 3),
    ("physiological-sigh", (("inhale", 4), ("inhale", 1.5), ("exhale", 8)), 3, None),
    ("equal", (("inhale", 4), ("exhale", 4)), None, 3),
    ("calming", (("inhale", 2), ("exhale", 4)), None, 2),
)

SUGGESTED_PATTERN = "extended-exhale"
"""The pattern offered to someone unsure which to choose: no hold to strain at (holds can feel
like air hunger to an anxious person), a plain 4 in and 6 out, and the longer breath out that
favours a calming response."""


def suggested_index(patterns: Sequence[Pattern]) -> int | None:
    """Where SUGGESTED_PATTERN (or a clinician's pattern of that name) is in `patterns`."""
    for index, pattern in enumerate(patterns):
        if pattern.name == SUGGESTED_PATTERN:
            return index
    return None


def builtin_patterns(wording: Wording | None = None) -> tuple[Pattern, ...]:
    """The built-in patterns, with titles and words from `wording` (default: English)."""
    text = (wording or Wording()).get
    patterns = []
    for name, timings, cycles, minutes in _BUILTIN_TIMINGS:
        base = f"breathing.patterns.{name}"
        steps = tuple(
            Step(kind=kind, seconds=float(seconds), words=text(f"{base}.step{number}"))
            for number, (kind, seconds) in enumerate(timings, start=1)
        )
        patterns.append(Pattern(name=name, title=text(f"{base}.title"), steps=steps,
                                cycles=cycles, minutes=minutes, summary=text(f"{base}.summary")))
    return tuple(patterns)


def all_patterns(custom: Iterable[Pattern | Any] = (),
                 wording: Wording | None = None) -> tuple[Pattern, ...]:
    """Built-in patterns, then custom ones (patterns or specs); a custom one replaces its namesake."""
    own = tuple(item if isinstance(item, Pattern) else Pattern.from_spec(item) for item in custom)
    names = {pattern.name for pattern in own}
    return tuple(p for p in builtin_patterns(wording) if p.name not in names) + own


def find_pattern(name: str, custom: Iterable[Pattern | Any] = (),
                 wording: Wording | None = None) -> Pattern:
    """The pattern called `name` (case does not matter); ExerciseError lists the known names."""
    patterns = all_patterns(custom, wording)
    wanted = name.strip().lower()
    for pattern in patterns:
        if pattern.name.lower() == wanted:
            return pattern
    known = ", ".join(pattern.name for pattern in patterns)
    raise ExerciseError(f"unknown breathing pattern {name!r}; known patterns: {known}")
