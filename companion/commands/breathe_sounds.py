"""The sounds of `companion breathe`: cue sounds, and guides (voice, breath sound) once the engine is up.

The engine starts in the background (`BackgroundEngine`) while the pacer's lead-in runs,
so the screen opens at once; a start that fails leaves the pacer silent and says why after.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from companion.audio.background import BackgroundEngine

if TYPE_CHECKING:
    from companion.audio.client import AudioEngine
    from companion.audio.loudness_cache import Levelling
    from companion.breathing import Pacer
    from companion.playlist.model import Track
    from companion.breathing import PacerGuide


class CueSounds:
    """Soft cue sounds through the audio engine, started in the background (the screen opens at once).

    By default a breath in rings a soft bell, a breath out a lighter chime, the end a low
    bowl; holds stay silent (a sound every four seconds in box breathing would crowd the
    quiet). A playlist's `cues` replace these per role. Each is levelled as in a session
    (`levelling`: the playlist's, or -18 LUFS; None plays each at its own gain).
    """

    #: Each sound's level in LU against the loudness target: as they were chosen by ear before
    #: levelling (the chime measures louder than the bell, though it sounds lighter).
    SOUNDS = {"inhale": ("soft-bell", -10.2), "exhale": ("chime", -7.9), "end": ("bowl", -7.7)}

    def __init__(self, output: str, cues: Mapping[str, Track] | None = None, *,
                 chimes: bool = True, levelling: Levelling | None = None) -> None:
        self.background = BackgroundEngine(output, name="cue-sounds")
        self.engine = self.background.engine
        self.cues = dict(cues or {})
        self.chimes = chimes
        self.levelling = levelling

    @property
    def problem(self) -> str | None:
        """Why there is no sound, in words (None while starting or sounding)."""
        return self.background.problem

    @property
    def sounding(self) -> bool:
        """True once the engine plays to a real output."""
        return self.background.sounding

    def __call__(self, role: str, at: float) -> None:
        if not self.chimes or not self.sounding:
            return  # not started yet (the opening lead-in covers start-up), or silent
        track = self.cues.get(role)
        if track is not None:
            self.engine.cue(file=track.file, builtin=track.builtin, seed=track.seed,
                            gain_db=self._gain_db(track.file, track.builtin, track.seed,
                                                  track.gain_db), at=at)
        elif role in self.SOUNDS:
            builtin, gain_db = self.SOUNDS[role]
            self.engine.cue(builtin=builtin, gain_db=self._gain_db(None, builtin, 0, gain_db), at=at)

    def _gain_db(self, file: Path | None, builtin: str | None, seed: int, gain_db: float) -> float:
        if self.levelling is None:
            return gain_db
        return self.levelling.decision(file, builtin, seed, gain_db).gain_db

    def guide(self, make: Callable[[AudioEngine], PacerGuide]) -> EngineGuide:
        """A pacer guide built by `make(engine)` once the engine is up (see EngineGuide)."""
        return EngineGuide(self.background, make)

    def close(self) -> None:
        """Let the last cue fade and end the engine."""
        self.background.close(fade_s=1.5)


class EngineGuide:
    """Hands pacer moments to a guide (voice, breath sound) once the engine has started.

    The engine starts in the background while the lead-in runs; a start that comes before
    it is ready is passed on as soon as it is, so the sound still begins on its moment.
    """

    def __init__(self, background: BackgroundEngine,
                 make: Callable[[AudioEngine], PacerGuide]) -> None:
        self.background = background
        self.make = make
        self.inner: PacerGuide | None = None

    def _guide(self) -> PacerGuide | None:
        if self.inner is None and self.background.sounding:
            self.inner = self.make(self.background.engine)
        return self.inner

    def started(self, pacer: Pacer) -> None:
        guide = self._guide()
        if guide is not None:
            guide.started(pacer)
            return

        def start_late() -> None:
            late = self._guide()
            if late is not None and not pacer.finished:
                late.started(pacer)

        self.background.when_sounding(start_late, name="guide-start")

    def step(self, pacer: Pacer, index: int, at: float) -> None:
        if (guide := self._guide()) is not None:
            guide.step(pacer, index, at)

    def paused(self, pacer: Pacer) -> None:
        if (guide := self._guide()) is not None:
            guide.paused(pacer)

    def resumed(self, pacer: Pacer) -> None:
        if (guide := self._guide()) is not None:
            guide.resumed(pacer)

    def stopped(self, pacer: Pacer) -> None:
        if (guide := self._guide()) is not None:
            guide.stopped(pacer)
