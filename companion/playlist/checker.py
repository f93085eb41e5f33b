"""`check_playlist`: every problem in a playlist, including its files, and each phase's length.

Problems that stop a playlist from loading are errors; a missing or unreadable audio file
is a warning (the session skips it and plays on), but both are problems for `companion
check`. The plan lines compare each phase's tracks with its target length.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from companion.errors import CompanionError, PlaylistError
from companion.playlist.build import build_playlist
from companion.playlist.files import check_files
from companion.playlist.loader import read_document
from companion.playlist.located import Located
from companion.playlist.loudness_notes import loudness_notes
from companion.playlist.model import Playlist, Problem
from companion.playlist.phase_lengths import plan_lines
from companion.playlist.validate import validate_document


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
    file_problems, lengths = check_files(path, record)
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
