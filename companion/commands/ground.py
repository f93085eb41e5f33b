"""`companion ground`: the 5-4-3-2-1 grounding exercise alone, with an optional private journal."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from companion.commands.options import add_audio_option

if TYPE_CHECKING:
    from companion.wording import Wording

NAME = "ground"
HELP = "the 5-4-3-2-1 grounding exercise, alone: large calm text, one step at a time"


DESCRIPTION = """\
The 5-4-3-2-1 grounding exercise, for a moment when you feel anxious: five
things you can see, four you can hear, three you can feel, two you can smell,
one you can taste. Large calm text, one step at a time, nothing else on screen.

  Type what you notice and press Enter (Enter alone counts too).
  Up goes back a step, Down moves on, Ctrl+R repeats a step.
  To stop at any time, press Esc twice.

Nothing is stored unless you add --journal."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--journal`, `--no-rating`, `--lang CODE`; advanced: `--playlist PATH`, `--voice PACK`,
    `--pause S`, `--audio`."""
    # A client reads this first: what it is, how to stop; the clinician's options come last.
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--journal", action="store_true",
                        help="keep what you write and your ratings in your private journal "
                        "(readable by you alone; without this flag nothing is stored)")
    parser.add_argument("--no-rating", action="store_true",
                        help="do not ask how distressed you feel (0-10) before and after")
    parser.add_argument("--lang", metavar="CODE",
                        help="language of the words, e.g. en or es (default: the playlist's "
                        "language, else en)")
    advanced = parser.add_argument_group("advanced", "usually set up with your clinician")
    advanced.add_argument("--playlist", metavar="PATH",
                          help="use this playlist's language and its `wording:` lines")
    advanced.add_argument("--voice", metavar="PACK",
                          help="speak each step in a recorded voice (`companion voice record`; "
                          "default: the playlist's `voice:`), for eyes closed: any key counts "
                          "one thing noticed")
    advanced.add_argument("--pause", type=float, default=None, metavar="S",
                          help="with --voice: move on after S seconds without a key "
                          "(default 30)")
    add_audio_option(advanced, purpose=" for the voice")


class Voice:
    """Says grounding lines from a voice pack through the audio engine (started in the background)."""

    def __init__(self, pack_path: str, output: str) -> None:
        from companion.audio.background import BackgroundEngine
        from companion.voice import Speaker, VoicePack

        pack = VoicePack.open(pack_path)  # before the engine: a pack that cannot open starts nothing
        self.background = BackgroundEngine(output, name="grounding-voice")
        self.speaker = Speaker(self.background.engine, pack)

    @property
    def problem(self) -> str | None:
        """Why the voice cannot be heard, in words (None while starting or sounding)."""
        return self.background.problem

    def __call__(self, key: str, text: str) -> bool:
        """Say `key` now if it was recorded from `text`; False when it cannot be heard."""
        if self.background.ready.is_set():
            return self.background.sounding and self.speaker.say(key, text=text)
        # The opening comes as the screen opens, before the engine is up: say it once it is.
        self.background.when_sounding(lambda: self.speaker.say(key, text=text),
                                      name="voice-later")
        return True

    def close(self) -> None:
        """Let the last words finish fading, then end the engine."""
        self.background.close(fade_s=1.0)


def run(args: argparse.Namespace) -> int:
    """Run the exercise full screen; with `--journal`, append what was noticed to the journal."""
    from companion.errors import UsageError
    from companion.wording import Wording, languages

    lang, overrides, voice_path = args.lang, {}, args.voice
    if args.playlist:
        from companion.playlist.loader import load_playlist

        playlist = load_playlist(args.playlist)
        lang = lang or playlist.language
        overrides = dict(playlist.wording)
        if voice_path is None and playlist.voice is not None:
            from companion.voice import VoicePack, VoicePackError

            try:
                VoicePack.open(playlist.voice)
                voice_path = str(playlist.voice)
            except VoicePackError as error:
                import sys

                print(f"companion: grounding without the playlist's voice: {error}",
                      file=sys.stderr)
    wording = Wording(lang or "en", overrides)
    if not wording.known:
        raise UsageError(f"there is no wording for language {lang!r}; "
                         f"choose one of: {', '.join(languages())}")

    from companion.ui.ground_app import make_ground_app

    voice = Voice(voice_path, args.audio) if voice_path else None
    try:
        summary = make_ground_app(wording, ratings=not args.no_rating,
                                  speak=voice, pause_s=args.pause).run()
    finally:
        if voice is not None:
            voice.close()
    if voice is not None and voice.problem:
        import sys

        print(f"companion: grounded without the voice: {voice.problem}", file=sys.stderr)
    import shutil
    import textwrap

    # Wrapped between words: a terminal would cut them mid-word at its edge.
    width = min(shutil.get_terminal_size().columns, 100) - 1
    for line in closing_lines(wording, summary, keep=args.journal):
        print(textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False))
    return 0


def closing_lines(wording: Wording, summary: dict[str, Any] | None, *, keep: bool) -> list[str]:
    """What `companion ground` says as it ends: a kind word, then what was kept and where.

    With `keep` (and an exercise begun), the summary goes into the journal first.
    """
    lines = [wording.get("grounding.journal.farewell")]
    if keep and summary is not None:
        from companion.journal import append_entry, journal_path

        append_entry("grounding", summary)
        lines.append(wording.get("grounding.journal.saved",
                                 what=wording.get(f"grounding.journal.kept.{_kept(summary)}")))
        lines.append(wording.get("grounding.journal.where", path=journal_path()))
        return lines
    lines.append(wording.get("grounding.journal.not_saved"))
    if summary is not None:
        lines.append(wording.get("grounding.journal.how_to_keep"))
    return lines


def _kept(summary: dict[str, Any]) -> str:
    """Which `grounding.journal.kept.*` line says what a journal entry holds."""
    words = bool(summary.get("words"))
    ratings = summary.get("rating_before") is not None or summary.get("rating_after") is not None
    return {(True, True): "words_and_ratings", (True, False): "words",
            (False, True): "ratings", (False, False): "steps"}[words, ratings]
