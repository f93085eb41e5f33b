"""`companion log`: list past sessions, show one as a timeline, export reports (md, csv, json)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

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
    from companion.paths import sessions_dir

    directory = sessions_dir()
    if args.log_action == "list":
        return _list(directory)
    notes: list[str] = []
    path = resolve_id(directory, args.id, notes)
    try:
        if args.log_action == "show":
            return _show(path)
        return _export(path, args.format, args.output, force=args.force)
    finally:  # after the output, where a long timeline cannot scroll it away
        for line in notes:
            print(line, file=sys.stderr)


def resolve_id(directory: Path, session_id: str, notes: list[str] | None = None) -> Path:
    """The session file named by `session_id`: an exact id, `last`, a client code (that
    client's latest session; `notes` gets the list of its sessions and how to pick one), or
    a unique prefix of an id."""
    from companion.errors import UsageError

    rows = _sessions(directory)
    if not rows:
        raise UsageError(f"there are no sessions in {directory}")
    if session_id == "last":
        return rows[-1].path
    exact = [row.path for row in rows if row.path.stem == session_id]
    if exact:
        return exact[0]
    clients = [row for row in rows if row.client_code
               and row.client_code.casefold() == session_id.casefold()]
    if clients:
        if len(clients) > 1 and notes is not None:
            notes += _which(session_id, clients)
        return clients[-1].path
    matches = [row.path for row in rows if row.path.stem.startswith(session_id)]
    if not matches:
        raise UsageError(f"no session id or client code matches {session_id!r} "
                         "(see `companion log list`)")
    if len(matches) > 1:
        names = ", ".join(p.stem for p in matches[:5]) + (", ..." if len(matches) > 5 else "")
        raise UsageError(f"{session_id!r} matches {len(matches)} sessions ({names}); "
                         "give more of the id")
    return matches[0]


def _which(client_code: str, rows: list[_Row]) -> list[str]:
    """Lines saying the latest of a client's sessions is used, and how to pick another."""
    lines = [f"{client_code} has {len(rows)} sessions; using the latest. "
             "To choose another, give its ID:"]
    for row in reversed(rows):
        started = row.started[:16].replace("T", " ")
        lines.append(f"  {row.path.stem}  {started}")
    return lines


@dataclass(frozen=True)
class _Row:
    path: Path
    started: str
    """The start time as text ("" when unreadable)."""
    client_code: str | None


def _sessions(directory: Path) -> list[_Row]:
    """Every session file, oldest start first."""
    from companion.errors import RecordError
    from companion.record.reader import read_header
    from companion.record.resume import session_files

    rows = []
    for path in session_files(directory):
        try:
            header = read_header(path)
        except RecordError:
            header = None
        started = str(header.get("started_at", header.t)) if header else ""
        client = header.get("client_code") if header else None
        rows.append(_Row(path, started, str(client) if client else None))
    # Sort by the UTC start when known, so time zone changes cannot reorder sessions.
    return sorted(rows, key=lambda row: (row.started or "~", row.path.name))


def _list(directory: Path) -> int:
    from companion.errors import RecordError
    from companion.record.reader import read_events
    from companion.record.report import clock_text, summary
    from companion.record.resume import in_use

    rows = _sessions(directory)
    if not rows:
        print(f"No sessions yet in {directory}.")
        return 0
    table = [("ID", "STARTED", "LENGTH", "CLIENT", "PLAYLIST", "STATUS")]
    for path in (row.path for row in rows):
        try:
            s = summary(read_events(path))
        except RecordError as error:
            table.append((path.stem, "", "", "", "", f"unreadable: {error}"))
            continue
        started = (s["started"] or "")[:16].replace("T", " ")
        status = s["status"]
        if status == "interrupted" and in_use(path):
            status = "running"
        if s["resumed"]:
            status += f", resumed {s['resumed']}x"
        if s["torn_tail"] is not None:
            status += ", last line cut off"
        table.append((s["id"], started, clock_text(s["duration"]), s["client_code"] or "-",
                      s["playlist_name"] or "-", status))
    widths = [max(len(str(row[i])) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths)]
        print("  ".join(cells + [str(row[-1])]).rstrip())
    return 0


def _show(path: Path) -> int:
    from companion.record.corrections import corrected_result
    from companion.record.events import QUIET
    from companion.record.reader import read_events
    from companion.clock import duration_text
    from companion.record.report import since_dose_text, clock_text, describe_shown, summary

    result = corrected_result(read_events(path))
    s = summary(result)
    print(f"Session {s['id']}")
    started = s["started"] or ""
    print(f"  {'Started:':<13}{started[:10]} {started[11:19]} (UTC{started[23:] or '?'})")
    for label, key in (("Client code", "client_code"),
                       ("Playlist", "playlist_name"), ("Intention", "intention"),
                       ("Status", "status")):
        print(f"  {label + ':':<13}{s[key] if s[key] is not None else '-'}")
    print(f"  {'Length:':<13}{duration_text(s['duration'])}")
    print()
    dose = result.dose_elapsed
    for event in result.events:
        if event.type in QUIET:
            continue
        clock = event.t[11:19]
        print(f"{clock_text(event.elapsed):>8}  {since_dose_text(event.elapsed, dose):>9}  "
              f"{clock}  {describe_shown(event, result.events)}")
    if result.torn_tail is not None:
        print(f"\nThe last line (line {result.torn_tail.line}) was cut off by a crash and is "
              f"not part of the record: {result.torn_tail.text[:60]!r}", file=sys.stderr)
    return 0


def _export(path: Path, fmt: str, output: str | None, *, force: bool = False) -> int:
    from companion.errors import UsageError
    from companion.record.reader import read_events
    from companion.record.report import render

    text = render(read_events(path), fmt)
    if output is None or output == "-":
        sys.stdout.write(text)
        return 0
    if Path(output).expanduser().exists() and not force:
        raise UsageError(f"{output} exists; use --force to overwrite it")
    write_export(Path(output), text)
    print(f"Wrote {output} (readable by you alone).", file=sys.stderr)
    return 0


def write_export(path: Path, text: str) -> None:
    """Write `text` to `path` atomically with mode 0600, leaving the folder's mode alone."""
    from companion.errors import UsageError
    from companion.paths import atomic_replace

    path = path.expanduser()
    try:
        with atomic_replace(path) as tmp:
            tmp.write_bytes(text.encode("utf-8"))
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from error
