"""The audio engine's method API: each method builds one protocol command and hands it to `send`.

`AudioEngine` sends the commands down the pipe to the engine process; the tests' fake engine
keeps them. Ids for plays, cues and bilateral sets are made here, so the caller knows them
before the engine's events come back.
"""

from __future__ import annotations

import os

from companion.audio.protocol import (Bls, BlsSpeed, BlsStop, Command, Cue, Pause, Ping, Play,
                                      Queue, Resume, SetCeiling, SetVolume, SourceSpec, Stop,
                                      Suspend, Unsuspend, WithdrawCues)

PathArg = str | os.PathLike[str] | None


def _path(file: PathArg) -> str | None:
    return os.fspath(file) if file else None


class EngineControls:
    """The commands as methods; a subclass says how a command is sent and how ids are made."""

    def send(self, command: Command) -> None:
        """Hand one command to the engine."""
        raise NotImplementedError

    def new_id(self) -> str:
        """A new id for a play, a cue or a bilateral set."""
        raise NotImplementedError

    def play(self, slot: str = "music", *, file: PathArg = None, builtin: str | None = None,
             seed: int = 0, seconds: float | None = None, loop: bool = False,
             start_at_s: float = 0.0, gain_db: float = 0.0, fade_in: float = 0.0,
             fade_out: float = 0.0, overlap: float = 0.0, at: float | None = None) -> str:
        """Play a file or built-in in `slot` now (or at monotonic time `at`); returns its id.

        Whatever the slot held fades out over `overlap` s (at least a few ms) as this fades
        in over `fade_in` s; `fade_out` is this track's own fade before its end.
        """
        play_id = self.new_id()
        source = SourceSpec(_path(file), builtin, seed, seconds, loop, start_at_s)
        self.send(Play(play_id, source, slot, gain_db=gain_db, fade_in=fade_in,
                       fade_out=fade_out, overlap=overlap, at=at))
        return play_id

    def queue(self, slot: str = "music", *, file: PathArg = None, builtin: str | None = None,
              seed: int = 0, seconds: float | None = None, loop: bool = False,
              gain_db: float = 0.0, fade_in: float = 0.0, fade_out: float = 0.0,
              overlap: float = 0.0) -> str:
        """Play this after the slot's current track, starting `overlap` s before its end.

        The engine opens it at once and starts it on the exact frame (overlap 0 and no
        fade_in: joined gaplessly). Replaces anything queued before in that slot.
        """
        play_id = self.new_id()
        source = SourceSpec(_path(file), builtin, seed, seconds, loop)
        self.send(Queue(play_id, source, slot, gain_db=gain_db, fade_in=fade_in,
                        fade_out=fade_out, overlap=overlap))
        return play_id

    def stop(self, slot: str = "music", fade_s: float = 1.0) -> None:
        """Fade out what plays in `slot` and forget what was queued there."""
        self.send(Stop(slot, fade_s))

    def suspend(self, slot: str = "music", fade_s: float = 1.0) -> None:
        """Fade the slot's track to silence and hold it still at that point."""
        self.send(Suspend(slot, fade_s))

    def unsuspend(self, slot: str = "music", fade_s: float = 1.0) -> None:
        """Continue a suspended track from where it held, fading back in."""
        self.send(Unsuspend(slot, fade_s))

    def set_volume(self, percent: float, ramp_s: float = 0.3) -> None:
        """Ramp the master volume to `percent` (0-100, perceptual; never above the ceiling)."""
        self.send(SetVolume(percent, ramp_s))

    def set_ceiling(self, percent: float) -> None:
        """Cap the master volume at `percent` from now on."""
        self.send(SetCeiling(percent))

    def pause(self, fade_s: float = 0.5) -> None:
        """Fade the music out and hold every track still (cues still sound)."""
        self.send(Pause(fade_s))

    def resume(self, fade_s: float = 0.5) -> None:
        """Continue from the exact sample where the pause stopped, fading in."""
        self.send(Resume(fade_s))

    def cue(self, *, file: PathArg = None, builtin: str | None = None, seed: int = 0,
            gain_db: float = 0.0, at: float | None = None, duck_db: float = 0.0) -> str:
        """Sound a short cue over the music at monotonic time `at` (None: now); returns its id."""
        cue_id = self.new_id()
        self.send(Cue(cue_id, SourceSpec(_path(file), builtin, seed), gain_db=gain_db, at=at,
                      duck_db=duck_db))
        return cue_id

    def withdraw_cues(self) -> None:
        """Drop every cue sent ahead that has not begun to sound; cues sounding finish."""
        self.send(WithdrawCues())

    def bls(self, *, sound: str = "tone", pan: str = "hard", speed: float = 1.0,
            passes: int | None = 24, seconds: float | None = None, hz: float = 500.0,
            file: PathArg = None, depth: float = 0.6, gain_db: float = 0.0,
            duck_db: float = 0.0, at: float | None = None) -> str:
        """Start a bilateral set (see `companion.audio.bilateral.open_bilateral`); returns its id.

        News: `BlsStarted`, then `BlsOnset` for each pass as it is heard, then `BlsEnded`;
        `Failed` if it cannot start.
        """
        set_id = self.new_id()
        self.send(Bls(set_id, sound=sound, pan=pan, speed=speed, passes=passes, seconds=seconds,
                      hz=hz, file=_path(file), depth=depth, gain_db=gain_db, duck_db=duck_db,
                      at=at))
        return set_id

    def bls_speed(self, set_id: str, speed: float) -> None:
        """Continue a bilateral set at `speed` cycles per second, from where its sound is."""
        self.send(BlsSpeed(set_id, speed))

    def bls_stop(self, set_id: str) -> None:
        """Stop a bilateral set at once, softly."""
        self.send(BlsStop(set_id))

    def ping(self, t: float) -> None:
        """Ask for a `Pong` event (a liveness and round-trip check)."""
        self.send(Ping(t))
