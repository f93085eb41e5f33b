"""`companion play`: a headless preview of audio files or playlists, printing what plays."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.audio.loudness_cache import Levelling

NAME = "play"
HELP = "preview audio files or playlists without a screen, printing what plays"

PLAYLIST_SUFFIXES = (".yaml", ".yml")
ENDLESS_PREVIEW_S = 30.0  # a built-in soundscape with no length plays this long without --seconds
FILE_FADE_S = 1.0


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds above 0")
    return value


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r}: give a volume from 0 to 100")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """PATH..., --seconds, --audio, --volume, --no-normalise."""
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="audio files (WAV, MP3, FLAC, OGG) or playlists (.yaml), played in order")
    parser.add_argument("--seconds", type=_seconds, metavar="N",
                        help="play at most N seconds of each track (fading out at the end)")
    parser.add_argument("--audio", default="auto", metavar="BACKEND",
                        choices=("auto", "miniaudio", "simpleaudio", "none"),
                        help="audio output: auto (default), miniaudio, simpleaudio or none")
    parser.add_argument("--volume", type=_percent, metavar="PERCENT",
                        help="volume in percent (default: the playlist's, or 50 for files)")
    parser.add_argument("--no-normalise", action="store_true",
                        help="play each track at its own level, not brought to the same loudness")


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
    volume: float = 50.0
    where: str = ""
    level: str = ""
    """How the listing states the gain (" at -9.0 dB"); empty without normalisation."""

    def describe(self) -> str:
        """`Title (file.flac, 3:21)` for the listing."""
        source = self.file.name if self.file is not None else f"built-in {self.builtin}"
        length = _clock(self.seconds) if self.seconds else "endless" if self.builtin else "?"
        return f"{self.title} ({source}, {length})"


def _clock(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


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


def _items(paths: list[str], volume: float | None, normalise: bool = True) -> list[Item]:
    """What to play, in order; raises AudioError / PlaylistError for a path that cannot play."""
    from companion.audio.decode import probe
    from companion.audio.loudness_cache import Levelling
    from companion.errors import AudioError
    from companion.playlist.loader import load_playlist

    levels = Levelling() if normalise else None
    items: list[Item] = []
    for text in paths:
        path = Path(text)
        if path.suffix.lower() in PLAYLIST_SUFFIXES:
            playlist = load_playlist(path)
            level = min(playlist.playback.ceiling, volume if volume is not None else playlist.playback.volume)
            for phase in playlist.phases:
                for track in phase.tracks:
                    fade_in = playlist.playback.fade_in if track.fade_in is None else track.fade_in
                    fade_out = playlist.playback.fade_out if track.fade_out is None else track.fade_out
                    seconds = track.seconds
                    if track.file is not None:
                        try:
                            seconds = seconds or probe(track.file).seconds
                        except AudioError:
                            pass  # reported when it fails to play; the preview goes on
                    gain, words = _level(levels, track.file, track.builtin, track.seed, track.gain_db)
                    items.append(Item(track.title, track.file, track.builtin, track.seed, seconds,
                                      gain, max(fade_in, 0.05), fade_out, level,
                                      f"{playlist.name} / {phase.name}", words))
        else:
            info = probe(path)  # a file named on the command line must play: fail before any sound
            gain, words = _level(levels, path.resolve(), None, 0, 0.0)
            items.append(Item(path.stem, path.resolve(), None, seconds=info.seconds, gain_db=gain,
                              volume=50.0 if volume is None else volume, level=words))
    return items


def run(args: argparse.Namespace) -> int:
    """Play each item in turn; 0 when all played, 1 when some could not."""
    from companion.audio.client import AudioEngine

    items = _items(args.paths, args.volume, normalise=not args.no_normalise)
    engine = AudioEngine()
    info = engine.start(args.audio)
    print(f"Audio: {info.backend} ({info.device})" + (f" - {info.reason}" if info.reason else ""))
    status = 0
    try:
        for number, item in enumerate(items, 1):
            if not _play(engine, item, number, len(items), args.seconds):
                status = 1
    except KeyboardInterrupt:
        engine.close(0.5)
        return 130
    engine.close(0.3)
    return status


def _play(engine, item: Item, number: int, total: int, limit: float | None) -> bool:
    """Play one item to its end (or `limit` seconds); False when it could not play."""
    where = f" [{item.where}]" if item.where else ""
    print(f"Playing {number}/{total}: {item.describe()}{where}{item.level}", flush=True)
    length = item.seconds
    if length is None and item.builtin is not None and limit is None:
        limit = ENDLESS_PREVIEW_S
    stop_after = min(x for x in (limit, length) if x is not None) if (limit or length) else None
    fade_out = min(item.fade_out, (stop_after or item.fade_out) / 3)
    engine.set_volume(item.volume, ramp_s=0.0)
    play_id = engine.play(file=item.file, builtin=item.builtin, seed=item.seed, seconds=item.seconds,
                          gain_db=item.gain_db, fade_in=min(item.fade_in, (stop_after or 9e9) / 3),
                          fade_out=fade_out)
    started_at: float | None = None
    stopping = False
    while True:
        for event in engine.poll_events():
            if event.fields.get("id") != play_id:
                continue
            if event.kind == "started":
                started_at = time.monotonic()
            elif event.kind == "failed":
                name = item.file if item.file is not None else item.builtin
                print(f"companion: {name}: {event.fields.get('reason')} (skipped)", file=sys.stderr)
                return False
            elif event.kind == "ended":
                return True
        if not engine.alive:
            print("companion: the audio engine stopped", file=sys.stderr)
            return False
        if (started_at is not None and not stopping and limit is not None
                and time.monotonic() - started_at >= limit - fade_out):
            engine.stop(fade_s=fade_out)
            stopping = True
        time.sleep(0.02)
