"""`companion import PLAYLIST.m3u [-o OUT.yaml]`: turn a music player's M3U into a playlist."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

NAME = "import"
HELP = "import an M3U/M3U8 playlist as a Companion playlist (YAML)"
MAX_NOTES_PER_KIND = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The M3U file, and where to write the YAML."""
    parser.add_argument("m3u", metavar="PLAYLIST.m3u", help="the M3U or M3U8 file")
    parser.add_argument("-o", "--output", metavar="OUT.yaml",
                        help="write the playlist here (default: print it); file paths are "
                        "written relative to it")
    parser.add_argument("-f", "--force", action="store_true",
                        help="overwrite OUT.yaml if it exists")


def _print_notes(source: Path, notes) -> None:
    """Each note as `FILE:LINE: message`, with long runs of missing files cut short."""
    missing = [n for n in notes if "(kept;" in n.message]
    for note in notes:
        if note in missing[MAX_NOTES_PER_KIND:]:
            continue
        print(f"{source}:{note.line}: {note.message}", file=sys.stderr)
    if len(missing) > MAX_NOTES_PER_KIND:
        print(f"{source}: ... and {len(missing) - MAX_NOTES_PER_KIND} more files not found "
              "(kept)", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Import; 0 when a playlist was written, 1 when nothing could be imported, 2 on bad usage."""
    from companion.errors import PlaylistError, UsageError
    from companion.playlist.m3u import read_m3u, to_yaml

    source = Path(args.m3u)
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    output = Path(args.output) if args.output else None
    if output is not None and output.exists() and not args.force:
        raise UsageError(f"{output} exists; use --force to overwrite it")
    m3u = read_m3u(source)
    _print_notes(source, m3u.notes)
    try:
        text = to_yaml(m3u, output.parent if output else Path(os.curdir))
    except PlaylistError as error:
        print(f"companion: {error}", file=sys.stderr)
        return 1
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        print(f"wrote {output}: {len(m3u.entries)} tracks; split them into phases and run "
              f"`companion check {output}`", file=sys.stderr)
    return 0
