"""Playlists: the YAML format, its loader and checker, its JSON Schema and M3U import."""

from __future__ import annotations

from companion.playlist.checker import check_playlist
from companion.playlist.loader import load_playlist
from companion.playlist.model import (BreathingSpec, Harbour, Landing, Phase, Plan, PlanItem,
                                      Playback, Playlist, Problem, Scale, StepSpec, Track,
                                      ValueRange)

__all__ = ["BreathingSpec", "Harbour", "Landing", "Phase", "Plan", "PlanItem", "Playback",
           "Playlist", "Problem", "Scale", "StepSpec", "Track", "ValueRange", "check_playlist",
           "load_playlist"]
