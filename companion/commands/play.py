"""`companion play`: a headless preview of audio files or playlists, printing what plays.

The items play as one programme: each next item is queued in the engine while the one
before it plays, so the engine starts it on the exact frame where the crossfade must begin
(with a crossfade of 0, on the frame after the last one: a gapless, sample-exact join).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from companion.audio.levels import DEFAULT_VOLUME
from companion.audio.protocol import Ended, Failed, Started

if TYPE_CHECKING:
    from companion.audio.client import AudioEngine
    from companion.audio.loudness_cache import Levelling

NAME = "play"
HELP = "preview audio files or playlists without a screen, printing what plays"

PLAYLIST_SUFFIXES = (".yaml", ".yml")
ENDLESS_PREVIEW_S = 30.0  # a built-in soundscape with no length plays this long without --seconds
FILE_FADE_S = 1.0
FILE_CROSSFADE_S = 1.0  # between files named on the command line
MIN_PLAYLIST_FADE_S = 0.05  # a playlist track starting from silence never starts with a cut
POLL_S = 0.02

EPILOG = (
    "Consecutive tracks overlap by the crossfade: the next one fades in (equal power) as the "
    "current one fades out, ending as it ends. --crossfade 0 joins them gaplessly: no fade at "
    "the join, the next track starts on the sample after the last one. Only the first track "
    "fades in and only the last fades out. A crossfade never takes more than half of the "
    "shorter of the two tracks. With --seconds N each track plays at most N seconds, "
    "crossfades included (the next one begins CROSSFADE seconds before the N are up); a "
    "track cut short fades out over its own fade (at most N/3), so with --crossfade 0 the "
    "next begins where that fade ends: only tracks played to their end join sample-exactly."
)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds above 0")
    return value


def _crossfade(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds, 0 or more")
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
    """PATH..., --seconds, --crossfade, --audio, --volume, --no-normalise."""
    parser.epilog = EPILOG
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="audio files (WAV, MP3, FLAC, OGG) or playlists (.yaml), played in order")
    parser.add_argument("--seconds", type=_seconds, metavar="N",
                        help="play at most N seconds of each track (fading out at the end)")
    parser.add_argument("--crossfade", type=_crossfade, metavar="SECONDS",
                        help="seconds over which each track fades into the next; 0 joins them "
                             "gaplessly (default: a playlist's own crossfade, "
                             f"{FILE_CROSSFADE_S:g} s between files)")
    parser.add_argument("--audio", default="auto", metavar="BACKEND",
                        choices=("auto", "miniaudio", "simpleaudio", "none"),
                        help="audio output: auto (default), miniaudio, simpleaudio or none")
    parser.add_argument("--volume", type=_percent, metavar="PERCENT",
                        help="volume in percent (default: the playlist's, or 85 for files)")
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


@dataclass(frozen=True)
class Step:
    """How one item is sent to the engine: its length and fades, and its join with the previous."""

    seconds: float | None
    """Length to play (None: the file's own length, to the sample)."""
    fade_in: float
    """Fade-in when it starts from silence (the first item, or after one that could not play)."""
    join: float
    """Overlap with the item before it, which is also its fade-in then (0: gapless)."""
    fade_out: float
    """Its own fade at its end (0 when the next one joins it gaplessly)."""


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
            playback = playlist.playback
            # Heard as a session would play it: at the playlist's own target, or not levelled.
            levels_here = (Levelling(levels.cache, playback.loudness_target)
                           if levels is not None and playback.normalise else None)
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
                    gain, words = _level(levels_here, track.file, track.builtin, track.seed,
                                         track.gain_db)
                    items.append(Item(track.title, track.file, track.builtin, track.seed, seconds,
                                      gain, max(fade_in, MIN_PLAYLIST_FADE_S), fade_out, level,
                                      f"{playlist.name} / {phase.name}", words,
                                      float(playlist.playback.crossfade)))
        else:
            info = probe(path)  # a file named on the command line must play: fail before any sound
            gain, words = _level(levels, path.resolve(), None, 0, 0.0)
            items.append(Item(path.stem, path.resolve(), None, seconds=info.seconds, gain_db=gain,
                              volume=float(DEFAULT_VOLUME) if volume is None else volume, level=words))
    return items


def plan(items: list[Item], limit: float | None, crossfade: float | None) -> list[Step]:
    """Each item's length, fades and join (see EPILOG); `crossfade` overrides the items' own."""
    played: list[float | None] = []
    cut: list[bool] = []
    for item in items:
        length = item.seconds
        if length is None and item.builtin is not None and limit is None:
            length, cut_short = ENDLESS_PREVIEW_S, True  # an endless built-in: a taste of it
        elif limit is not None and (length is None or limit < length):
            length, cut_short = limit, True
        else:
            cut_short = False
        played.append(length)
        cut.append(cut_short)
    joins = [0.0]
    for before, after, item in zip(played, played[1:], items[1:]):
        join = item.crossfade if crossfade is None else crossfade
        shorter = min((s for s in (before, after) if s is not None), default=None)
        joins.append(min(join, shorter / 2) if shorter is not None else join)
    steps = []
    for index, item in enumerate(items):
        length = played[index]
        third = length / 3 if length is not None else math.inf
        gapless_next = index + 1 < len(items) and joins[index + 1] == 0
        fade_out = 0.0 if gapless_next and not cut[index] else min(item.fade_out, third)
        # Files not cut short play to their own last sample: a length in seconds could round it off.
        seconds = length if cut[index] or item.file is None else None
        steps.append(Step(seconds, min(item.fade_in, third), joins[index], fade_out))
    return steps


def run(args: argparse.Namespace) -> int:
    """Play the items as one programme; 0 when all played, 1 when some could not."""
    from companion.audio.client import AudioEngine

    items = _items(args.paths, args.volume, normalise=not args.no_normalise)
    steps = plan(items, args.seconds, args.crossfade)
    engine = AudioEngine()
    info = engine.start(args.audio)
    print(f"Audio: {info.backend} ({info.device})" + (f" - {info.reason}" if info.reason else ""))
    try:
        status = _Preview(engine, items, steps).run()
    except KeyboardInterrupt:
        engine.close(0.5)
        return 130
    engine.close(0.3)
    return status


class _Preview:
    """Sends the items to the engine one ahead of what plays, and prints each as it starts."""

    def __init__(self, engine: AudioEngine, items: list[Item], steps: list[Step]) -> None:
        self.engine = engine
        self.items = items
        self.steps = steps
        self.ids: dict[str, int] = {}
        self.started: set[int] = set()
        self.finished: set[int] = set()
        self.sounding: int | None = None  # the item heard now (until it ends)
        self.volume: float | None = None
        self.waiting_words: list[tuple[str, str]] = []  # (stdout, stderr) of skips not yet due
        self.status = 0

    def run(self) -> int:
        """Play everything to its end; the exit status."""
        self._send(0, queued=False)
        while len(self.finished) < len(self.items):
            for event in self.engine.poll_events():
                if isinstance(event, (Started, Failed, Ended)) and event.id in self.ids:
                    self._handle(event, self.ids[event.id])
            if not self.engine.alive:
                print("companion: the audio engine stopped", file=sys.stderr)
                return 1
            time.sleep(POLL_S)
        self._say_skips()
        return self.status

    def _send(self, index: int, *, queued: bool) -> None:
        """Play item `index` now (from silence) or after the one sounding (joined)."""
        if index >= len(self.items):
            return
        item, step = self.items[index], self.steps[index]
        source = dict(file=item.file, builtin=item.builtin, seed=item.seed, seconds=step.seconds,
                      gain_db=item.gain_db, fade_out=step.fade_out)
        if queued:
            play_id = self.engine.queue(**source, fade_in=step.join, overlap=step.join)
        else:
            self._set_volume(item.volume, 0.0)
            play_id = self.engine.play(**source, fade_in=step.fade_in)
        self.ids[play_id] = index

    def _set_volume(self, percent: float, ramp_s: float) -> None:
        if percent != self.volume:
            self.engine.set_volume(percent, ramp_s=ramp_s)
            self.volume = percent

    def _handle(self, event: Started | Failed | Ended, index: int) -> None:
        if isinstance(event, Started):
            self._say_skips()
            self.started.add(index)
            self.sounding = index
            self._set_volume(self.items[index].volume, max(self.steps[index].join, 0.05))
            item = self.items[index]
            where = f" [{item.where}]" if item.where else ""
            print(f"Playing {index + 1}/{len(self.items)}: {item.describe()}{where}{item.level}",
                  flush=True)
            self._send(index + 1, queued=True)
        elif isinstance(event, Failed):
            self.status = 1
            item = self.items[index]
            name = item.file if item.file is not None else item.builtin
            problem = f"companion: {name}: {event.reason} (skipped)"
            if index in self.started:  # it broke while playing; the engine plays on after it
                print(problem, file=sys.stderr, flush=True)
                return
            # It never played: the next one takes its place, and the skip is told in its turn.
            self.finished.add(index)
            where = f" [{item.where}]" if item.where else ""
            self.waiting_words.append(
                (f"Playing {index + 1}/{len(self.items)}: {item.describe()}{where}", problem))
            nothing_sounds = self.sounding is None
            if nothing_sounds:
                self._say_skips()
            self._send(index + 1, queued=not nothing_sounds)
        else:
            self.finished.add(index)
            if self.sounding == index:
                self.sounding = None
                self._say_skips()

    def _say_skips(self) -> None:
        """Report the items that could not play, in their turn (after what played before them)."""
        for line, problem in self.waiting_words:
            print(line, flush=True)
            print(problem, file=sys.stderr, flush=True)
        self.waiting_words.clear()
