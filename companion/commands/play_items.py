"""What `companion play` plays: files and playlist tracks as items, each at the level it is heard."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from companion.audio.levels import DEFAULT_VOLUME
from companion.paths import PLAYLIST_SUFFIXES

if TYPE_CHECKING:
    from companion.audio.loudness_cache import Levelling
    from companion.playlist.model import Playlist, Track

FILE_FADE_S = 1.0
FILE_CROSSFADE_S = 1.0  # between files named on the command line
MIN_PLAYLIST_FADE_S = 0.05  # a playlist track starting from silence never starts with a cut


@dataclass(frozen=True)
class Item:
    """One thing to play, as the preview prints it."""

    title: str
    file: Path | None
    builtin: str | None
    seed: int = 0
    seconds: float | None = None
    gain_db: float = 0.0
    fade_in: float = FILE_FADE_S
    fade_out: float = FILE_FADE_S
    volume: float = float(DEFAULT_VOLUME)
    where: str = ""
    level: str = ""
    """How the listing states the gain (" at -9.0 dB"); empty without normalisation."""
    crossfade: float = FILE_CROSSFADE_S
    """Seconds over which this item fades in over the one before it (0: a gapless join)."""

    def describe(self) -> str:
        """`Title (file.flac, 3:21)` for the listing."""
        from companion.clock import length_text

        source = self.file.name if self.file is not None else f"built-in {self.builtin}"
        length = length_text(self.seconds) if self.seconds else "endless" if self.builtin else "?"
        return f"{self.title} ({source}, {length})"


def collect_items(paths: list[str], volume: float | None, normalise: bool = True) -> list[Item]:
    """What to play, in order; raises AudioError / PlaylistError for a path that cannot play."""
    from companion.audio.decode import probe
    from companion.audio.loudness_cache import Levelling
    from companion.playlist.loader import load_playlist

    levels = Levelling() if normalise else None
    items: list[Item] = []
    for text in paths:
        path = Path(text)
        if path.suffix.lower() in PLAYLIST_SUFFIXES:
            playlist = load_playlist(path)
            playback = playlist.playback
            # Heard as a session would play it: at the playlist's own target, or not levelled.
            levels_here = (Levelling(levels.cache, playback.loudness_target)
                           if levels is not None and playback.normalise else None)
            items += _playlist_items(playlist, volume, levels_here)
        else:
            info = probe(path)  # a file named on the command line must play: fail before any sound
            gain, words = _level(levels, path.resolve(), None, 0, 0.0)
            items.append(Item(path.stem, path.resolve(), None, seconds=info.seconds, gain_db=gain,
                              volume=float(DEFAULT_VOLUME) if volume is None else volume, level=words))
    return items


def _playlist_items(playlist: Playlist, volume: float | None,
                    levels: Levelling | None) -> list[Item]:
    """Every track of every phase, with the playlist's fades, crossfade and volume."""
    level = min(playlist.playback.ceiling, volume if volume is not None else playlist.playback.volume)
    return [_track_item(playlist, phase.name, track, level, levels)
            for phase in playlist.phases for track in phase.tracks]


def _track_item(playlist: Playlist, phase_name: str, track: Track, volume: float,
                levels: Levelling | None) -> Item:
    from companion.audio.decode import probe
    from companion.errors import AudioError

    fade_in = playlist.playback.fade_in if track.fade_in is None else track.fade_in
    fade_out = playlist.playback.fade_out if track.fade_out is None else track.fade_out
    seconds = track.seconds
    if track.file is not None:
        try:
            seconds = seconds or probe(track.file).seconds
        except AudioError:
            pass  # reported when it fails to play; the preview goes on
    gain, words = _level(levels, track.file, track.builtin, track.seed, track.gain_db)
    return Item(track.title, track.file, track.builtin, track.seed, seconds,
                gain, max(fade_in, MIN_PLAYLIST_FADE_S), fade_out, volume,
                f"{playlist.name} / {phase_name}", words, float(playlist.playback.crossfade))


def _level(levels: Levelling | None, file: Path | None, builtin: str | None, seed: int,
           gain_db: float) -> tuple[float, str]:
    """The gain to play at and the listing's words for it; a file not analysed yet is measured
    now (the preview is for hearing the result), one that cannot be keeps its own gain."""
    from companion.errors import AudioError

    if levels is None:
        return gain_db, ""
    if file is not None:
        if sys.stderr.isatty() and levels.cache.get(file) is None:
            print(f"measuring the loudness of {file.name}...", file=sys.stderr, flush=True)
        try:
            levels.cache.file_loudness(file)
        except AudioError:
            return gain_db, ""  # reported when it fails to play
    decision = levels.decision(file, builtin, seed, gain_db)
    words = f" at {decision.gain_db:+.1f} dB"
    if decision.limited_by is not None:
        words += (f" ({decision.shortfall_db:.1f} dB below {levels.target_lufs:g} LUFS: "
                  f"held under the peak limit)")
    return decision.gain_db, words
