"""How the player asks the engine for a track: at what gain, with which fades, from where."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from companion.playlist.model import Playback, Track


@dataclass(frozen=True)
class Sound:
    """A built-in the player falls back on, shaped like a Track for `Levels`."""

    builtin: str
    gain_db: float = 0.0
    file: None = None
    seed: int = 0


DEFAULT_HOLDING = Sound("warm-pad")
DEFAULT_CUE = Sound("soft-bell", gain_db=-2.0)  # at the default volume: about -24.5 LUFS

Playable = Union["Track", Sound]
Levels = Callable[[Playable], float]
"""The gain in dB to play a track at (its own gain, plus loudness normalisation if any)."""
Quietness = Callable[[Playable], Union[float, None]]
"""How far below the loudness target a track plays at full volume (None: unknown)."""


class Sources:
    """Engine sources for a playlist's tracks, levelled and faded as its playback says."""

    def __init__(self, playback: Playback, levels: Levels | None = None,
                 quietness: Quietness | None = None) -> None:
        """levels: a track's gain in dB (e.g. `Levelling().gain_db`); None: its own gain.
        quietness: how far below the loudness target a track plays
        (`Levelling().below_target_db`); None: judged from its own gain alone."""
        self.playback = playback
        self.levels = levels
        self.quietness = quietness

    def fades(self, track: Track) -> tuple[float, float]:
        """The track's fade-in and fade-out, the playlist's where it sets none."""
        playback = self.playback
        fade_in = playback.fade_in if track.fade_in is None else track.fade_in
        fade_out = playback.fade_out if track.fade_out is None else track.fade_out
        return float(fade_in), float(fade_out)

    def gain_db(self, track: Playable) -> float:
        """The gain in dB `track` (or any cue shaped like one) plays at, levelling included."""
        return float(track.gain_db) if self.levels is None else self.levels(track)

    def below_target_db(self, track: Playable) -> float | None:
        """How far below the loudness target `track` plays at full volume (None: unknown)."""
        if self.quietness is not None:
            return self.quietness(track)
        own = float(track.gain_db)
        return -own if own < 0 else None

    def quietness_fields(self, track: Track) -> dict[str, Any]:
        """`below_target_db` for the record when the track plays far below the target."""
        below = self.below_target_db(track)
        if below is None or below <= 0:
            return {}
        return {"below_target_db": round(below, 1) if below != float("inf") else "silent"}

    def source(self, track: Track, start_at: float = 0.0) -> dict[str, Any]:
        """The engine's fields for `track`, started `start_at` s into it."""
        source = {"file": track.file, "builtin": track.builtin, "seed": track.seed,
                  "seconds": track.seconds, "loop": track.loop, "gain_db": self.gain_db(track)}
        if start_at > 0:  # the engine plays `seconds` from where it starts
            source["start_at_s"] = start_at
            if track.seconds is not None and not track.loop:
                source["seconds"] = max(0.0, float(track.seconds) - start_at)
        return source

    def held(self, track: Track | None) -> dict[str, Any]:
        """The holding sound's fields: `track`, else the soft built-in pad."""
        return (self.source(track) if track is not None else
                {"builtin": DEFAULT_HOLDING.builtin, "gain_db": self.gain_db(DEFAULT_HOLDING)})
