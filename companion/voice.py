"""Voice packs: the clinician's recorded prompts, one take per line, indexed by wording key.

A pack is a folder holding `voice-pack.yaml` and the takes. The index maps each prompt's
key (the wording key, e.g. `breathing.patterns.box.step1`, `grounding.see.prompt`) to
its file, the words that were read, and the take's length:

    # Companion voice pack
    language: en
    loudness_lufs: -20.0
    format: wav
    takes:
      breathing.opening: {file: breathing.opening.wav, text: "We'll breathe ...", seconds: 3.1}

The prompts are the lines the exercises speak: the breathing opening and closing, each
step's words for every built-in and custom pattern (a custom pattern's steps have the keys
`breathing.custom.<name>.step<N>`), the generic step words, every grounding line the
client hears alone, and a playlist's safe-harbour words and check-ins. The index is
rewritten atomically (temp file + rename) after each kept take, so a pack recorded halfway
is always valid and recording resumes with the first missing line. A take whose words
have since changed counts as missing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from companion.errors import CompanionError
from companion.wording import Wording

INDEX_NAME = "voice-pack.yaml"
DEFAULT_LOUDNESS_LUFS = -20.0
DEFAULT_FORMAT = "wav"
TOO_LONG_FACTOR = 1.25
"""A take is "much longer than its step" beyond this many times the step's length..."""
TOO_LONG_MARGIN_S = 0.5
"""...and by more than this many seconds."""
GROUPS = ("breathing", "grounding", "harbour", "checkin")
GROUNDING_SENSES = ("see", "hear", "feel", "smell", "taste")


class VoicePackError(CompanionError):
    """A voice pack that cannot be read or written."""


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


@dataclass(frozen=True)
class TakeEntry:
    """One recorded take in a pack's index."""

    file: str
    text: str
    seconds: float


@dataclass
class VoicePack:
    """A voice pack folder and its index (load with `VoicePack.open`)."""

    path: Path
    language: str = "en"
    loudness_lufs: float = DEFAULT_LOUDNESS_LUFS
    format: str = DEFAULT_FORMAT
    takes: dict[str, TakeEntry] = field(default_factory=dict)

    @property
    def index_path(self) -> Path:
        """The pack's index file."""
        return self.path / INDEX_NAME

    @classmethod
    def open(cls, path: str | os.PathLike, *, create: bool = False, language: str = "en",
             fmt: str = DEFAULT_FORMAT) -> VoicePack:
        """Read the pack at `path` (a folder, or its index file); with `create`, start a new one."""
        folder = Path(path)
        if folder.name == INDEX_NAME:
            folder = folder.parent
        index = folder / INDEX_NAME
        if not index.exists():
            if not create:
                raise VoicePackError(f"{folder}: not a voice pack (no {INDEX_NAME}); "
                                     f"record one with `companion voice record {folder}`")
            folder.mkdir(parents=True, exist_ok=True)
            pack = cls(folder, language=language, format=fmt)
            pack.save()
            return pack
        try:
            data = yaml.safe_load(index.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise VoicePackError(f"{index}: cannot read the voice pack index: {error}") from None
        if not isinstance(data, dict):
            raise VoicePackError(f"{index}: the index should be a mapping")
        takes: dict[str, TakeEntry] = {}
        for key, entry in (data.get("takes") or {}).items():
            if isinstance(entry, dict) and isinstance(entry.get("file"), str):
                takes[str(key)] = TakeEntry(entry["file"], str(entry.get("text", "")),
                                            float(entry.get("seconds") or 0.0))
        return cls(folder, language=str(data.get("language", language)),
                   loudness_lufs=float(data.get("loudness_lufs", DEFAULT_LOUDNESS_LUFS)),
                   format=str(data.get("format", fmt)), takes=takes)

    def save(self) -> None:
        """Rewrite the index atomically (a reader sees the old or the new one, never half)."""
        data = {"language": self.language, "loudness_lufs": self.loudness_lufs,
                "format": self.format,
                "takes": {key: {"file": t.file, "text": t.text, "seconds": round(t.seconds, 3)}
                          for key, t in sorted(self.takes.items())}}
        text = "# Companion voice pack: prompt key -> recorded take\n" + yaml.safe_dump(
            data, allow_unicode=True, sort_keys=False, width=100)
        from companion.paths import atomic_replace

        with atomic_replace(self.index_path) as tmp:
            tmp.write_text(text, encoding="utf-8")

    def file_for(self, key: str) -> Path:
        """Where a new take for `key` is saved."""
        return self.path / f"{safe_name(key)}.{self.format}"

    def take_path(self, key: str, text: str | None = None) -> Path | None:
        """The take for `key` if it exists (and, given `text`, was read from those words)."""
        entry = self.takes.get(key)
        if entry is None or (text is not None and _norm(entry.text) != _norm(text)):
            return None
        path = self.path / entry.file
        return path if path.is_file() else None

    def keep(self, key: str, file: Path, text: str, seconds: float) -> None:
        """Record that `file` (inside the pack) is the take for `key`, and save the index."""
        self.takes[key] = TakeEntry(Path(file).name, text, float(seconds))
        self.save()


def safe_name(key: str) -> str:
    """A file name for a prompt key (letters, digits, dots, dashes)."""
    return re.sub(r"[^A-Za-z0-9.\-]+", "_", key).strip("._") or "take"


def _norm(text: str) -> str:
    return " ".join(text.split())


def step_key(pattern: Any, index: int) -> str:
    """The prompt key for step `index` (from 0) of a pattern."""
    prefix = "patterns" if getattr(pattern, "builtin", True) else "custom"
    return f"breathing.{prefix}.{pattern.name}.step{index + 1}"


def step_prompt_key(pattern: Any, index: int) -> str:
    """The key whose take is spoken for a step: its own words, or the generic ones for its kind."""
    step = pattern.steps[index]
    return step_key(pattern, index) if step.words else f"breathing.words.{step.kind}"


def prompts(wording: Wording | None = None, patterns: Sequence[Any] | None = None,
            playlist: Any = None) -> list[Prompt]:
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


class Speaker:
    """Speaks a pack's takes through the audio engine as cues over the music, which dips under them.

    A take plays at its own (levelled) loudness plus `gain_db`, under the master volume
    and its ceiling like every cue; the music is dipped by `duck_db` while it speaks and
    eased back after. A take longer than the time it is given fades out over `fade_s`
    as that time ends (a cut copy kept in `cache`), so it never runs into the next step.
    A line with no take (or a take read from other words) is simply not spoken.
    """

    def __init__(self, engine: Any, pack: VoicePack, *, duck_db: float = -8.0,
                 gain_db: float = 0.0, fade_s: float = 0.4, cache: Path | None = None) -> None:
        from companion.paths import cache_dir

        self.engine = engine
        self.pack = pack
        self.duck_db = duck_db
        self.gain_db = gain_db
        self.fade_s = fade_s
        self.cache = cache or cache_dir() / "voice"

    def prepare(self, key: str, text: str | None, seconds: float | None) -> Path | None:
        """The file to play for `key` within `seconds` (cut and faded if longer), or None."""
        path = self.pack.take_path(key, text)
        if path is None:
            return None
        if seconds is not None and self.pack.takes[key].seconds > seconds:
            from companion.audio.takes import fitted_copy

            path = fitted_copy(path, seconds, min(self.fade_s, seconds / 2), self.cache)
        return path

    def say(self, key: str, at: float | None = None, *, text: str | None = None,
            seconds: float | None = None) -> bool:
        """Speak the take for `key` at monotonic time `at`, within `seconds`; False if none."""
        path = self.prepare(key, text, seconds)
        if path is None:
            return False
        self.engine.cue(file=path, gain_db=self.gain_db, at=at, duck_db=self.duck_db)
        return True


class VoiceGuide:
    """Speaks the breathing pacer's lines in time: the opening, each step as it starts, the closing."""

    OPENING_DELAY_S = 0.3

    def __init__(self, speaker: Speaker, pattern: Any, wording: Wording | None = None) -> None:
        self.speaker = speaker
        self.pattern = pattern
        self.wording = wording or Wording()
        for index, step in enumerate(pattern.steps):  # cut long takes now, not on a step's cue
            key = step_prompt_key(pattern, index)
            self.speaker.prepare(key, step.words or self.wording.get(key), step.seconds)

    def started(self, pacer: Any) -> None:
        """The opening line, just after the pacer starts (within the lead-in)."""
        at = pacer.clock() + self.OPENING_DELAY_S
        room = pacer.lead_in - self.OPENING_DELAY_S
        self.speaker.say("breathing.opening", at, text=self.wording.get("breathing.opening"),
                         seconds=room if room > 0.5 else None)

    def step(self, pacer: Any, index: int, at: float) -> None:
        """Step `index` begins at `at` (index -1: the end, when the closing line is said)."""
        if index < 0:
            self.speaker.say("breathing.closing", at, text=self.wording.get("breathing.closing"))
            return
        step = self.pattern.steps[index]
        key = step_prompt_key(self.pattern, index)
        text = step.words or self.wording.get(key)
        self.speaker.say(key, at, text=text, seconds=step.seconds)

    def paused(self, pacer: Any) -> None:
        """Nothing: a take already started finishes its words."""

    def resumed(self, pacer: Any) -> None:
        """Nothing: the next step speaks when it starts."""

    def stopped(self, pacer: Any) -> None:
        """Stopped early: the closing line now."""
        if pacer.stopped:
            self.speaker.say("breathing.closing", pacer.clock() + 0.1,
                             text=self.wording.get("breathing.closing"))
