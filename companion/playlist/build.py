"""Turning validated playlist values into the frozen model, with defaults and absolute paths."""

from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType

from companion.playlist import spec
from companion.playlist.loader import Document
from companion.playlist.located import Located
from companion.playlist.model import (BilateralSpec, BreathingSpec, Harbour, Landing, Phase, Plan,
                                      PlanItem, Playback, Playlist, Scale, StepSpec, Track,
                                      ValueRange)


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
    playback_values = Playback(
        **{key: float(playback.get(key, _default(playback_fmt, key)))
           for key in ("volume", "ceiling", "crossfade", "fade_in", "fade_out",
                       "loudness_target", "bilateral_above_music")},
        normalise=bool(playback.get("normalise", _default(playback_fmt, "normalise"))),
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
        return float(preset.get(key, _default(preset_fmt, key)))

    return BilateralSpec(
        name=preset.get("name"),
        title=preset.get("title") or preset.get("name"),
        speed=value("speed"),
        passes=passes,
        seconds=_float_or_none(preset.get("seconds")),
        sound=preset.get("sound", "tone"),
        file=resolve_file(path, file) if file else None,
        pan=preset.get("pan", "hard"),
        hz=value("hz"),
        depth=value("depth"),
        gain_db=value("gain_db"),
        duck_db=value("duck_db"),
        line=preset.line,
    )


def _mapping_of(fmt: spec.Mapping, key: str) -> spec.Mapping:
    kind = fmt.key(key).type
    assert isinstance(kind, spec.Mapping)
    return kind


def build_plan(path: Path, record: Located, playback: Playback) -> Plan:
    """The Plan of a validated playlist (defaults where the clinician wrote nothing)."""
    fmt = spec.build_format()
    empty = Located({}, record.line, record.column)
    harbour = record.value.get("harbour") or empty
    landing = record.value.get("landing") or empty
    harbour_fmt, landing_fmt = _mapping_of(fmt, "harbour"), _mapping_of(fmt, "landing")
    harbour_track = harbour.value.get("track")
    after = landing.value.get("after")
    scales = record.value.get("scales")
    ranges = record.value.get("ranges")
    return Plan(
        schedule=_schedule(path, record.get("schedule", [])),
        scales=MappingProxyType({
            name: Scale(name=name, title=scale.get("title") or name,
                        minimum=float(scale.get("min")), maximum=float(scale.get("max")),
                        words=scale.get("words", ""), line=scale.line)
            for name, scale in (scales.value.items() if scales is not None else ())}),
        ranges=MappingProxyType({
            name: ValueRange(_float_or_none(bounds.get("low")),
                             _float_or_none(bounds.get("high")))
            for name, bounds in (ranges.value.items() if ranges is not None else ())}),
        min_observation_minutes=_float_or_none(record.get("min_observation_minutes")),
        put_off_minutes=float(record.get("put_off_minutes", _default(fmt, "put_off_minutes"))),
        overdue_after_minutes=float(record.get("overdue_after_minutes",
                                               _default(fmt, "overdue_after_minutes"))),
        harbour=Harbour(
            track=build_track(path, harbour_track) if harbour_track is not None
            else playback.holding,
            fade=float(harbour.get("fade", _default(harbour_fmt, "fade"))),
            level=float(harbour.get("level", playback.volume)),
            words=harbour.get("words", ""),
        ),
        landing=Landing(
            fade=float(landing.get("fade", _default(landing_fmt, "fade"))),
            after=build_track(path, after) if after is not None else None,
        ),
        integration_prompts=tuple(p.value for p in record.get("integration_prompts", [])),
    )


def _schedule(path: Path, items: list[Located]) -> tuple[PlanItem, ...]:
    """PlanItems in due order (dose-timed after start-timed; leaving last), with unique ids."""
    built: list[PlanItem] = []
    taken: set[str] = set()
    for item in items:
        kind = "vitals" if "vitals" in item.value else "check_in"
        if "at" in item.value:
            anchor, minutes, stem = "dose", float(item.get("at")), f"dose+{item.get('at'):g}"
        elif "after_start" in item.value:
            anchor, minutes = "start", float(item.get("after_start"))
            stem = f"start+{item.get('after_start'):g}"
        elif item.get("before_dose"):
            anchor, minutes, stem = "start", 0.0, "start+0"
        else:
            anchor, minutes, stem = "leaving", 0.0, "leaving"
        ident = f"{stem}:{kind}"
        number = 2
        while ident in taken:
            ident, number = f"{stem}:{kind}#{number}", number + 1
        taken.add(ident)
        cue = item.value.get("cue")
        built.append(PlanItem(
            id=ident, kind=kind,
            title=item.get("title") or ("Vitals" if kind == "vitals" else "Check-in"),
            anchor=anchor, minutes=minutes,
            readings=tuple(r.value for r in item.get("vitals", [])),
            words=item.get("check_in") if kind == "check_in" else item.get("words", ""),
            phase=item.get("phase"),
            cue=build_track(path, cue) if cue is not None else None,
            line=item.line,
        ))
    order = {"start": 0, "dose": 1, "leaving": 2}
    return tuple(sorted(built, key=lambda i: (order[i.anchor], i.minutes)))


def _build_step(step: Located) -> StepSpec:
    kind = next(k for k in spec.STEP_KINDS if k in step.value)
    return StepSpec(kind=kind, seconds=float(step.get(kind)), words=step.get("words", ""))
