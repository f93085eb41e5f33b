"""Pacer guides: what follows the pacer with sound (told of its start, each step ahead, pauses
and the end), and `WithdrawCues`, which takes back sounds sent ahead when it stops short."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from companion.breathing.pacer import Pacer

if TYPE_CHECKING:
    from companion.audio.port import EnginePort


class PacerGuide(Protocol):
    """Follows the pacer with sound: told of its start, each step ahead of time, pauses and the end."""

    def started(self, pacer: Pacer) -> None: ...

    def step(self, pacer: Pacer, index: int, at: float) -> None:
        """Step `index` of the pattern begins at monotonic time `at` (-1: the end)."""

    def paused(self, pacer: Pacer) -> None: ...

    def resumed(self, pacer: Pacer) -> None: ...

    def stopped(self, pacer: Pacer) -> None: ...


class WithdrawCues:
    """A pacer guide that takes back the sounds sent ahead of their moment (cues and voice
    takes go to the audio engine 0.8 s early) when the pacer pauses or is stopped early, so
    nothing rings after the sitter has stopped. It comes first among the guides, so what the
    others send as the pacer stops (the closing line) is not taken back with the rest."""

    def __init__(self, engine: EnginePort) -> None:
        """`engine`: the AudioEngine client, or anything with `withdraw_cues()`."""
        self.engine = engine

    def started(self, pacer: Pacer) -> None:
        """Nothing to take back yet."""

    def step(self, pacer: Pacer, index: int, at: float) -> None:
        """The step's cue is sent by others."""

    def paused(self, pacer: Pacer) -> None:
        """Held still: the next step's sound must not come."""
        self.engine.withdraw_cues()

    def resumed(self, pacer: Pacer) -> None:
        """The pacer sends the next step's sound again, at its new time."""

    def stopped(self, pacer: Pacer) -> None:
        """Stopped early: take back the next step's sound (a natural end keeps its own)."""
        if pacer.stopped:
            self.engine.withdraw_cues()
