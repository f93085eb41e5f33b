"""The audio files a playlist names: which are missing or not playable (warnings), and their lengths."""

from __future__ import annotations

import re
from pathlib import Path

from companion.errors import AudioError
from companion.playlist import audiofile
from companion.playlist.build_track import resolve_file
from companion.playlist.located import Located, has_control_characters, one_line
from companion.playlist.model import Problem

_WINDOWS_PATH = re.compile(r"^([A-Za-z]:[\\/]|\\\\)")


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


def check_files(path: Path, record: Located) -> tuple[list[Problem], dict[Path, float | None]]:
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
