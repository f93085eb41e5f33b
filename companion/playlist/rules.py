"""Rules across a playlist's keys, checked once every value is read: what no single key can say.

Unique names, one phase until the dose, volume and harbour level under the ceiling, a
breathing pattern that breathes both ways, `seed` only on built-ins, and the plan's own
rules: scales, ranges and readings that name something known, check-ins without `words`,
phases that exist.
"""

from __future__ import annotations

from companion.audio.levels import DEFAULT_CEILING
from companion.playlist import spec
from companion.playlist.located import Located, did_you_mean, number_text, short
from companion.playlist.walker import Walker
from companion.playlist.wording_keys import check_wording_keys


def check_meaning(walker: Walker, record: Located) -> None:
    """Rules across keys: unique names, one dose phase, volume under ceiling, wording keys."""
    phases = record.get("phases", [])
    _unique_names(walker, phases, "phase name")
    _unique_names(walker, record.get("breathing", []), "breathing pattern name")
    _unique_names(walker, record.get("bilateral", []), "BLS preset name")
    for preset in record.get("bilateral", []):
        if "file" in preset.value and "sound" in preset.value:
            walker.report(preset.where("file"), "a BLS preset takes `sound` or `file`, not "
                          "both `sound` and `file`")
    dose_phases = [p for p in phases if p.get("until") == "dose"]
    for extra in dose_phases[1:]:
        walker.report(extra.where("until"), "only one phase can last until the dose (also on "
                      f"line {dose_phases[0].line})")
    tracks = [t for p in phases for t in p.get("tracks", [])]
    playback = record.value.get("playback")
    if playback is not None:
        if playback.get("holding") is not None:
            tracks.append(playback.value["holding"])
        volume, ceiling = playback.get("volume"), playback.get("ceiling", DEFAULT_CEILING)
        if volume is not None and volume > ceiling:
            walker.report(playback.where("volume"), f"`volume` {number_text(volume)} is above "
                          f"the `ceiling` {number_text(ceiling)}")
    cues = record.value.get("cues")
    tracks.extend(cues.value.values() if cues is not None else [])
    tracks.extend(_check_plan(walker, record))
    for track in tracks:
        if "seed" in track.value and "file" in track.value:
            walker.report(track.where("seed"), "`seed` only applies to a `builtin` sound")
    for pattern in record.get("breathing", []):
        kinds = {next(k for k in spec.STEP_KINDS if k in step.value)
                 for step in pattern.get("steps", []) if any(k in step.value
                                                            for k in spec.STEP_KINDS)}
        if pattern.get("steps") and not {"inhale", "exhale"} <= kinds:
            walker.report(pattern.where("steps"), "a breathing pattern needs at least one "
                          "`inhale` and one `exhale` step")
    wording = record.value.get("wording")
    if wording is not None and wording.value:
        check_wording_keys(walker, wording)


def _check_plan(walker: Walker, record: Located) -> list[Located]:
    """Rules of the plan in the room; returns its tracks and cues (for the track rules)."""
    scale_names = _check_scales(walker, record)
    _check_ranges(walker, record, list(spec.VALUE_NAMES) + scale_names)
    tracks = _check_schedule(walker, record, list(spec.VITAL_READINGS) + scale_names)
    harbour = record.value.get("harbour")
    if harbour is not None:
        if harbour.value.get("track") is not None:
            tracks.append(harbour.value["track"])
        playback = record.value.get("playback")
        ceiling = (playback.get("ceiling", DEFAULT_CEILING) if playback is not None
                   else DEFAULT_CEILING)
        level = harbour.get("level")
        if level is not None and level > ceiling:
            walker.report(harbour.where("level"), f"harbour `level` {number_text(level)} is "
                          f"above the `ceiling` {number_text(ceiling)}")
    landing = record.value.get("landing")
    if landing is not None and landing.value.get("after") is not None:
        tracks.append(landing.value["after"])
    return tracks


def _check_scales(walker: Walker, record: Located) -> list[str]:
    """Scales named apart from the vital signs, `max` above `min`; returns their names."""
    scales = record.value.get("scales")
    for name, scale in (scales.value.items() if scales is not None else ()):
        if name in spec.VITAL_READINGS or name in spec.VALUE_NAMES:
            walker.report(scales.key_marks[name], f"scale `{name}` has the name of a vital "
                          "sign; give the scale another name")
        low, high = scale.get("min"), scale.get("max")
        if low is not None and high is not None and low >= high:
            walker.report(scale.where("max"), f"scale `{name}`: `max` {number_text(high)} "
                          f"must be above `min` {number_text(low)}")
    return list(scales.value) if scales is not None else []


def _check_ranges(walker: Walker, record: Located, value_names: list[str]) -> None:
    """Each range names a known value, `low` not above `high`."""
    ranges = record.value.get("ranges")
    for name, bounds in (ranges.value.items() if ranges is not None else ()):
        if name not in value_names:
            hint = " (blood pressure has two: systolic and diastolic)" if name == "bp" else (
                did_you_mean(name, value_names) or f" (known: {', '.join(value_names)})")
            walker.report(ranges.key_marks[name], f"no value called `{name}` to give a range"
                          f"{hint}")
        low, high = bounds.get("low"), bounds.get("high")
        if low is not None and high is not None and low > high:
            walker.report(bounds.where("high"), f"range of `{name}`: `high` "
                          f"{number_text(high)} is below `low` {number_text(low)}")


def _check_schedule(walker: Walker, record: Located, readings: list[str]) -> list[Located]:
    """Known readings listed once, check-ins without `words`, known phases; returns the cues."""
    cues: list[Located] = []
    phase_names = [p.get("name") for p in record.get("phases", []) if p.get("name")]
    for item in record.get("schedule", []):
        seen: set[str] = set()
        for reading in item.value["vitals"].value if "vitals" in item.value else []:
            code = reading.value
            if code not in readings:
                hint = did_you_mean(code, readings) or (
                    f" (known: {', '.join(readings)}; name other scores under `scales`)")
                walker.report((reading.line, reading.column), f"unknown reading `{short(code)}`"
                              f"{hint}")
            elif code in seen:
                walker.report((reading.line, reading.column), f"reading `{code}` is listed "
                              "twice")
            seen.add(code)
        if "check_in" in item.value and "words" in item.key_marks:
            walker.report(item.key_marks["words"], "a check-in's words are its `check_in` "
                          "text; `words` belongs to vitals checks")
        phase = item.get("phase")
        if phase is not None and phase not in phase_names:
            hint = did_you_mean(phase, phase_names) or f" (phases: {', '.join(phase_names)})"
            walker.report(item.where("phase"), f"no phase called {short(phase)!r}{hint}")
        if item.value.get("cue") is not None:
            cues.append(item.value["cue"])
    return cues


def _unique_names(walker: Walker, items: list[Located], what: str) -> None:
    first: dict[str, int] = {}
    for item in items:
        name = item.get("name")
        if not isinstance(name, str):
            continue
        folded = name.strip().casefold()
        if folded in first:
            walker.report(item.where("name"), f"{what} `{name}` is used twice (first on line "
                          f"{first[folded]})")
        else:
            first[folded] = item.where("name")[0]
