"""`companion breathe`: a breathing pacer on its own, full screen; `--list` prints the patterns."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from companion.commands.options import add_audio_option, number_type

if TYPE_CHECKING:
    from companion.audio.client import AudioEngine
    from companion.breathing import Pattern
    from companion.commands.breathe_sounds import CueSounds, EngineGuide
    from companion.playlist.model import Playlist
    from companion.breathing import PacerGuide
    from companion.wording import Wording

GuideMaker = Callable[["Pattern"], Callable[["AudioEngine"], "PacerGuide"]]
"""Makes, for the chosen pattern, what builds its guide once the engine is up."""

NAME = "breathe"
HELP = "breathe with a paced pattern on its own (box, 4-7-8, resonance, ...); --list shows them"

_cycles = number_type(int, "a whole number", "at least 1", at_least=1)
_minutes = number_type(float, "a number", "a number above 0", above=0)


DESCRIPTION = """\
Breathe slowly with a calm pacer: a circle grows as you breathe in and shrinks
as you breathe out, with the words and a count.

  companion breathe            choose a pattern; not sure? the suggested one is
                               highlighted: just press Enter
  companion breathe --list     every pattern with its timings

  Space pauses. Esc stops gently; Esc again (or Enter) closes."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """PATTERN, --cycles | --minutes, --list, --no-sound, --sound, --reduced-motion, --rate,
    --lang; advanced: --playlist, --voice, --audio."""
    # A client reads this first: what it is, how to stop; the clinician's options come last.
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("pattern", nargs="?", metavar="PATTERN",
                        help="a pattern name (see --list); without it, a picker opens")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--cycles", type=_cycles, metavar="N",
                        help="breathe N cycles (default: the pattern's own length)")
    length.add_argument("--minutes", type=_minutes, metavar="M",
                        help="breathe about M minutes (rounded to whole cycles)")
    parser.add_argument("--list", action="store_true",
                        help="list the patterns with their timings and exit")
    parser.add_argument("--no-sound", action="store_true", help="no cue sounds")
    parser.add_argument("--sound", choices=("cues", "breath"), default="cues",
                        help="cues: a soft bell or chime as each breath begins (default); "
                        "breath: a soft sound that swells as you breathe in and ebbs as you "
                        "breathe out, in step with the pacer")
    parser.add_argument("--reduced-motion", action="store_true",
                        help="no moving circle: only the words and the count")
    parser.add_argument("--rate", action="store_true",
                        help="ask how distressed you feel (0-10) before and after")
    parser.add_argument("--lang", metavar="LANG",
                        help="language of the words (default: the playlist's, else en; "
                        "es is bundled)")
    advanced = parser.add_argument_group("advanced", "usually set up with your clinician")
    advanced.add_argument("--playlist", metavar="FILE",
                          help="also offer this playlist's own patterns, in its language, "
                          "with its wording and cue sounds")
    advanced.add_argument("--voice", metavar="PACK",
                          help="speak each step in a recorded voice (a folder made with "
                          "`companion voice record`; default: the playlist's `voice:`); "
                          "lines not recorded stay on screen only")
    add_audio_option(advanced, purpose=" for cue sounds")


def _guide_makers(args: argparse.Namespace, wording: Wording,
                  playlist: Playlist | None) -> list[GuideMaker]:
    """Factories (pattern -> engine -> guide) for the voice pack and the breath sound."""
    makers: list[GuideMaker] = []
    voice = args.voice or (playlist.voice if playlist is not None else None)
    if voice:
        from companion.voice import Speaker, VoiceGuide, VoicePack, VoicePackError

        try:
            pack = VoicePack.open(voice)
        except VoicePackError as error:
            if args.voice:
                raise
            print(f"companion: breathing without the playlist's voice: {error}", file=sys.stderr)
        else:
            makers.append(lambda pattern: lambda engine: VoiceGuide(Speaker(engine, pack),
                                                                    pattern, wording))
    if args.sound == "breath":
        from companion.audio.breath_sound import BreathSoundGuide
        from companion.paths import cache_dir

        makers.append(lambda pattern: lambda engine: BreathSoundGuide(engine, pattern,
                                                                      cache_dir() / "breath"))
    return makers


def run(args: argparse.Namespace) -> int:
    """List the patterns, or run the pacer until it ends or is stopped."""
    from companion.breathing import all_patterns, find_pattern
    from companion.wording import Wording

    playlist = None
    if args.playlist:
        from companion.playlist.loader import load_playlist

        playlist = load_playlist(args.playlist)
    wording = Wording.for_playlist(playlist, args.lang) if playlist else Wording(args.lang or "en")
    custom = playlist.breathing if playlist else ()
    patterns = all_patterns(custom, wording)
    if args.list:
        _print_patterns(patterns, wording)
        return 0
    pattern = find_pattern(args.pattern, custom, wording) if args.pattern else None

    from companion.config import load_config
    from companion.ui.breathe_app import make_breathe_app

    config = load_config()
    cues, guides = _sounds(args, wording, playlist)
    app = make_breathe_app(patterns, pattern, cycles=args.cycles, minutes=args.minutes,
                           reduced_motion=args.reduced_motion or config.reduced_motion,
                           ask_distress=args.rate, wording=wording, cue=cues, guides=guides)
    try:
        app.run()
    finally:
        if cues is not None:
            cues.close()
    if cues is not None and cues.problem:
        print(f"companion: breathed without cue sounds: {cues.problem}", file=sys.stderr)
    return 0


def _print_patterns(patterns: Sequence[Pattern], wording: Wording) -> None:
    """`--list`: every pattern with its timings, length and title."""
    from companion.breathing import timing_text
    from companion.ui.screens.breathing import pattern_length

    print(wording.get("breathing.ui.list_header"))
    width = max(len(p.name) for p in patterns)
    for pattern in patterns:
        print(f"  {pattern.name:<{width}}  {timing_text(pattern, wording)}"
              f"  ({pattern_length(pattern, wording)})  {pattern.title}")


def _sounds(args: argparse.Namespace, wording: Wording, playlist: Playlist | None
            ) -> tuple[CueSounds | None, Callable[[Pattern], list[EngineGuide]] | None]:
    """The cue sounds (None with no sound at all) and the guides for the chosen pattern."""
    from companion.audio.loudness_cache import Levelling
    from companion.breathing import WithdrawCues
    from companion.commands.breathe_sounds import CueSounds

    makers = _guide_makers(args, wording, playlist)
    if args.no_sound and not makers:
        return None, None
    levelling = Levelling.for_playlist(playlist) if playlist is not None else Levelling()
    cues = CueSounds(args.audio, playlist.cues if playlist else None,
                     chimes=not args.no_sound and args.sound == "cues", levelling=levelling)
    # Withdrawing first: a pause takes back the cue sent ahead, not the closing line said after.
    return cues, lambda chosen: ([cues.guide(WithdrawCues)]
                                 + [cues.guide(make(chosen)) for make in makers])
