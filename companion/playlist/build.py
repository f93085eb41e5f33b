"""Turning validated playlist values into the frozen model, with defaults and absolute paths."""

from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType

from companion.playlist import spec
from companion.playlist.build_plan import build_plan
from companion.playlist.build_track import (build_track, float_or_none, format_default,
                                            resolve_file)
from companion.playlist.loader import Document
from companion.playlist.located import Located
from companion.playlist.model import (BilateralSpec, BreathingSpec, Phase, Playback, Playlist,
                                      StepSpec)


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
            minutes=float_or_none(phase.get("minutes")),
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
            minutes=float_or_none(pattern.get("minutes")),
            line=pattern.line,
        )
        for pattern in record.get("breathing", [])
    )
    cues = record.value.get("cues")
    wording = record.value.get("wording")
    playback_values = Playback(
        **{key: float(playback.get(key, format_default(playback_fmt, key)))
           for key in ("volume", "ceiling", "crossfade", "fade_in", "fade_out",
                       "loudness_target", "bilateral_above_music")},
        normalise=bool(playback.get("normalise", format_default(playback_fmt, "normalise"))),
        holding=build_track(path, holding) if holding is not None else None,
    )
    return Playlist(
        path=Path(os.path.abspath(path)),
        name=record.get("name"),
        description=record.get("description", ""),
        language=record.get("language", "en"),
        playback=playback_values,
        phases=phases,
        breathing=breathing,
        cues=MappingProxyType({role: build_track(path, cue)
                               for role, cue in (cues.value.items() if cues else ())}),
        wording=MappingProxyType({key: value.value for key, value in
                                  (wording.value.items() if wording else ())}),
        content_hash=document.content_hash,
        plan=build_plan(path, record, playback_values),
        bilateral=tuple(build_bilateral(path, preset) for preset in record.get("bilateral", [])),
        voice=resolve_file(path, record.get("voice")) if record.get("voice") else None,
    )


def build_bilateral(path: Path, preset: Located) -> BilateralSpec:
    """A BilateralSpec from a validated `bilateral` item (24 passes when no length is given)."""
    fmt = spec.build_format()
    preset_fmt = fmt.key("bilateral").type.item  # type: ignore[union-attr]
    assert isinstance(preset_fmt, spec.Mapping)
    lengths = [key for key in spec.BLS_LENGTHS if key in preset.value]
    passes = int(preset.get("passes")) if "passes" in lengths else None
    if not lengths:
        passes = 24
    file = preset.get("file")

    def value(key: str) -> float:
        return float(preset.get(key, format_default(preset_fmt, key)))

    return BilateralSpec(
        name=preset.get("name"),
        title=preset.get("title") or preset.get("name"),
        speed=value("speed"),
        passes=passes,
        seconds=float_or_none(preset.get("seconds")),
        sound=preset.get("sound", "tone"),
        file=resolve_file(path, file) if file else None,
        pan=preset.get("pan", "hard"),
        hz=value("hz"),
        depth=value("depth"),
        gain_db=value("gain_db"),
        duck_db=value("duck_db"),
        line=preset.line,
    )


def _build_step(step: Located) -> StepSpec:
    kind = next(k for k in spec.STEP_KINDS if k in step.value)
    return StepSpec(kind=kind, seconds=float(step.get(kind)), words=step.get("words", ""))
