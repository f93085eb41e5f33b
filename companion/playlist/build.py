"""Turning validated playlist values into the frozen model, with defaults and absolute paths."""

from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType

from companion.playlist import spec
from companion.playlist.loader import Document
from companion.playlist.model import (BreathingSpec, Phase, Playback, Playlist, StepSpec,
                                      Track)
from companion.playlist.validate import Located


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
        fade_in=_float_or_none(item.get("fade_in")),
        fade_out=_float_or_none(item.get("fade_out")),
        loop=bool(item.get("loop", False)),
        line=item.line,
    )


def _float_or_none(value: float | None) -> float | None:
    return None if value is None else float(value)


def _default(mapping: spec.Mapping, key: str) -> object:
    return mapping.key(key).default


def build_playlist(document: Document, record: Located) -> Playlist:
    """The Playlist of a document whose values passed validation."""
    path = document.path
    fmt = spec.build_format()
    playback_fmt = fmt.key("playback").type
    assert isinstance(playback_fmt, spec.Mapping)
    playback = record.value.get("playback") or Located({}, record.line, record.column)
    holding = playback.value.get("holding")
    phases = tuple(
        Phase(
            name=phase.get("name"),
            minutes=_float_or_none(phase.get("minutes")),
            until_dose=phase.get("until") == "dose",
            tracks=tuple(build_track(path, t) for t in phase.get("tracks", [])),
            line=phase.line,
        )
        for phase in record.get("phases", [])
    )
    breathing = tuple(
        BreathingSpec(
            name=pattern.get("name"),
            title=pattern.get("title") or pattern.get("name"),
            steps=tuple(_build_step(step) for step in pattern.get("steps", [])),
            cycles=pattern.get("cycles"),
            minutes=_float_or_none(pattern.get("minutes")),
            line=pattern.line,
        )
        for pattern in record.get("breathing", [])
    )
    cues = record.value.get("cues")
    wording = record.value.get("wording")
    return Playlist(
        path=Path(os.path.abspath(path)),
        name=record.get("name"),
        description=record.get("description", ""),
        language=record.get("language", "en"),
        playback=Playback(
            **{key: float(playback.get(key, _default(playback_fmt, key)))
               for key in ("volume", "ceiling", "crossfade", "fade_in", "fade_out")},
            holding=build_track(path, holding) if holding is not None else None,
        ),
        phases=phases,
        breathing=breathing,
        cues=MappingProxyType({role: build_track(path, cue)
                               for role, cue in (cues.value.items() if cues else ())}),
        wording=MappingProxyType({key: value.value for key, value in
                                  (wording.value.items() if wording else ())}),
        content_hash=document.content_hash,
    )


def _build_step(step: Located) -> StepSpec:
    kind = next(k for k in spec.STEP_KINDS if k in step.value)
    return StepSpec(kind=kind, seconds=float(step.get(kind)), words=step.get("words", ""))
