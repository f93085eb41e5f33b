"""BLS presets: a named speed, length, sound, panning and level; the built-in ones; speeds in words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from companion.errors import UsageError


MIN_SPEED, MAX_SPEED = 0.2, 2.0  # as in companion.audio.bilateral (kept apart: no NumPy here)
"""Cycles per second (one cycle = left then right)."""
SPEED_STEP = 0.1
DEFAULT_SPEED = 1.0
DEFAULT_PASSES = 24
SOUNDS = ("tone", "click", "music")
"""Built-in sounds; any other value is a file (the clinician's own short sample)."""
PANS = ("hard", "smooth")


@dataclass(frozen=True)
class Preset:
    """A named way of running a set: speed, length, sound, panning and level."""

    name: str
    title: str = ""
    speed: float = DEFAULT_SPEED
    """Cycles per second, 0.2-2.0."""
    passes: int | None = DEFAULT_PASSES
    """Passes per set (None with `seconds` None: until stopped)."""
    seconds: float | None = None
    """Seconds per set (instead of passes)."""
    sound: str = "tone"
    """tone, click, music (sway the music), or a file path (a short sample)."""
    pan: str = "hard"
    """hard: each pass in one ear; smooth: the sound glides between the ears."""
    hz: float = 500.0
    """The tone's pitch."""
    depth: float = 60.0
    """Music sway depth, percent (0: none, 100: fully from ear to ear)."""
    gain_db: float = -6.0
    """The BLS sound's own level (under the master volume and the ceiling)."""
    duck_db: float = 0.0
    """How far the music dips under the BLS sound (0: not at all; -6 is about half)."""
    line: int = 0

    @property
    def label(self) -> str:
        """The title, or the name."""
        return self.title or self.name

    def length_text(self) -> str:
        """`24 passes`, `30 s` or `until stopped`."""
        if self.passes is not None:
            return f"{self.passes} passes"
        if self.seconds is not None:
            return f"{self.seconds:g} s"
        return "until stopped"

    def _sound_words(self) -> str:
        if self.sound == "music":
            return f"music sway {self.depth:g} %"
        sound = self.sound if self.sound in SOUNDS else Path(self.sound).name
        return f"{sound}, {self.pan}"

    def sound_text(self) -> str:
        """`tone, hard, 24 passes`: what it sounds like and how long."""
        return f"{self._sound_words()}, {self.length_text()}"

    def describe(self) -> str:
        """One line for lists: sound, speed and length."""
        return f"{self._sound_words()}, {speed_text(self.speed)}, {self.length_text()}"

    def sound_fields(self) -> dict[str, Any]:
        """What the engine needs to make this preset's sound."""
        builtin = self.sound in SOUNDS
        return {"sound": self.sound if builtin else "sample", "pan": self.pan,
                "speed": self.speed, "passes": self.passes, "seconds": self.seconds,
                "hz": self.hz, "file": None if builtin else str(self.sound),
                "depth": self.depth / 100.0, "gain_db": self.gain_db, "duck_db": self.duck_db}


BUILTIN_PRESETS: tuple[Preset, ...] = (
    Preset("processing", "Processing", speed=1.0, passes=24, sound="tone", pan="hard"),
    Preset("resource", "Resource", speed=0.5, passes=6, sound="tone", pan="smooth", hz=400.0,
           gain_db=-12.0),
)


def clamp_speed(speed: float) -> float:
    """`speed` within 0.2-2.0 cycles/s, rounded to a tenth."""
    return round(min(MAX_SPEED, max(MIN_SPEED, float(speed))), 2)


def speed_text(speed: float) -> str:
    """`1.0 cycles/s (2.0 passes/s)`: both units, so no one guesses which is meant."""
    return f"{speed:.1f} cycles/s ({2 * speed:.1f} passes/s)"


def from_playlist(specs: Iterable[Any]) -> tuple[Preset, ...]:
    """Presets from a playlist's `bilateral` section (model.BilateralSpec values)."""
    presets = []
    for spec in specs:
        sound = str(spec.file) if getattr(spec, "file", None) is not None else spec.sound
        presets.append(Preset(spec.name, spec.title, spec.speed, spec.passes, spec.seconds,
                              sound, spec.pan, spec.hz, spec.depth, spec.gain_db, spec.duck_db,
                              spec.line))
    return tuple(presets)


def all_presets(custom: Iterable[Preset] = ()) -> tuple[Preset, ...]:
    """Built-in presets, then the clinician's own (one of the same name replaces the built-in)."""
    own = {p.name: p for p in custom}
    builtin = tuple(own.pop(p.name, p) for p in BUILTIN_PRESETS)
    return builtin + tuple(own.values())


def find_preset(name: str, presets: Sequence[Preset]) -> Preset:
    """The preset called `name` (UsageError naming the choices if there is none)."""
    for preset in presets:
        if preset.name == name:
            return preset
    raise UsageError(f"no BLS preset {name!r} (choose from {', '.join(p.name for p in presets)})")


def customised(preset: Preset, *, speed: float | None = None, passes: int | None = None,
               seconds: float | None = None, sound: str | None = None,
               pan: str | None = None) -> Preset:
    """`preset` with command-line changes (a length given replaces the preset's length)."""
    changes: dict[str, Any] = {}
    if speed is not None:
        changes["speed"] = clamp_speed(speed)
    if passes is not None:
        changes.update(passes=passes, seconds=None)
    elif seconds is not None:
        changes.update(passes=None, seconds=seconds)
    if sound is not None:
        changes["sound"] = sound
    if pan is not None:
        changes["pan"] = pan
    return replace(preset, **changes)
