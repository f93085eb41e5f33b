"""What `companion log` prints: the sessions as a table, one session as a timeline, an export."""

from __future__ import annotations

import sys
from pathlib import Path

from companion.commands.log_sessions import sessions


def list_sessions(directory: Path) -> int:
    from companion.errors import RecordError
    from companion.record.reader import read_events
    from companion.record.report import clock_text, summary
    from companion.record.resume import in_use

    rows = sessions(directory)
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


def show(path: Path) -> int:
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


def export(path: Path, fmt: str, output: str | None, *, force: bool = False) -> int:
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
