"""The playlist as the rest of Companion sees it: frozen dataclasses, and the checker's Problem."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

StepKind = Literal["inhale", "exhale", "hold"]
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Track:
    """A local file or a built-in soundscape, with its level and fades."""

    title: str
    file: Path | None = None
    """Absolute path of a local audio file (None for a built-in)."""
    builtin: str | None = None
    """Name of a built-in soundscape or cue sound (None for a file)."""
    seed: int = 0
    seconds: float | None = None
    """How long it plays; None: a file to its end, a built-in until the phase ends."""
    gain_db: float = 0.0
    fade_in: float | None = None
    """Seconds; None means the playlist's default (`Playback.fade_in`)."""
    fade_out: float | None = None
    loop: bool = False
    line: int = 0
    """Line of the track in the playlist file (for messages)."""


@dataclass(frozen=True)
class Playback:
    """Start volume, ceiling (percent), default fades and crossfade (seconds), holding track."""

    volume: float = 50
    ceiling: float = 80
    crossfade: float = 6
    fade_in: float = 4
    fade_out: float = 6
    holding: Track | None = None


@dataclass(frozen=True)
class Phase:
    """One part of the session plan: a target length (or until the dose) and its tracks."""

    name: str
    minutes: float | None
    until_dose: bool
    tracks: tuple[Track, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class StepSpec:
    """One step of a breathing pattern."""

    kind: StepKind
    seconds: float
    words: str = ""


@dataclass(frozen=True)
class BreathingSpec:
    """A clinician's breathing pattern, as written in the playlist."""

    name: str
    title: str
    steps: tuple[StepSpec, ...]
    cycles: int | None = None
    minutes: float | None = None
    line: int = 0


def _frozen(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Playlist:
    """A whole playlist: what it is, how it plays, its plan, patterns, cues and wording."""

    path: Path
    name: str
    description: str = ""
    language: str = "en"
    playback: Playback = field(default_factory=Playback)
    phases: tuple[Phase, ...] = ()
    breathing: tuple[BreathingSpec, ...] = ()
    cues: Mapping[str, Track] = field(default_factory=_frozen)
    wording: Mapping[str, str] = field(default_factory=_frozen)
    content_hash: str = ""
    """SHA-256 of the file's bytes, so a session record names exactly what was played."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a playlist, at a place; str() gives `FILE:LINE:COL: message`."""

    path: Path
    line: int
    column: int
    message: str
    severity: Severity = "error"
    """"error": the playlist cannot be loaded; "warning": it plays, but something is skipped."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"
