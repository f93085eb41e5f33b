"""A child process for the write-failure test: a real file-size limit (RLIMIT_FSIZE).

Usage: python _fsize_writer.py DIRECTORY. Starts a session, lowers its own file-size
limit so that writes fail for real (EFBIG, with SIGXFSZ ignored, partial writes
included), appends events, lifts the limit, retries, ends, and prints a JSON report.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
from pathlib import Path

from companion.record import SessionRecord, WriteStatus, read_events

EVENTS = 30


def main() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    record = SessionRecord.start(Path(sys.argv[1]), playlist_name="Limits",
                                 playlist_hash="1" * 64)
    statuses: list[dict] = []
    told: list[str] = []

    def listen(item: object) -> None:
        if isinstance(item, WriteStatus):
            statuses.append({"ok": item.ok, "unwritten": item.unwritten, "error": item.error})
        else:
            told.append(item.type)

    record.subscribe(listen)
    limit = record.path.stat().st_size + 1000
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    returned = 0
    for number in range(EVENTS):
        record.append("note", tag="other", text=f"event {number} " + "x" * 80, seq=number)
        returned += 1
    during = read_events(record.path)
    size_during = record.path.stat().st_size
    retry_while_full = record.retry()
    status_while_full = record.status
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    retry_after = record.retry()
    record.end()
    print(json.dumps({
        "path": str(record.path),
        "limit": limit,
        "returned": returned,
        "size_during": size_during,
        "events_during": len(during.events),
        "torn_during": during.torn_tail is not None,
        "retry_while_full": retry_while_full,
        "unwritten_while_full": status_while_full.unwritten,
        "retry_after": retry_after,
        "statuses": statuses,
        "told": told,
    }))


if __name__ == "__main__":
    main()
