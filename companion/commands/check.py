"""`companion check [PATH...]`: every problem in the playlists, one `FILE:LINE:COL: message` a line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

NAME = "check"
HELP = "check playlists and report every problem as FILE:LINE:COL: message"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Playlist files or folders; none means every playlist Companion can find."""
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="playlist files or folders of them (default: ./playlists, your "
                        "config folder's playlists and the bundled ones)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print only the problems, not each phase's length")


def _shown(path: Path) -> Path:
    """`path` relative to the current folder when it lies inside it, as compilers print it."""
    relative = os.path.relpath(os.path.abspath(path))
    return Path(relative) if not relative.startswith("..") else Path(os.path.abspath(path))


def _expand(arguments: list[str]) -> tuple[list[Path], list[str]]:
    from companion import paths

    if not arguments:
        found = paths.find_playlists()
        searched = ", ".join(str(d) for d in paths.playlist_dirs()) or "./playlists"
        return [_shown(p) for p in found], [] if found else [f"no playlists found (looked in "
                                                            f"{searched})"]
    files: list[Path] = []
    errors: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir()
                            if p.suffix in paths.PLAYLIST_SUFFIXES and p.is_file())
            files.extend(inside)
            if not inside:
                errors.append(f"{argument}: no .yaml playlists in this folder")
        elif path.exists():
            files.append(path)
        else:
            errors.append(f"{argument}: no such file")
    return files, errors


def run(args: argparse.Namespace) -> int:
    """Check each playlist; 0 when all are clean, 1 when problems were found, 2 on bad paths."""
    from companion.playlist.checker import check_report

    files, errors = _expand(args.paths)
    with_problems = 0
    total = 0
    for path in files:
        report = check_report(path)
        for problem in report.problems:
            print(problem)
        total += len(report.problems)
        with_problems += bool(report.problems)
        if not args.quiet and report.playlist is not None:
            count = len(report.playlist.phases)
            print(f"{path}: {report.playlist.name!r}, {count} phase{'s' if count != 1 else ''}")
            for line in report.plan + report.notes:
                print(f"  {line}")
    for error in errors:
        print(f"companion: {error}", file=sys.stderr)
    if files and not args.quiet:
        verdict = (f"{total} problem{'s' if total != 1 else ''} in {with_problems} of "
                   f"{len(files)}" if total else f"no problems in {len(files)}")
        print(f"{verdict} playlist{'s' if len(files) != 1 else ''}")
    if errors:
        return 2
    return 1 if total else 0
