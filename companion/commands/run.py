"""`companion run`: start (or resume) a session on the session screen."""

from __future__ import annotations

import argparse

from companion.commands.options import add_audio_option

NAME = "run"
HELP = "start a session: the start screen, then the session screen (the default command)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `companion run`."""
    parser.add_argument("playlist", nargs="?", metavar="PLAYLIST",
                        help="a playlist file to choose on the start screen (default: the "
                        "bundled default, which needs no music files)")
    add_audio_option(parser, metavar=None,
                     help="audio output: auto (a sound card if there is one, else silent), "
                     "miniaudio, simpleaudio, or none (silent, visual prompts only)")
    parser.add_argument("--client", metavar="CODE",
                        help="the client's code for the record (no names needed)")
    parser.add_argument("--intention", metavar="TEXT", help="the client's intention, in their words")
    parser.add_argument("--reduced-motion", action="store_true", default=None,
                        help="no moving pacer or progress bars (also settable in the config file)")


def run(args: argparse.Namespace) -> int:
    """Run the app until the session ends; returns the exit status."""
    from pathlib import Path

    from companion.errors import UsageError
    from companion.ui.app import make_app

    playlist = Path(args.playlist).expanduser() if args.playlist else None
    if playlist is not None and not playlist.is_file():
        raise UsageError(f"no playlist at {str(playlist)!r}")
    app = make_app(playlist, None, args.audio, client_code=args.client, intention=args.intention,
                   reduced_motion=args.reduced_motion)
    return int(app.run() or 0)
