"""The plan lines of `companion check`: each phase's target length against its tracks, the total."""

from __future__ import annotations

from pathlib import Path

from companion.clock import length_text
from companion.playlist.model import Phase, Playlist, Track


def _track_length(track: Track, lengths: dict[Path, float | None]) -> float | None:
    """Seconds a track plays; inf when it plays until the phase ends; None when unknown."""
    if track.builtin is not None or track.loop:
        return track.seconds if track.seconds is not None else float("inf")
    natural = lengths.get(track.file) if track.file is not None else None
    if track.seconds is not None:
        return min(track.seconds, natural) if natural is not None else track.seconds
    return natural


def phase_line(phase: Phase, lengths: dict[Path, float | None]) -> str:
    """`Name: target 20:00, tracks 18:30 (1:30 short)` for one phase."""
    target = "until the dose" if phase.until_dose else f"target {length_text(phase.minutes * 60)}"
    durations = [_track_length(t, lengths) for t in phase.tracks]
    known = sum(d for d in durations if d is not None and d != float("inf"))
    unknown = sum(1 for d in durations if d is None)
    if not phase.tracks:
        tracks = "no tracks (silence)"
    elif any(d == float("inf") for d in durations):
        tracks = (f"tracks {length_text(known)} + playing until the phase ends" if known
                  else "tracks fill the phase")
    elif unknown:
        unknown_part = f"{unknown} track{'s' if unknown > 1 else ''} of unknown length"
        tracks = f"tracks {length_text(known)} + {unknown_part}" if known else unknown_part
    else:
        tracks = f"tracks {length_text(known)}"
        if phase.minutes is not None:
            difference = known - phase.minutes * 60
            if abs(difference) < 1:
                tracks += " (matches)"
            else:
                over = "over" if difference > 0 else "short"
                tracks += f" ({length_text(abs(difference))} {over})"
    return f"{phase.name}: {target}, {tracks}"


def plan_lines(playlist: Playlist, lengths: dict[Path, float | None]) -> tuple[str, ...]:
    """One line per phase, then the planned total."""
    lines = [phase_line(phase, lengths) for phase in playlist.phases]
    timed = sum(p.minutes or 0 for p in playlist.phases) * 60
    dose = any(p.until_dose for p in playlist.phases)
    until_dose = " plus the time until the dose" if dose else ""
    lines.append(f"planned: {length_text(timed)}{until_dose}")
    plan = playlist.plan
    if plan.schedule or plan.min_observation_minutes is not None:
        vitals = sum(1 for item in plan.schedule if item.kind == "vitals")
        check_ins = len(plan.schedule) - vitals
        parts = [f"{vitals} vitals check{'s' if vitals != 1 else ''}",
                 f"{check_ins} check-in{'s' if check_ins != 1 else ''}"]
        if plan.min_observation_minutes is not None:
            parts.append(f"minimum observation {length_text(plan.min_observation_minutes * 60)} "
                         "after the dose")
        lines.append("plan in the room: " + ", ".join(parts) + " (`companion plan` prints the "
                     "timeline)")
    return tuple(lines)
