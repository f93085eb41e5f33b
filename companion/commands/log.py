"""`companion log`: list past sessions, show one as a timeline, export reports (md, csv, json)."""

from __future__ import annotations

import argparse
import sys

NAME = "log"
HELP = "list, show and export session records"

FORMATS = ("md", "csv", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`log list`, `log show ID`, `log export ID --format md|csv|json [-o FILE]`."""
    actions = parser.add_subparsers(dest="log_action", metavar="ACTION")
    actions.required = True
    actions.add_parser("list", help="list the sessions on this machine, oldest first",
                       description="List the sessions on this machine, oldest first.")
    id_help = ("a session id, a unique prefix of one, a client code (that client's latest "
               "session), or `last` for the latest session")
    show = actions.add_parser("show", help="show one session as a readable timeline",
                              description="Show one session as a readable timeline.")
    show.add_argument("id", metavar="ID", help=id_help)
    export = actions.add_parser(
        "export", help="export a session as a Markdown report, CSV or JSON",
        description="Export a session: a Markdown report for the integration session, or "
        "CSV / JSON for other tools. Files are written readable by you alone (0600).")
    export.add_argument("id", metavar="ID", help=id_help)
    export.add_argument("--format", "-f", choices=FORMATS, default="md",
                        help="md (default), csv or json")
    export.add_argument("-o", "--output", metavar="FILE",
                        help="write to FILE (mode 0600) instead of printing")
    export.add_argument("--force", action="store_true",
                        help="overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    """Run the chosen log action."""
    from companion.commands.log_output import export, list_sessions, show
    from companion.commands.log_sessions import resolve_id
    from companion.paths import sessions_dir

    directory = sessions_dir()
    if args.log_action == "list":
        return list_sessions(directory)
    notes: list[str] = []
    path = resolve_id(directory, args.id, notes)
    try:
        if args.log_action == "show":
            return show(path)
        return export(path, args.format, args.output, force=args.force)
    finally:  # after the output, where a long timeline cannot scroll it away
        for line in notes:
            print(line, file=sys.stderr)
