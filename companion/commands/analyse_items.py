"""What `companion analyse` measures: the files and built-ins named, each once, and where from."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from companion.paths import PLAYLIST_SUFFIXES

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".oga")


@dataclass(frozen=True)
class Item:
    """One sound to measure: a file or a built-in (name and seed)."""

    label: str
    file: Path | None = None
    builtin: str | None = None
    seed: int = 0
    track_gain_db: float = 0.0
    target_lufs: float | None = None
    """The loudness target of the playlist it comes from (None: the default)."""
    where: str = ""
    """`p.yaml, line 12`: where a playlist names it (empty for a file named on its own)."""
    normalise: bool = True
    """False when its playlist turns levelling off (it plays at its own gain)."""


def _shown(path: Path) -> str:
    """`path` relative to the current folder when inside it, else absolute."""
    relative = os.path.relpath(os.path.abspath(path))
    return relative if not relative.startswith("..") else os.path.abspath(path)


def _playlist_items(path: Path) -> list[Item]:
    """Every file and built-in a playlist plays (`Playlist.sounds`), in order."""
    from companion.playlist import load_playlist

    playlist = load_playlist(path)
    tracks = playlist.sounds()
    target = playlist.playback.loudness_target
    normalise = playlist.playback.normalise
    items = []
    for t in tracks:
        where = f"{_shown(path)}, line {t.line}"
        if t.builtin is not None:
            items.append(Item(f"builtin:{t.builtin} (seed {t.seed})", builtin=t.builtin,
                              seed=t.seed, track_gain_db=t.gain_db, target_lufs=target,
                              where=where, normalise=normalise))
        elif t.file is not None:
            items.append(Item(_shown(t.file), file=t.file, track_gain_db=t.gain_db,
                              target_lufs=target, where=where, normalise=normalise))
    return items


def collect(arguments: list[str]) -> tuple[list[Item], list[str]]:
    """The sounds named by the arguments (each once) and the errors found on the way."""
    from companion.errors import CompanionError

    items: list[Item] = []
    errors: list[str] = []
    seen: set = set()
    for argument in arguments:
        path = Path(argument)
        if path.suffix.lower() in PLAYLIST_SUFFIXES:
            try:
                found = _playlist_items(path)
            except CompanionError as error:
                errors.append(str(error))
                continue
        elif path.is_dir():
            found = [Item(_shown(p), file=p) for p in sorted(path.rglob("*"))
                     if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file()]
            if not found:
                errors.append(f"{argument}: no audio files in this folder")
        else:
            found = [Item(argument, file=path)]
        for item in found:
            key = (item.builtin, item.seed) if item.builtin else os.path.abspath(item.file)
            if key not in seen:
                seen.add(key)
                items.append(item)
    return items, errors
