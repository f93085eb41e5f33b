"""Building tracks from validated playlist values: absolute paths, default titles and fades."""

from __future__ import annotations

import os
from pathlib import Path

from companion.playlist import spec
from companion.playlist.located import Located
from companion.playlist.model import Track


def resolve_file(playlist_path: Path, written: str) -> Path:
    """The absolute path of a file written in a playlist (relative to the playlist, `~` allowed)."""
    path = Path(os.path.expanduser(written))
    if not path.is_absolute():
        path = Path(playlist_path).parent / path
    return Path(os.path.abspath(path))


def _default_title(file: str | None, builtin: str | None) -> str:
    if file:
        return Path(file.replace("\\", "/")).stem or file
    return (builtin or "").replace("-", " ").capitalize()


def build_track(playlist_path: Path, item: Located) -> Track:
    """A Track from a validated track or cue mapping."""
    file, builtin = item.get("file"), item.get("builtin")
    minutes = item.get("minutes")
    return Track(
        title=item.get("title") or _default_title(file, builtin),
        file=resolve_file(playlist_path, file) if file else None,
        builtin=builtin,
        seed=int(item.get("seed", 0)),
        seconds=float(minutes) * 60 if minutes is not None else None,
        gain_db=float(item.get("gain_db", 0.0)),
        fade_in=float_or_none(item.get("fade_in")),
        fade_out=float_or_none(item.get("fade_out")),
        loop=bool(item.get("loop", False)),
        line=item.line,
    )


def float_or_none(value: float | None) -> float | None:
    """`value` as a float, None staying None."""
    return None if value is None else float(value)


def format_default(mapping: spec.Mapping, key: str) -> object:
    """The default the format gives `key` of `mapping`."""
    return mapping.key(key).default
