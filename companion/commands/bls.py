"""`companion bls`: bilateral stimulation (EMDR) sets on their own, or one set headless for checking."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from companion.commands.options import add_audio_option, number_type

if TYPE_CHECKING:
    from companion.bilateral import Preset

NAME = "bls"
HELP = ("bilateral stimulation: left-right sound in sets, for clinicians trained in EMDR "
        "(--headless plays one set and prints each pass)")
DESCRIPTION = """\
Bilateral stimulation (BLS) is for clinicians trained in EMDR, who use it within that
method; it is not a treatment on its own. A soft sound alternates between the ears, in
sets you start and stop (space in the panel). Use headphones, and check left and right
first (key l in the panel).

Speed is in cycles per second: one cycle is left then right, so 1.0 cycles/s is
2.0 passes/s. Presets: processing (tones, 1.0 cycles/s, 24 passes), resource (soft,
0.5 cycles/s, 6 passes), and those in a playlist's `bilateral:` section (--playlist).
"""
HEADLESS_MUSIC = "warm-pad"  # what `--sound music` sways when nothing else plays


_speed = number_type(float, "a number of cycles per second",
                     "a speed from 0.2 to 2.0 cycles/s", at_least=0.2, at_most=2.0)
_passes = number_type(int, "a whole number of passes", "1 to 1000 passes",
                      at_least=1, at_most=1000)
_seconds = number_type(float, "a number of seconds",
                       "a number of seconds above 0 (at most 3600)", above=0, at_most=3600)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """PRESET, --speed, --passes | --seconds, --sound, --pan, --headless, --audio, --playlist, --list."""
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("preset", nargs="?", metavar="PRESET",
                        help="a preset (processing, resource, or the playlist's own); "
                        "default: processing")
    parser.add_argument("--speed", type=_speed, metavar="HZ",
                        help="cycles per second, 0.2-2.0 (one cycle = left then right)")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--passes", type=_passes, metavar="N", help="passes per set")
    length.add_argument("--seconds", type=_seconds, metavar="S", help="seconds per set")
    parser.add_argument("--sound", metavar="tone|click|music|FILE",
                        help="a soft tone, a soft click, the music swayed between the ears, "
                        "or your own short sample file")
    parser.add_argument("--pan", choices=("hard", "smooth"),
                        help="hard: each pass in one ear; smooth: the sound glides between them")
    parser.add_argument("--headless", action="store_true",
                        help="play one set, print each pass as it sounds, and exit")
    add_audio_option(parser)
    parser.add_argument("--playlist", metavar="FILE", help="also offer this playlist's presets")
    parser.add_argument("--list", action="store_true", help="list the presets and exit")
    parser.add_argument("--reduced-motion", action="store_true",
                        help="no moving marker: the side as words only")


def _presets(args: argparse.Namespace) -> tuple[Preset, ...]:
    from companion.bilateral import all_presets, from_playlist

    custom: tuple = ()
    if args.playlist:
        from companion.playlist.loader import load_playlist

        custom = from_playlist(getattr(load_playlist(args.playlist), "bilateral", ()))
    return all_presets(custom)


def _sound(text: str | None) -> str | None:
    """tone, click, music, or an existing file (UsageError for anything else)."""
    from pathlib import Path

    from companion.bilateral import SOUNDS
    from companion.errors import UsageError

    if text is None or text in SOUNDS:
        return text
    path = Path(text).expanduser()
    if not path.is_file():
        raise UsageError(f"--sound {text!r}: give tone, click, music or an audio file that exists")
    return str(path.resolve())


def run(args: argparse.Namespace) -> int:
    """List presets, play one set headless, or open the BLS panel."""
    from companion.bilateral import customised, find_preset

    presets = _presets(args)
    if args.list:
        width = max(len(p.name) for p in presets)
        for preset in presets:
            print(f"  {preset.name:<{width}}  {preset.describe()}")
        return 0
    preset = find_preset(args.preset, presets) if args.preset else presets[0]
    preset = customised(preset, speed=args.speed, passes=args.passes, seconds=args.seconds,
                        sound=_sound(args.sound), pan=args.pan)
    if args.headless:
        return _headless(preset, args.audio)
    return _panel(preset, presets, args)


def _headless(preset: Preset, output: str) -> int:
    """One set: print each pass when it is heard, then how it ended."""
    from companion.audio.client import AudioEngine
    from companion.bilateral import BilateralSession, EngineAudio, speed_text

    engine = AudioEngine()
    info = engine.start(output)
    print(f"Audio: {info.backend} ({info.device})" + (f" - {info.reason}" if info.reason else ""))
    print(f"BLS {preset.label}: {preset.describe()}", flush=True)
    engine.set_volume(100, ramp_s=0.0)
    if preset.sound == "music":
        engine.play(builtin=HEADLESS_MUSIC, fade_in=0.5)
    session = BilateralSession(EngineAudio(engine), clock=time.monotonic, presets=(preset,))
    state = session.start()
    assert state is not None
    shown = 0
    try:
        while state.running:
            session.poll()
            while shown < state.passes:
                shown += 1
                t = state.onset_seconds()
                total = f"/{preset.passes}" if preset.passes else ""
                print(f"pass {shown}{total} {state.side.upper():<5} {t:7.3f} s", flush=True)
            if session.problem:
                print(f"companion: {session.problem}", file=sys.stderr)
                engine.close(0.2)
                return 1
            if not engine.alive:
                print("companion: the audio engine stopped", file=sys.stderr)
                return 1
            time.sleep(0.005)
    except KeyboardInterrupt:
        session.stop()
        time.sleep(0.2)
        session.poll()
    how = "stopped early" if state.stopped_early else "ended"
    print(f"Set {how}: {state.passes} passes in {state.seconds(state.ended_at or 0):.2f} s "
          f"at {speed_text(state.speed)}", flush=True)
    engine.close(0.3 if preset.sound == "music" else 0.05)
    return 0


def _panel(preset: Preset, presets: tuple[Preset, ...], args: argparse.Namespace) -> int:
    """The BLS panel full screen; afterwards, one line per set."""
    from companion.audio.client import AudioEngine
    from companion.bilateral import EngineAudio, speed_text
    from companion.config import load_config
    from companion.ui.bls_app import make_bls_app

    config = load_config()
    engine = AudioEngine()
    info = engine.start(args.audio)
    if info.reason:
        print(f"companion: {info.reason}", file=sys.stderr)
    engine.set_volume(100, ramp_s=0.0)
    if preset.sound == "music":  # something to sway when no session plays music
        engine.play(builtin=HEADLESS_MUSIC, fade_in=3.0)
    app = make_bls_app(preset, presets, EngineAudio(engine),
                       reduced_motion=args.reduced_motion or config.reduced_motion)
    try:
        sets = app.run() or []
    finally:
        engine.close(1.0)
    for state in sets:
        how = "stopped early" if state.stopped_early else "ended"
        sud = "" if state.sud_before is None and state.sud_after is None else \
            f", SUD {state.sud_before if state.sud_before is not None else '-'} -> " \
            f"{state.sud_after if state.sud_after is not None else '-'}"
        print(f"Set {state.number} ({state.preset.label}): {state.passes} passes, "
              f"{state.seconds(state.ended_at or 0):.1f} s at {speed_text(state.speed)}, {how}{sud}")
    if app.problem:
        print(f"companion: {app.problem}", file=sys.stderr)
    return 0
