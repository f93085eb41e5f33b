"""Building the plan in the room from validated playlist values, with the format's defaults."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from companion.playlist import spec
from companion.playlist.build_track import build_track, float_or_none, format_default
from companion.playlist.located import Located
from companion.playlist.model import Harbour, Landing, Plan, PlanItem, Playback, Scale, ValueRange


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
            name: ValueRange(float_or_none(bounds.get("low")),
                             float_or_none(bounds.get("high")))
            for name, bounds in (ranges.value.items() if ranges is not None else ())}),
        min_observation_minutes=float_or_none(record.get("min_observation_minutes")),
        put_off_minutes=float(record.get("put_off_minutes",
                                         format_default(fmt, "put_off_minutes"))),
        overdue_after_minutes=float(record.get("overdue_after_minutes",
                                               format_default(fmt, "overdue_after_minutes"))),
        harbour=Harbour(
            track=build_track(path, harbour_track) if harbour_track is not None
            else playback.holding,
            fade=float(harbour.get("fade", format_default(harbour_fmt, "fade"))),
            level=float(harbour.get("level", playback.volume)),
            words=harbour.get("words", ""),
        ),
        landing=Landing(
            fade=float(landing.get("fade", format_default(landing_fmt, "fade"))),
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
