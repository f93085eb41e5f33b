"""Finding a session for `companion log`: by id, a unique prefix of one, a client code, or `last`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def resolve_id(directory: Path, session_id: str, notes: list[str] | None = None) -> Path:
    """The session file named by `session_id`: an exact id, `last`, a client code (that
    client's latest session; `notes` gets the list of its sessions and how to pick one), or
    a unique prefix of an id."""
    from companion.errors import UsageError

    rows = sessions(directory)
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


def sessions(directory: Path) -> list[_Row]:
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
