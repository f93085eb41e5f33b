"""`check_playlist`: every problem in a playlist, including its files, and each phase's length.

Problems that stop a playlist from loading are errors; a missing or unreadable audio file
is a warning (the session skips it and plays on), but both are problems for `companion
check`. The plan lines compare each phase's tracks with its target length.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from companion.clock import length_text
from companion.errors import AudioError, CompanionError, PlaylistError
from companion.playlist import audiofile
from companion.playlist.build import build_playlist, resolve_file
from companion.playlist.loader import read_document
from companion.playlist.located import Located, has_control_characters, one_line
from companion.playlist.model import Phase, Playlist, Problem, Track
from companion.playlist.validate import validate_document

_WINDOWS_PATH = re.compile(r"^([A-Za-z]:[\\/]|\\\\)")


@dataclass(frozen=True)
class CheckReport:
    """What `companion check` says about one playlist."""

    path: Path
    problems: tuple[Problem, ...]
    playlist: Playlist | None
    plan: tuple[str, ...] = ()
    """One line per phase: its target length against the length of its tracks."""
    notes: tuple[str, ...] = ()
    """Things worth knowing that are not problems (prompts falling back to English)."""
    lengths: Mapping[Path, float | None] = field(default_factory=dict)
    """Seconds of each playable audio file (None: unknown), by absolute path."""


def check_playlist(path: Path | str) -> list[Problem]:
    """Every problem in the playlist at `path`, in file order."""
    return list(check_report(Path(path)).problems)


def check_report(path: Path) -> CheckReport:
    """Problems, the model (when it loads), plan lines and notes for the playlist at `path`."""
    try:
        document = read_document(path)
    except PlaylistError as error:
        problem = Problem(error.path or path, error.line or 1, error.column or 1, error.message)
        return CheckReport(path, (problem,), None)
    record, problems = validate_document(document)
    if record is None:
        return CheckReport(path, tuple(problems), None)
    file_problems, lengths = _check_files(path, record)
    every = tuple(sorted(problems + file_problems, key=lambda p: (p.line, p.column)))
    if any(p.severity == "error" for p in problems):
        return CheckReport(path, every, None)
    playlist = build_playlist(document, record)
    if playlist.voice is not None:
        every = tuple(sorted(every + tuple(_voice_problems(path, record, playlist)),
                             key=lambda p: (p.line, p.column)))
    notes = _language_notes(playlist.language) + loudness_notes(path, playlist, lengths)
    return CheckReport(path, every, playlist, plan_lines(playlist, lengths), notes, lengths)


def _voice_problems(path: Path, record: Located, playlist: Playlist) -> list[Problem]:
    """A warning when the playlist's voice pack is missing or lacks lines (the words still show)."""
    from companion.voice import VoicePack, missing, prompts
    from companion.wording import Wording

    where = record.value["voice"]
    assert playlist.voice is not None
    fix = f"record them with `companion voice record {playlist.voice} --playlist {path}`"
    try:
        pack = VoicePack.open(playlist.voice)
    except CompanionError as error:
        return [Problem(path, where.line, where.column, str(error), "warning")]
    wanted = prompts(Wording.for_playlist(playlist), playlist=playlist)
    lacking = missing(pack, wanted)
    if not lacking:
        return []
    return [Problem(path, where.line, where.column,
                    f"voice pack {str(playlist.voice)!r} lacks {len(lacking)} of {len(wanted)} "
                    f"lines (first: {lacking[0]}); {fix}", "warning")]


def _located_tracks(record: Located) -> list[Located]:
    tracks = [t for phase in record.get("phases", []) for t in phase.get("tracks", [])]
    playback = record.value.get("playback")
    if playback is not None and "holding" in playback.value:
        tracks.append(playback.value["holding"])
    cues = record.value.get("cues")
    tracks += list(cues.value.values()) if cues is not None else []
    tracks += [item.value["cue"] for item in record.get("schedule", []) if "cue" in item.value]
    harbour, landing = record.value.get("harbour"), record.value.get("landing")
    if harbour is not None and "track" in harbour.value:
        tracks.append(harbour.value["track"])
    if landing is not None and "after" in landing.value:
        tracks.append(landing.value["after"])
    tracks += [p for p in record.get("bilateral", []) if "file" in p.value]  # BLS samples
    return tracks


def _check_files(path: Path, record: Located) -> tuple[list[Problem], dict[Path, float | None]]:
    """Warnings for files that are missing or not playable; the lengths of those that are."""
    problems: list[Problem] = []
    lengths: dict[Path, float | None] = {}
    failures: dict[Path, str] = {}
    for track in _located_tracks(record):
        written = track.get("file")
        if written is None:
            continue
        line, column = track.where("file")
        resolved = resolve_file(path, written)
        if resolved not in lengths and resolved not in failures:
            reason = _probe(resolved, written, lengths)
            if reason:
                failures[resolved] = reason
        if resolved in failures:
            problems.append(Problem(path, line, column, failures[resolved], "warning"))
    return problems, lengths


def _probe(resolved: Path, written: str, lengths: dict[Path, float | None]) -> str:
    """"" when `resolved` is playable (its length stored), else why not."""
    if has_control_characters(written):
        return f"file name `{one_line(written)}` holds control characters"
    problem = audiofile.file_problem(resolved)
    if problem == audiofile.NOT_FOUND:
        if _WINDOWS_PATH.match(written) or "\\" in written:
            return (f"file not found: `{written}` is a Windows path; copy the music to this "
                    "computer and write its path relative to the playlist, with `/`")
        return f"file not found: {written} (looked for {resolved})"
    if problem is not None:
        return f"cannot play {_tail(written)}: {problem}"
    try:
        header = audiofile.probe(resolved)
    except AudioError as error:
        return f"cannot play {written}: {error.reason}"
    lengths[resolved] = header.seconds
    return ""


def _tail(written: str, limit: int = 100) -> str:
    """`written` on one line, its start cut when long (the file name at the end says most)."""
    text = one_line(written)
    return text if len(text) <= limit else "…" + text[-(limit - 1):]


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


def loudness_notes(path: Path, playlist: Playlist,
                   lengths: Mapping[Path, float | None]) -> tuple[str, ...]:
    """The files that will not play at the loudness target: not analysed yet, or held down."""
    from companion.audio.loudness_cache import LoudnessCache
    from companion.audio.normalise import describe, track_gain_db

    playback = playlist.playback
    cache = LoudnessCache()
    quiet = inaudible_notes(path, playlist, lengths, cache)
    if not playback.normalise:
        return quiet
    unmeasured: list[str] = []
    notes: list[str] = []
    seen: set[Path] = set()
    for track in playlist.sounds():
        if track.file is None or track.file not in lengths or track.file in seen:
            continue
        seen.add(track.file)
        measured = cache.get(track.file)
        if measured is None:
            unmeasured.append(f"{track.title} ({track.file.name})")
            continue
        decision = track_gain_db(measured, playback.loudness_target, track.gain_db)
        words = describe(measured, decision, playback.loudness_target)
        if words is not None:
            notes.append(f"loudness: {track.title} ({track.file.name}) {words}")
    if unmeasured:
        shown = ", ".join(unmeasured[:8]) + (", ..." if len(unmeasured) > 8 else "")
        notes.insert(0, f"loudness: {len(unmeasured)} of {len(seen)} files not analysed yet, "
                     f"so they play at their own level: {shown} (`companion analyse {path}` "
                     "measures them, about 10 s per hour of audio)")
    return tuple(notes) + quiet


def inaudible_notes(path: Path, playlist: Playlist, lengths: Mapping[Path, float | None],
                    cache: object) -> tuple[str, ...]:
    """Every sound that would play more than 20 dB below the target: a gain typo or a
    near-silent file, named with its line and the level it would play at."""
    from companion.audio.normalise import GainDecision, inaudible_words, track_gain_db

    playback = playlist.playback
    notes = []
    for track in playlist.sounds():
        if track.file is not None and track.file not in lengths:
            continue  # missing or unreadable: reported as such already
        measured = cache.lookup(file=track.file, builtin=track.builtin,  # type: ignore[attr-defined]
                                seed=track.seed)
        own = float(track.gain_db)
        decision = (track_gain_db(measured, playback.loudness_target, own) if playback.normalise
                    else GainDecision(own, None, own))
        words = inaudible_words(measured, decision, own, playback.loudness_target)
        if words is not None:
            name = track.file.name if track.file is not None else f"built-in {track.builtin}"
            notes.append(f"loudness: {path}, line {track.line}: {track.title} ({name}) {words}")
    return tuple(notes)


def _language_notes(language: str) -> tuple[str, ...]:
    try:
        from companion import wording
    except ImportError:
        return ()
    try:
        if wording.normalize_language(language).split("-")[0] not in wording.languages():
            return (f"language {language!r}: no wording files; prompts will be in English",)
        missing = wording.missing_keys(language)
    except CompanionError as error:
        return (f"cannot read the wording files: {error}",)
    if not missing:
        return ()
    shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
    return (f"language {language!r}: {len(missing)} prompt lines fall back to English "
            f"({shown})",)
