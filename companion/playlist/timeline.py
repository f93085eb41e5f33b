"""The whole session on paper: phases and music, vitals, check-ins, observation, harbour, landing.

`timeline_lines(playlist)` is what `companion plan PLAYLIST` prints, so a clinician can read
the day before it happens. Before the dose, times count from the session start (`0:10`);
after it, from the dose mark (`+0:15`): the dose comes when the client is ready.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from companion.clock import clock_minutes, plan_length_text
from companion.playlist.model import Phase, Plan, PlanItem, Playlist, Track


@dataclass(frozen=True)
class _Entry:
    minutes: float | None  # None: when the sitter decides (the dose, ready to leave)
    order: int             # among entries at the same time: phases, items, then the rest
    text: str


def track_text(track: Track, lengths: Mapping[Path, float | None] | None = None,
               *, length: bool = True) -> str:
    """`Open sky (warm pad, 20 min)`: a track's title, source and how long it plays."""
    source = (track.builtin or "").replace("-", " ") if track.builtin else (
        track.file.name if track.file else "")
    if not length:
        how_long = ""
    elif track.seconds is not None:
        how_long = plan_length_text(track.seconds)
    elif track.loop or track.builtin:
        how_long = "until the phase ends"
    else:
        natural = (lengths or {}).get(track.file) if track.file else None
        how_long = plan_length_text(round(natural)) if natural else ""
    detail = ", ".join(part for part in (source, how_long) if part)
    return f"{track.title} ({detail})" if detail and detail != track.title else track.title


def _readings(item: PlanItem, plan: Plan) -> str:
    names = []
    for code in item.readings:
        if code in plan.scales:
            names.append(plan.scales[code].title)
        else:
            names.append({"bp": "BP", "hr": "HR", "spo2": "SpO2", "rr": "RR",
                          "temp": "temperature"}.get(code, code))
    return ", ".join(names)


def item_text(item: PlanItem, plan: Plan) -> str:
    """`Vitals: BP, HR, SpO2 — "words"` or `Check-in: "words"`, with the phase it belongs to."""
    if item.kind == "vitals":
        text = f"{item.title}: {_readings(item, plan)}"
        if item.words:
            text += f' — "{item.words}"'
    else:
        text = f'{item.title}: "{item.words}"'
    return text + (f" [{item.phase}]" if item.phase else "")


def _phase_text(phase: Phase, lengths: Mapping[Path, float | None] | None) -> str:
    length = "until the dose" if phase.until_dose else plan_length_text((phase.minutes or 0) * 60)
    music = "; ".join(track_text(t, lengths) for t in phase.tracks) or "silence"
    return f"Phase {phase.name}, {length}: {music}"


def _entries(playlist: Playlist, lengths: Mapping[Path, float | None] | None
             ) -> tuple[list[_Entry], list[_Entry], bool]:
    """(before the dose, after the dose, whether a phase waits for the dose)."""
    plan = playlist.plan
    before: list[_Entry] = []
    after: list[_Entry] = []
    dose_phase = any(p.until_dose for p in playlist.phases)
    offset, after_dose = 0.0, False
    for phase in playlist.phases:
        (after if after_dose else before).append(_Entry(offset, 0, _phase_text(phase, lengths)))
        if phase.until_dose:
            before.append(_Entry(None, 3, "The sitter marks the dose (the phase ends; times "
                                 "count from here)."))
            offset, after_dose = 0.0, True
        else:
            offset += phase.minutes or 0
    music_ends = offset
    landing = plan.landing
    end_text = (f"The music ends: the last fade over {landing.fade:g} s, then "
                + (track_text(landing.after, lengths, length=False) if landing.after
                   else "silence") + ".")
    (after if after_dose else before).append(_Entry(music_ends, 2, end_text))
    observation = plan.min_observation_minutes
    for item in plan.schedule:
        text = item_text(item, plan)
        if item.anchor == "start":
            before.append(_Entry(item.minutes, 1, text))
        elif item.anchor == "dose":
            after.append(_Entry(item.minutes, 1, text))
        elif observation is not None:
            after.append(_Entry(observation, 1, text + " (or earlier, when the client is "
                                "marked ready to leave)"))
        else:
            after.append(_Entry(None, 1, text + " (when the client is marked ready to leave)"))
    if observation is not None:
        after.append(_Entry(observation, 0, "Minimum observation ends ("
                            f"{plan_length_text(observation * 60)} after the dose); ending earlier asks "
                            "for a reason."))
    return before, after, dose_phase


def _sorted(entries: list[_Entry]) -> list[_Entry]:
    timed = sorted((e for e in entries if e.minutes is not None),
                   key=lambda e: (e.minutes, e.order))
    return timed + [e for e in entries if e.minutes is None]


def _range_text(name: str, plan: Plan) -> str:
    bounds = plan.ranges[name]
    label = plan.scales[name].title if name in plan.scales else name
    if bounds.low is not None and bounds.high is not None:
        return f"{label} {bounds.low:g}–{bounds.high:g}"
    if bounds.low is not None:
        return f"{label} ≥ {bounds.low:g}"
    return f"{label} ≤ {bounds.high:g}"


def timeline_lines(playlist: Playlist,
                   lengths: Mapping[Path, float | None] | None = None) -> list[str]:
    """The session as lines of text, from the first phase to the client leaving."""
    plan = playlist.plan
    before, after, dose_phase = _entries(playlist, lengths)
    lines = [f"{playlist.name} — {playlist.path}"]
    if playlist.description:
        lines.append(playlist.description)
    lines += ["Before the dose, times count from the session start; after it, from the dose "
              "mark (+h:mm).", ""]
    for title, entries, after_dose in (("Before the dose", before, False),
                                       ("After the dose" if dose_phase else
                                        "After the dose (whenever the sitter marks it)",
                                        after, True)):
        if not entries:
            continue
        lines.append(title)
        for entry in _sorted(entries):
            when = "" if entry.minutes is None else clock_minutes(entry.minutes, after_dose)
            lines.append(f"  {when:<8} {entry.text}")
        lines.append("")
    if plan.ranges:
        lines.append("Ranges (values outside are marked, never alarmed): "
                     + ", ".join(_range_text(n, plan) for n in plan.ranges))
    if plan.scales:
        lines.append("Scales: " + ", ".join(f"{s.title} {s.minimum:g}–{s.maximum:g}"
                                            for s in plan.scales.values()))
    if plan.schedule:
        lines.append(f"Reminders: put off for {plan.put_off_minutes:g} min with Esc; overdue "
                     f"{plan.overdue_after_minutes:g} min after their time (checks before the "
                     "dose: once the dose is marked).")
    harbour = plan.harbour
    target = (track_text(harbour.track, length=False) if harbour.track
              else "the music itself")
    lines.append(f"Safe harbour: fades over {harbour.fade:g} s to {target} at "
                 f"{harbour.level:g} %, and grounding opens"
                 + (f' with the words "{harbour.words}"' if harbour.words else ""))
    if plan.integration_prompts:
        lines += ["Integration prompts for the report:"]
        lines += [f"  - {prompt}" for prompt in plan.integration_prompts]
    if not plan.schedule:
        lines.append("This playlist has no schedule of vitals or check-ins (`schedule:`).")
    return lines
