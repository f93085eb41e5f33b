"""`companion analyse PATH... [--json]`: loudness (LUFS, LRA, peaks) of audio files and playlists.

Each sound is measured per ITU-R BS.1770-4 / EBU R128 as Companion plays it, and the result
goes into the loudness cache, so sessions start without waiting for analysis. A playlist
stands for every file and built-in it plays, a folder for the audio files in it. A file that
cannot be decoded is reported with the engine's message and the rest go on; the exit status
is then 1.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from companion.paths import PLAYLIST_SUFFIXES

NAME = "analyse"
HELP = "measure loudness (LUFS, LRA, sample and true peak) of audio files or playlists"

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".oga")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Audio files or playlists; output format; target for the gain column."""
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="audio files (WAV, FLAC, MP3, Ogg Vorbis), folders of them, or "
                        "playlists (.yaml)")
    parser.add_argument("--json", action="store_true",
                        help="print a JSON list of {path, integrated_lufs, lra_lu, "
                        "sample_peak_dbfs, true_peak_dbtp} instead of a table")
    parser.add_argument("--target", type=float, metavar="LUFS",
                        help="loudness target for the table's gain column (default: each "
                        "playlist's loudness_target, else -18)")
    parser.add_argument("--refresh", action="store_true",
                        help="measure again even when the cache holds a result")


@dataclass(frozen=True)
class Item:
    """One sound to measure: a file or a built-in (name and seed)."""

    label: str
    file: Path | None = None
    builtin: str | None = None
    seed: int = 0
    track_gain_db: float = 0.0
    target_lufs: float | None = None
    """The loudness target of the playlist it comes from (None: the default)."""
    where: str = ""
    """`p.yaml, line 12`: where a playlist names it (empty for a file named on its own)."""
    normalise: bool = True
    """False when its playlist turns levelling off (it plays at its own gain)."""


def _shown(path: Path) -> str:
    """`path` relative to the current folder when inside it, else absolute."""
    relative = os.path.relpath(os.path.abspath(path))
    return relative if not relative.startswith("..") else os.path.abspath(path)


def _playlist_items(path: Path) -> list[Item]:
    """Every file and built-in a playlist plays (`Playlist.sounds`), in order."""
    from companion.playlist import load_playlist

    playlist = load_playlist(path)
    tracks = playlist.sounds()
    target = playlist.playback.loudness_target
    normalise = playlist.playback.normalise
    items = []
    for t in tracks:
        where = f"{_shown(path)}, line {t.line}"
        if t.builtin is not None:
            items.append(Item(f"builtin:{t.builtin} (seed {t.seed})", builtin=t.builtin,
                              seed=t.seed, track_gain_db=t.gain_db, target_lufs=target,
                              where=where, normalise=normalise))
        elif t.file is not None:
            items.append(Item(_shown(t.file), file=t.file, track_gain_db=t.gain_db,
                              target_lufs=target, where=where, normalise=normalise))
    return items


def _collect(arguments: list[str]) -> tuple[list[Item], list[str]]:
    """The sounds named by the arguments (each once) and the errors found on the way."""
    from companion.errors import CompanionError

    items: list[Item] = []
    errors: list[str] = []
    seen: set = set()
    for argument in arguments:
        path = Path(argument)
        if path.suffix.lower() in PLAYLIST_SUFFIXES:
            try:
                found = _playlist_items(path)
            except CompanionError as error:
                errors.append(str(error))
                continue
        elif path.is_dir():
            found = [Item(_shown(p), file=p) for p in sorted(path.rglob("*"))
                     if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file()]
            if not found:
                errors.append(f"{argument}: no audio files in this folder")
        else:
            found = [Item(argument, file=path)]
        for item in found:
            key = (item.builtin, item.seed) if item.builtin else os.path.abspath(item.file)
            if key not in seen:
                seen.add(key)
                items.append(item)
    return items, errors


class _Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    WIDTH = 24

    def __init__(self, total: int) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty()
        self._last = 0.0
        self._index = 0
        self._label = ""
        self._length: float | None = None

    def start(self, index: int, label: str, length: float | None) -> None:
        self._index, self._label, self._length = index, label, length
        self._draw(0.0, force=True)

    def update(self, seconds: float) -> None:
        self._draw(seconds)

    def _draw(self, seconds: float, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._last < 0.1):
            return
        self._last = now
        part = min(1.0, seconds / self._length) if self._length else 0.0
        done = (self._index + part) / max(1, self.total)
        filled = int(round(done * self.WIDTH))
        label = self._label if len(self._label) <= 40 else "..." + self._label[-37:]
        sys.stderr.write(f"\r\x1b[2K[{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                         f"{self._index + 1}/{self.total} {label}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()


def _fmt(value: float, sign: bool = False) -> str:
    if not math.isfinite(value):
        return "-inf"
    return f"{value:+.1f}" if sign else f"{value:.1f}"


def _table(rows: list[tuple[Item, object]], target: float | None) -> list[str]:
    from companion.audio.normalise import DEFAULT_TARGET_LUFS, track_gain_db

    lines = [f"{'LUFS':>6} {'LRA':>5} {'peak':>6} {'tpeak':>6} {'gain':>6}  path"]
    limited: set[float] = set()
    for item, loud in rows:
        aim = target if target is not None else item.target_lufs or DEFAULT_TARGET_LUFS
        decision = track_gain_db(loud, target_lufs=aim, track_gain_db=item.track_gain_db)
        mark = " "
        if decision.limited_by is not None:
            mark = "*"
            limited.add(aim)
        lines.append(f"{_fmt(loud.integrated_lufs):>6} {_fmt(loud.lra_lu):>5} "
                     f"{_fmt(loud.sample_peak_dbfs):>6} {_fmt(loud.true_peak_dbtp):>6} "
                     f"{_fmt(decision.gain_db, sign=True):>6}{mark} {item.label}")
    if limited:
        aims = " or ".join(f"{aim:g}" for aim in sorted(limited))
        lines.append(f"* held below {aims} LUFS so that its true peak stays under -1 dBTP")
    return lines


def _warnings(rows: list[tuple[Item, object]], target: float | None) -> list[str]:
    """A line for each sound that would play more than 20 dB below its target."""
    from companion.audio.normalise import (DEFAULT_TARGET_LUFS, GainDecision, inaudible_words,
                                           track_gain_db)

    lines = []
    for item, loud in rows:
        aim = target if target is not None else item.target_lufs or DEFAULT_TARGET_LUFS
        own = item.track_gain_db
        decision = (track_gain_db(loud, target_lufs=aim, track_gain_db=own) if item.normalise
                    else GainDecision(own, None, own))
        words = inaudible_words(loud, decision, own, aim)
        if words is not None:
            place = f"{item.where}: " if item.where else ""
            lines.append(f"warning: {place}{item.label} {words}")
    return lines


def _json_row(item: Item, loud) -> dict:
    data = loud.to_json()
    keys = ("integrated_lufs", "lra_lu", "sample_peak_dbfs", "true_peak_dbtp")
    return {"path": item.label,
            **{k: (None if data[k] is None else round(data[k], 2)) for k in keys}}


def run(args: argparse.Namespace) -> int:
    """Measure each sound; print a table or JSON; 0 if all were measured, 1 if any failed."""
    from companion.audio.decode import probe
    from companion.audio.loudness_cache import LoudnessCache
    from companion.errors import CompanionError

    items, errors = _collect(args.paths)
    for error in errors:
        print(f"companion: {error}", file=sys.stderr)
    cache = LoudnessCache()
    progress = _Progress(len(items))
    rows = []
    failed = len(errors)
    try:
        for index, item in enumerate(items):
            try:
                if item.builtin is not None:
                    progress.start(index, item.label, None)
                    loud = cache.builtin_loudness(item.builtin, item.seed, refresh=args.refresh)
                else:
                    length = probe(item.file).seconds
                    progress.start(index, item.label, length)
                    loud = cache.file_loudness(item.file, progress.update,
                                               refresh=args.refresh)
            except CompanionError as error:
                progress.close()
                print(f"companion: {error}", file=sys.stderr)
                failed += 1
                continue
            rows.append((item, loud))
    finally:
        progress.close()
    warnings = _warnings(rows, args.target)
    if args.json:
        print(json.dumps([_json_row(item, loud) for item, loud in rows], indent=2))
        for warning in warnings:
            print(f"companion: {warning}", file=sys.stderr)
    elif rows:
        print("\n".join(_table(rows, args.target) + warnings))
    return 1 if failed else 0
