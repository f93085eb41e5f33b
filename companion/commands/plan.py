"""`companion plan PLAYLIST`: the whole session as a timeline, for the clinician to read first."""

from __future__ import annotations

import argparse

NAME = "plan"
HELP = "print a playlist's session as a timeline: phases, music, vitals, check-ins, observation"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """One playlist file."""
    parser.add_argument("playlist", metavar="PLAYLIST", help="the playlist file (.yaml)")


def run(args: argparse.Namespace) -> int:
    """Print the timeline; 1 (with the problems) when the playlist does not load."""
    from pathlib import Path

    from companion.errors import UsageError
    from companion.playlist.checker import check_report
    from companion.playlist.timeline import timeline_lines

    path = Path(args.playlist)
    if not path.is_file():
        raise UsageError(f"{args.playlist}: no such file")
    report = check_report(path)
    if report.playlist is None:
        for problem in report.problems:
            print(problem)
        print(f"{path}: cannot read the plan; run `companion check {path}` after fixing these")
        return 1
    for line in timeline_lines(report.playlist, report.lengths):
        print(line)
    if report.problems:
        print()
        print("Problems (the session plays on without these files):")
        for problem in report.problems:
            print(f"  {problem}")
    return 0
