"""`companion play`: a headless preview of audio files or playlists, printing what plays.

The items play as one programme: each next item is queued in the engine while the one
before it plays, so the engine starts it on the exact frame where the crossfade must begin
(with a crossfade of 0, on the frame after the last one: a gapless, sample-exact join).
"""

from __future__ import annotations

import argparse

from companion.commands.options import add_audio_option, number_type
from companion.commands.play_items import FILE_CROSSFADE_S

NAME = "play"
HELP = "preview audio files or playlists without a screen, printing what plays"

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


_seconds = number_type(float, "a number of seconds", "a number of seconds above 0", above=0)
_crossfade = number_type(float, "a number of seconds", "a number of seconds, 0 or more",
                         at_least=0)
_percent = number_type(float, "a percentage", "a volume from 0 to 100", at_least=0, at_most=100)


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
    add_audio_option(parser)
    parser.add_argument("--volume", type=_percent, metavar="PERCENT",
                        help="volume in percent (default: the playlist's, or 85 for files)")
    parser.add_argument("--no-normalise", action="store_true",
                        help="play each track at its own level, not brought to the same loudness")


def run(args: argparse.Namespace) -> int:
    """Play the items as one programme; 0 when all played, 1 when some could not."""
    from companion.audio.client import AudioEngine
    from companion.commands.play_items import collect_items
    from companion.commands.play_plan import plan
    from companion.commands.play_preview import Preview

    items = collect_items(args.paths, args.volume, normalise=not args.no_normalise)
    steps = plan(items, args.seconds, args.crossfade)
    engine = AudioEngine()
    info = engine.start(args.audio)
    print(f"Audio: {info.backend} ({info.device})" + (f" - {info.reason}" if info.reason else ""))
    try:
        status = Preview(engine, items, steps).run()
    except KeyboardInterrupt:
        engine.close(0.5)
        return 130
    engine.close(0.3)
    return status
