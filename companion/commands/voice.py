"""`companion voice`: record a voice pack line by line (`record`), or list what it lacks (`check`)."""

from __future__ import annotations

import argparse

from companion.commands.options import add_audio_option

NAME = "voice"
HELP = "record the prompts in your own voice (voice record PACK), or check a pack (voice check PACK)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """record|check PACK, --only, --playlist, --lang, --format, --loudness, --audio, --max-seconds."""
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    record = sub.add_parser("record", help="record the lines still missing from a pack "
                            "(resumes a half-recorded one)")
    check = sub.add_parser("check", help="list lines still missing and takes much longer "
                           "than their step")
    for p in (record, check):
        p.add_argument("pack", metavar="PACK", help="the voice pack's folder")
        p.add_argument("--only", metavar="GROUP",
                       help="only these lines: breathing, grounding, harbour, checkin, "
                       "or a key prefix such as breathing.patterns.box")
        p.add_argument("--playlist", metavar="FILE",
                       help="also the playlist's own patterns, harbour words and check-ins, "
                       "in its language and wording")
        p.add_argument("--lang", metavar="LANG", help="language of the lines (default: the "
                       "pack's, else the playlist's, else en)")
    record.add_argument("--format", choices=("wav", "flac"), default=None,
                        help="file format of new takes for a new pack (default wav)")
    record.add_argument("--loudness", type=float, metavar="LUFS", default=None,
                        help="loudness a new pack's takes are levelled to (default -20)")
    add_audio_option(record, help="audio output for playing takes back")
    record.add_argument("--max-seconds", type=float, default=60.0, metavar="S",
                        help="longest take (recording stops by itself)")


def _prompts(args: argparse.Namespace, pack_language: str | None):
    from companion.voice import prompts, select
    from companion.wording import Wording

    playlist = None
    if args.playlist:
        from companion.playlist.loader import load_playlist

        playlist = load_playlist(args.playlist)
    lang = args.lang or pack_language or (playlist.language if playlist else None) or "en"
    wording = Wording.for_playlist(playlist, lang) if playlist else Wording(lang)
    return select(prompts(wording, playlist=playlist), args.only), lang


def run(args: argparse.Namespace) -> int:
    """Record into the pack, or print what it lacks (exit 1 when anything does)."""
    from pathlib import Path

    from companion.voice import INDEX_NAME, VoicePack, check_report

    folder = Path(args.pack)
    if args.action == "check":
        pack = VoicePack.open(folder)
        items, _ = _prompts(args, pack.language)
        lines = check_report(pack, items)
        for line in lines:
            print(line)
        if not lines:
            print(f"{folder}: all {len(items)} lines recorded")
        return 1 if lines else 0

    existing = (folder / INDEX_NAME).exists()
    items, lang = _prompts(args, VoicePack.open(folder).language if existing else None)
    pack = VoicePack.open(folder, create=True, language=lang, fmt=args.format or "wav")
    if not existing and args.loudness is not None:
        pack.loudness_lufs = args.loudness
        pack.save()
    if pack.format == "flac":
        from companion.audio.take_files import flac_available
        from companion.errors import UsageError

        if not flac_available():
            raise UsageError("this pack keeps FLAC takes, which needs the `flac` encoder "
                             "(apt-get install flac)")

    from companion.audio.capture import Capture
    from companion.ui.voice_app import EnginePlayer, make_voice_app

    player = EnginePlayer(args.audio)
    app = make_voice_app(pack, items, capture_factory=lambda: Capture(max_seconds=args.max_seconds),
                         player=player)
    try:
        kept = app.run() or 0
    finally:
        player.close()
    from companion.voice import missing

    left = len(missing(pack, items))
    print(f"{kept} take(s) kept; {left} line(s) still to record in {folder}")
    return 0
