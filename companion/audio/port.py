"""`EnginePort`: what a session, a player or a command needs from an audio engine.

`companion.audio.client.AudioEngine` is the real one (the engine in its own process); the
tests' `FakeEngine` keeps the commands instead. Both build their commands from the same
methods (`companion.audio.controls.EngineControls`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from companion.audio.controls import PathArg
    from companion.audio.outputs import OutputInfo
    from companion.audio.protocol import Command, EngineEvent


class EnginePort(Protocol):
    """An audio engine as its callers see it (see `AudioEngine` for what each method does)."""

    info: OutputInfo | None
    latency_s: float

    def start(self, output: str = "auto", timeout: float = 15.0) -> OutputInfo:
        """Start on `output`; returns what opened."""
        ...

    @property
    def alive(self) -> bool:
        """Whether the engine runs."""
        ...

    def close(self, fade_s: float = 1.5, wait: bool = True) -> None:
        """Fade everything out and end the engine."""
        ...

    def poll_events(self) -> list[EngineEvent]:
        """Events received since the last call."""
        ...

    def send(self, command: Command) -> None:
        """Hand one command to the engine."""
        ...

    def play(self, slot: str = "music", *, file: PathArg = None, builtin: str | None = None,
             seed: int = 0, seconds: float | None = None, loop: bool = False,
             start_at_s: float = 0.0, gain_db: float = 0.0, fade_in: float = 0.0,
             fade_out: float = 0.0, overlap: float = 0.0, at: float | None = None) -> str:
        """Play in `slot` now (or at `at`); returns its id."""
        ...

    def queue(self, slot: str = "music", *, file: PathArg = None, builtin: str | None = None,
              seed: int = 0, seconds: float | None = None, loop: bool = False,
              gain_db: float = 0.0, fade_in: float = 0.0, fade_out: float = 0.0,
              overlap: float = 0.0) -> str:
        """Play after the slot's current track; returns its id."""
        ...

    def stop(self, slot: str = "music", fade_s: float = 1.0) -> None:
        """Fade out what plays in `slot`."""
        ...

    def suspend(self, slot: str = "music", fade_s: float = 1.0) -> None:
        """Fade the slot's track to silence and hold it still."""
        ...

    def unsuspend(self, slot: str = "music", fade_s: float = 1.0) -> None:
        """Continue a suspended track, fading back in."""
        ...

    def set_volume(self, percent: float, ramp_s: float = 0.3) -> None:
        """Ramp the master volume to `percent`."""
        ...

    def set_ceiling(self, percent: float) -> None:
        """Cap the master volume at `percent`."""
        ...

    def pause(self, fade_s: float = 0.5) -> None:
        """Fade the music out and hold it still."""
        ...

    def resume(self, fade_s: float = 0.5) -> None:
        """Continue from where the pause stopped."""
        ...

    def cue(self, *, file: PathArg = None, builtin: str | None = None, seed: int = 0,
            gain_db: float = 0.0, at: float | None = None, duck_db: float = 0.0) -> str:
        """Sound a short cue over the music; returns its id."""
        ...

    def withdraw_cues(self) -> None:
        """Drop the cues that have not begun to sound."""
        ...

    def bls(self, *, sound: str = "tone", pan: str = "hard", speed: float = 1.0,
            passes: int | None = 24, seconds: float | None = None, hz: float = 500.0,
            file: PathArg = None, depth: float = 0.6, gain_db: float = 0.0,
            duck_db: float = 0.0, at: float | None = None) -> str:
        """Start a bilateral set; returns its id."""
        ...

    def bls_speed(self, set_id: str, speed: float) -> None:
        """Re-speed a bilateral set."""
        ...

    def bls_stop(self, set_id: str) -> None:
        """Stop a bilateral set softly."""
        ...

    def ping(self, t: float) -> None:
        """Ask for a `Pong`."""
        ...
