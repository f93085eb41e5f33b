"""`companion analyse PATH... [--json]`: loudness (LUFS, LRA, peaks) of audio files and playlists.

Each sound is measured per ITU-R BS.1770-4 / EBU R128 as Companion plays it, and the result
goes into the loudness cache, so sessions start without waiting for analysis. A playlist
stands for every file and built-in it plays, a folder for the audio files in it. A file that
cannot be decoded is reported with the engine's message and the rest go on; the exit status
is then 1.
"""

from __future__ import annotations

import argparse
import json
import sys

NAME = "analyse"
HELP = "measure loudness (LUFS, LRA, sample and true peak) of audio files or playlists"

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Audio files or playlists; output format; target for the gain column."""
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="audio files (WAV, FLAC, MP3, Ogg Vorbis), folders of them, or "
                        "playlists (.yaml)")
    parser.add_argument("--json", action="store_true",
                        help="print a JSON list of {path, integrated_lufs, lra_lu, "
                        "sample_peak_dbfs, true_peak_dbtp} instead of a table")
    parser.add_argument("--target", type=float, metavar="LUFS",
                        help="loudness target for the table's gain column (default: each "
                        "playlist's loudness_target, else -18)")
    parser.add_argument("--refresh", action="store_true",
                        help="measure again even when the cache holds a result")


def run(args: argparse.Namespace) -> int:
    """Measure each sound; print a table or JSON; 0 if all were measured, 1 if any failed."""
    from companion.audio.decode import probe
    from companion.audio.loudness_cache import LoudnessCache
    from companion.commands.analyse_items import collect
    from companion.commands.analyse_output import Progress, json_row, table, too_quiet_lines
    from companion.errors import CompanionError

    items, errors = collect(args.paths)
    for error in errors:
        print(f"companion: {error}", file=sys.stderr)
    cache = LoudnessCache()
    progress = Progress(len(items))
    rows = []
    failed = len(errors)
    try:
        for index, item in enumerate(items):
            try:
                if item.builtin is not None:
                    progress.start(index, item.label, None)
                    loud = cache.builtin_loudness(item.builtin, item.seed, refresh=args.refresh)
                else:
                    length = probe(item.file).seconds
                    progress.start(index, item.label, length)
                    loud = cache.file_loudness(item.file, progress.update,
                                               refresh=args.refresh)
            except CompanionError as error:
                progress.close()
                print(f"companion: {error}", file=sys.stderr)
                failed += 1
                continue
            rows.append((item, loud))
    finally:
        progress.close()
    too_quiet = too_quiet_lines(rows, args.target)
    if args.json:
        print(json.dumps([json_row(item, loud) for item, loud in rows], indent=2))
        for warning in too_quiet:
            print(f"companion: {warning}", file=sys.stderr)
    elif rows:
        print("\n".join(table(rows, args.target) + too_quiet))
    return 1 if failed else 0
