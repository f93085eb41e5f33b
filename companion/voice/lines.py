"""The lines a voice pack holds: every prompt the exercises speak, and which are missing or too long."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.voice.pack import VoicePack, VoicePackError
from companion.wording import Wording

if TYPE_CHECKING:
    from companion.breathing import Pattern
    from companion.playlist.model import Playlist

TOO_LONG_FACTOR = 1.25
"""A take is "much longer than its step" beyond this many times the step's length..."""
TOO_LONG_MARGIN_S = 0.5
"""...and by more than this many seconds."""
GROUPS = ("breathing", "grounding", "harbour", "checkin")
GROUNDING_SENSES = ("see", "hear", "feel", "smell", "taste")


@dataclass(frozen=True)
class Prompt:
    """One line to record."""

    key: str
    """Wording key (or `breathing.custom.<name>.step<N>`, `harbour.words`, `checkin.<n>`)."""
    text: str
    """The words to read."""
    group: str
    """`breathing`, `grounding`, `harbour` or `checkin`."""
    context: str = ""
    """Where it is heard (`Box breathing · step 1 of 4 · breathe in, 4 s`)."""
    seconds: float | None = None
    """The length of the step it belongs to (breathing steps only)."""


def step_key(pattern: Pattern, index: int) -> str:
    """The prompt key for step `index` (from 0) of a pattern."""
    prefix = "patterns" if getattr(pattern, "builtin", True) else "custom"
    return f"breathing.{prefix}.{pattern.name}.step{index + 1}"


def step_prompt_key(pattern: Pattern, index: int) -> str:
    """The key whose take is spoken for a step: its own words, or the generic ones for its kind."""
    step = pattern.steps[index]
    return step_key(pattern, index) if step.words else f"breathing.words.{step.kind}"


def prompts(wording: Wording | None = None, patterns: Sequence[Pattern] | None = None,
            playlist: Playlist | None = None) -> list[Prompt]:
    """Every line the exercises speak, in recording order."""
    from companion.breathing import all_patterns

    wording = wording or Wording()
    say = wording.get
    custom = getattr(playlist, "breathing", ()) if playlist is not None else ()
    if patterns is None:
        patterns = all_patterns(custom, wording)
    found: list[Prompt] = [Prompt("breathing.opening", say("breathing.opening"), "breathing",
                                  "Breathing: the opening line")]
    for kind in ("inhale", "hold", "exhale"):
        found.append(Prompt(f"breathing.words.{kind}", say(f"breathing.words.{kind}"), "breathing",
                            f"Breathing: any {kind} step without words of its own"))
    for pattern in patterns:
        total = len(pattern.steps)
        for index, step in enumerate(pattern.steps):
            if not step.words:
                continue
            label = say(f"breathing.label.{step.kind}")
            found.append(Prompt(step_key(pattern, index), step.words, "breathing",
                                f"{pattern.title} · step {index + 1} of {total} · "
                                f"{label}, {step.seconds:g} s", step.seconds))
    found.append(Prompt("breathing.closing", say("breathing.closing"), "breathing",
                        "Breathing: the closing line"))
    found.append(Prompt("grounding.opening.client", say("grounding.opening.client"), "grounding",
                        "Grounding: the opening"))
    found.append(Prompt("grounding.rating.before.client", say("grounding.rating.before.client"),
                        "grounding", "Grounding: check-in before"))
    for sense in GROUNDING_SENSES:
        for part in ("prompt", "hint"):
            key = f"grounding.{sense}.{part}"
            if wording.has(key):
                found.append(Prompt(key, say(key), "grounding", f"Grounding: {sense}, {part}"))
    found.append(Prompt("grounding.rating.after.client", say("grounding.rating.after.client"),
                        "grounding", "Grounding: check-in after"))
    found.append(Prompt("grounding.closing.client", say("grounding.closing.client"), "grounding",
                        "Grounding: the closing"))
    plan = getattr(playlist, "plan", None)
    if plan is not None:
        if plan.harbour.words:
            found.append(Prompt("harbour.words", plan.harbour.words, "harbour", "Safe harbour"))
        for number, item in enumerate(plan.schedule, start=1):
            if item.kind == "check_in" and item.words:
                found.append(Prompt(f"checkin.{number}", item.words, "checkin",
                                    f"Check-in: {item.title}"))
    unique: dict[str, Prompt] = {}
    for prompt in found:
        unique.setdefault(prompt.key, prompt)
    return list(unique.values())


def select(all_prompts: Iterable[Prompt], only: str | None) -> list[Prompt]:
    """The prompts in group `only`, or whose key starts with it (None: all)."""
    items = list(all_prompts)
    if not only:
        return items
    chosen = [p for p in items if p.group == only or p.key == only or p.key.startswith(only + ".")]
    if not chosen:
        groups = ", ".join(GROUPS)
        raise VoicePackError(f"nothing to record for --only {only!r}; use a group ({groups}) "
                             "or a key prefix such as breathing.patterns.box")
    return chosen


def missing(pack: VoicePack, keys: Iterable[Prompt | str]) -> list[str]:
    """Keys (in order) with no take, or whose take was read from other words."""
    out = []
    for item in keys:
        if isinstance(item, Prompt):
            if pack.take_path(item.key, item.text) is None:
                out.append(item.key)
        elif pack.take_path(item) is None:
            out.append(item)
    return out


def too_long(pack: VoicePack, items: Iterable[Prompt]) -> list[tuple[Prompt, float]]:
    """Breathing prompts whose take is much longer than the step: (prompt, take seconds)."""
    out = []
    for prompt in items:
        entry = pack.takes.get(prompt.key)
        if entry is None or prompt.seconds is None:
            continue
        if (entry.seconds > prompt.seconds * TOO_LONG_FACTOR
                and entry.seconds > prompt.seconds + TOO_LONG_MARGIN_S):
            out.append((prompt, entry.seconds))
    return out


def check_report(pack: VoicePack, items: Sequence[Prompt]) -> list[str]:
    """Lines for people: missing takes, then takes much longer than their step."""
    lines = []
    by_key = {p.key: p for p in items}
    for key in missing(pack, items):
        reason = "missing" if key not in pack.takes else "recorded from other words"
        lines.append(f"{key}: {reason}: {by_key[key].text!r}")
    for prompt, seconds in too_long(pack, items):
        lines.append(f"{prompt.key}: take is {seconds:.1f} s, much longer than its "
                     f"{prompt.seconds:g} s step (it will fade out as the step ends)")
    return lines
