"""Playlists: the YAML format, its loader and checker, its JSON Schema and M3U import."""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.playlist.checker import check_playlist
    from companion.playlist.loader import load_playlist
    from companion.playlist.model import (BreathingSpec, Harbour, Landing, Phase, Plan, PlanItem,
                                          Playback, Playlist, Problem, Scale, StepSpec, Track,
                                          ValueRange)

__getattr__, __all__ = exports(__name__, {
    "checker": ("check_playlist",),
    "loader": ("load_playlist",),
    "model": ("BreathingSpec", "Harbour", "Landing", "Phase", "Plan", "PlanItem", "Playback",
        "Playlist", "Problem", "Scale", "StepSpec", "Track", "ValueRange"),
})
