"""The playlist as the rest of Companion sees it: frozen dataclasses, and the checker's Problem."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from companion.audio.levels import DEFAULT_CEILING, DEFAULT_TARGET_LUFS, DEFAULT_VOLUME

StepKind = Literal["inhale", "exhale", "hold"]
Severity = Literal["error", "warning"]
PlanKind = Literal["vitals", "check_in"]
Anchor = Literal["dose", "start", "leaving"]


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
    """Start volume, ceiling (percent), fades and crossfade (seconds), levelling, holding track."""

    volume: float = DEFAULT_VOLUME
    ceiling: float = DEFAULT_CEILING
    crossfade: float = 6
    fade_in: float = 4
    fade_out: float = 6
    loudness_target: float = DEFAULT_TARGET_LUFS
    """LUFS every track is levelled to (before its own gain_db)."""
    normalise: bool = True
    holding: Track | None = None
    bilateral_above_music: float = 8
    """LU a BLS tone (at its preset's default gain) sits above the music."""


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


@dataclass(frozen=True)
class BilateralSpec:
    """A clinician's bilateral stimulation preset, as written in the playlist."""

    name: str
    title: str
    speed: float = 1.0
    """Cycles per second (one cycle = left then right)."""
    passes: int | None = 24
    """Passes per set; None with `seconds` None: until stopped."""
    seconds: float | None = None
    sound: str = "tone"
    """tone, click or music (ignored when `file` is given)."""
    file: Path | None = None
    """Absolute path of the clinician's own sample."""
    pan: str = "hard"
    hz: float = 500.0
    depth: float = 60.0
    """Music sway depth, percent."""
    gain_db: float = -6.0
    duck_db: float = 0.0
    line: int = 0


def _frozen(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Scale:
    """A score the clinician names (e.g. MOAA/S 0-5), taken like a vital sign."""

    name: str
    title: str
    minimum: float
    maximum: float
    words: str = ""
    line: int = 0


@dataclass(frozen=True)
class ValueRange:
    """The clinician's range for one value; either bound may be open (None)."""

    low: float | None = None
    high: float | None = None

    def mark(self, value: float) -> str | None:
        """"low" or "high" when `value` lies outside the range, else None."""
        if self.low is not None and value < self.low:
            return "low"
        if self.high is not None and value > self.high:
            return "high"
        return None


@dataclass(frozen=True)
class PlanItem:
    """One vitals check or check-in of the schedule, and when it falls due."""

    id: str
    """Stable name in the record, e.g. `dose+15:vitals`, `start+0:vitals`, `leaving:vitals`."""
    kind: PlanKind
    title: str
    anchor: Anchor
    """"dose": `minutes` after the dose mark; "start": after the session start; "leaving":
    at the end of the minimum observation time or at "ready to leave", whichever is first."""
    minutes: float = 0.0
    readings: tuple[str, ...] = ()
    """Vitals only: reading codes (bp, hr, spo2, rr, temp) and scale names, in order."""
    words: str = ""
    """A check-in's words for the sitter; what the sitter says before taking vitals."""
    phase: str | None = None
    cue: Track | None = None
    line: int = 0


def due_elapsed(anchor: str, minutes: float, *, dose: float | None, ready: float | None = None,
                min_observation_minutes: float | None = None) -> float | None:
    """Elapsed session seconds when an item falls due; None while it waits (for the dose).

    `dose` and `ready` are the elapsed seconds of the dose mark and of "ready to leave".
    """
    if anchor == "start":
        return minutes * 60.0
    if anchor == "dose":
        return None if dose is None else dose + minutes * 60.0
    moments = [ready] if ready is not None else []
    if dose is not None and min_observation_minutes is not None:
        moments.append(dose + min_observation_minutes * 60.0)
    return min(moments) if moments else None


@dataclass(frozen=True)
class Harbour:
    """The safe harbour: the music fades to `track` (None: the music itself) at `level`."""

    track: Track | None = None
    fade: float = 8.0
    level: float = 50.0
    words: str = ""


@dataclass(frozen=True)
class Landing:
    """The soft landing: the music's last fade in seconds, then `after` (None: silence)."""

    fade: float = 20.0
    after: Track | None = None


@dataclass(frozen=True)
class Plan:
    """The plan in the room: the schedule, the clinician's ranges and scales, and the rest."""

    schedule: tuple[PlanItem, ...] = ()
    scales: Mapping[str, Scale] = field(default_factory=_frozen)
    ranges: Mapping[str, ValueRange] = field(default_factory=_frozen)
    """Value name (systolic, diastolic, hr, spo2, rr, temp in °C, or a scale) -> range."""
    min_observation_minutes: float | None = None
    put_off_minutes: float = 5.0
    overdue_after_minutes: float = 5.0
    harbour: Harbour = field(default_factory=Harbour)
    landing: Landing = field(default_factory=Landing)
    integration_prompts: tuple[str, ...] = ()


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
    plan: Plan = field(default_factory=Plan)
    """Vitals and check-ins, observation time, harbour, landing and integration prompts."""
    bilateral: tuple[BilateralSpec, ...] = ()
    """Bilateral stimulation presets of the clinician's own."""
    voice: Path | None = None
    """The voice pack's folder (absolute), if the playlist names one."""

    def sounds(self) -> tuple[Track, ...]:
        """Every sound it can play: the phases' tracks, the holding track, the cues, and the
        plan's (reminder cues, the harbour's track, the landing's after track), in that order."""
        plan = self.plan
        found = [track for phase in self.phases for track in phase.tracks]
        found += [self.playback.holding, *self.cues.values(),
                  *(item.cue for item in plan.schedule), plan.harbour.track, plan.landing.after]
        return tuple(track for track in found if track is not None)


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
