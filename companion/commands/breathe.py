"""`companion breathe`: a breathing pacer on its own, full screen; `--list` prints the patterns."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.audio.loudness_cache import Levelling

NAME = "breathe"
HELP = "breathe with a paced pattern on its own (box, 4-7-8, resonance, ...); --list shows them"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give at least 1")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: give a number above 0")
    return value


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
    length.add_argument("--cycles", type=_positive_int, metavar="N",
                        help="breathe N cycles (default: the pattern's own length)")
    length.add_argument("--minutes", type=_positive_float, metavar="M",
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
    advanced.add_argument("--audio", default="auto", metavar="BACKEND",
                          choices=("auto", "miniaudio", "simpleaudio", "none"),
                          help="audio output for cue sounds: auto (default), miniaudio, "
                          "simpleaudio or none")


class CueSounds:
    """Soft cue sounds through the audio engine, started in the background (the screen opens at once).

    By default a breath in rings a soft bell, a breath out a lighter chime, the end a low
    bowl; holds stay silent (a sound every four seconds in box breathing would crowd the
    quiet). A playlist's `cues` replace these per role. Each is levelled as in a session
    (`levelling`: the playlist's, or -18 LUFS; None plays each at its own gain).
    """

    #: Each sound's level in LU against the loudness target: as they were chosen by ear before
    #: levelling (the chime measures louder than the bell, though it sounds lighter).
    SOUNDS = {"inhale": ("soft-bell", -10.2), "exhale": ("chime", -7.9), "end": ("bowl", -7.7)}

    def __init__(self, output: str, cues: Mapping[str, Any] | None = None, *,
                 chimes: bool = True, levelling: Levelling | None = None) -> None:
        import threading

        from companion.audio.client import AudioEngine

        self.output = output
        self.cues = dict(cues or {})
        self.chimes = chimes
        self.levelling = levelling
        self.engine = AudioEngine()
        self.info = None
        self.problem: str | None = None
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._start, name="cue-sounds", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        from companion.errors import AudioError

        try:
            self.info = self.engine.start(self.output)
        except AudioError as error:
            self.problem = str(error)
            return
        except Exception as error:  # e.g. the OS refusing the engine's process: breathe on in silence
            self.problem = f"the audio engine could not start ({error!r})"
            return
        finally:
            self.ready.set()
        if self.info.backend == "none":
            self.problem = self.info.reason or "no audio output"

    @property
    def sounding(self) -> bool:
        """True once the engine plays to a real output."""
        return self.info is not None and self.info.backend != "none"

    def __call__(self, role: str, at: float) -> None:
        if not self.chimes or not self.sounding:
            return  # not started yet (the opening lead-in covers start-up), or silent
        track = self.cues.get(role)
        if track is not None:
            self.engine.cue(file=track.file, builtin=track.builtin, seed=track.seed,
                            gain_db=self._gain_db(track.file, track.builtin, track.seed,
                                                  track.gain_db), at=at)
        elif role in self.SOUNDS:
            builtin, gain_db = self.SOUNDS[role]
            self.engine.cue(builtin=builtin, gain_db=self._gain_db(None, builtin, 0, gain_db), at=at)

    def _gain_db(self, file: Any, builtin: str | None, seed: int, gain_db: float) -> float:
        if self.levelling is None:
            return gain_db
        return self.levelling.decision(file, builtin, seed, gain_db).gain_db

    def guide(self, make: Any) -> "EngineGuide":
        """A pacer guide built by `make(engine)` once the engine is up (see EngineGuide)."""
        return EngineGuide(self, make)

    def close(self) -> None:
        """Let the last cue fade and end the engine."""
        self._thread.join()
        if self.info is not None:  # a failed start has already ended the engine's process
            self.engine.close(fade_s=1.5)


class EngineGuide:
    """Hands pacer moments to a guide (voice, breath sound) once the engine has started.

    The engine starts in the background while the lead-in runs; a start that comes before
    it is ready is passed on as soon as it is, so the sound still begins on its moment.
    """

    def __init__(self, sounds: CueSounds, make: Any) -> None:
        self.sounds = sounds
        self.make = make
        self.inner: Any = None
        self._pending: Any = None

    def _guide(self) -> Any:
        if self.inner is None and self.sounds.sounding:
            self.inner = self.make(self.sounds.engine)
        return self.inner

    def started(self, pacer: Any) -> None:
        guide = self._guide()
        if guide is not None:
            guide.started(pacer)
            return
        import threading

        def later() -> None:
            if self.sounds.ready.wait(15.0) and self._guide() is not None and not pacer.finished:
                self.inner.started(pacer)

        threading.Thread(target=later, name="guide-start", daemon=True).start()

    def step(self, pacer: Any, index: int, at: float) -> None:
        if (guide := self._guide()) is not None:
            guide.step(pacer, index, at)

    def paused(self, pacer: Any) -> None:
        if (guide := self._guide()) is not None:
            guide.paused(pacer)

    def resumed(self, pacer: Any) -> None:
        if (guide := self._guide()) is not None:
            guide.resumed(pacer)

    def stopped(self, pacer: Any) -> None:
        if (guide := self._guide()) is not None:
            guide.stopped(pacer)


def _guide_makers(args: argparse.Namespace, wording: Any, playlist: Any) -> list[Any]:
    """Factories (pattern -> engine -> guide) for the voice pack and the breath sound."""
    makers = []
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
    from companion.breathing import WithdrawCues, all_patterns, find_pattern, timing_text
    from companion.wording import Wording

    playlist = None
    if args.playlist:
        from companion.playlist.loader import load_playlist

        playlist = load_playlist(args.playlist)
    wording = Wording.for_playlist(playlist, args.lang) if playlist else Wording(args.lang or "en")
    custom = playlist.breathing if playlist else ()
    patterns = all_patterns(custom, wording)
    if args.list:
        from companion.ui.screens.breathing import pattern_length

        print(wording.get("breathing.ui.list_header"))
        width = max(len(p.name) for p in patterns)
        for pattern in patterns:
            print(f"  {pattern.name:<{width}}  {timing_text(pattern, wording)}"
                  f"  ({pattern_length(pattern, wording)})  {pattern.title}")
        return 0
    pattern = find_pattern(args.pattern, custom, wording) if args.pattern else None

    from companion.config import load_config
    from companion.ui.breathe_app import make_breathe_app

    config = load_config()
    makers = _guide_makers(args, wording, playlist)
    sound = not args.no_sound or makers
    from companion.audio.loudness_cache import Levelling

    levelling = Levelling.for_playlist(playlist) if playlist is not None else Levelling()
    cues = CueSounds(args.audio, playlist.cues if playlist else None,
                     chimes=not args.no_sound and args.sound == "cues",
                     levelling=levelling) if sound else None
    # Withdrawing first: a pause takes back the cue sent ahead, not the closing line said after.
    guides = (lambda chosen: [cues.guide(WithdrawCues)]
              + [cues.guide(make(chosen)) for make in makers]) if cues is not None else None
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
