"""Playlists: the YAML format, its loader and checker, its JSON Schema and M3U import."""

from companion.lazy import exports

__getattr__, __all__ = exports(__name__, {
    "checker": ("check_playlist",),
    "loader": ("load_playlist",),
    "model": ("BreathingSpec", "Harbour", "Landing", "Phase", "Plan", "PlanItem", "Playback",
        "Playlist", "Problem", "Scale", "StepSpec", "Track", "ValueRange"),
})
