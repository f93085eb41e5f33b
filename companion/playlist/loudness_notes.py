"""The loudness notes of `companion check`: files not analysed yet, held down, or far too quiet."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from companion.playlist.model import Playlist


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
