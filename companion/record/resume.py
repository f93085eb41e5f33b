"""Interrupted sessions: finding them, and continuing one in its own file with its clock intact."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from companion import __version__
from companion.clock import Clock, SessionClock
from companion.errors import RecordError
from companion.paths import open_private
from companion.record import events as ev
from companion.record.files import SUFFIX, lock_session_file
from companion.record.reader import read_events, read_header

if TYPE_CHECKING:
    from companion.record.log import SessionRecord


def session_files(directory: Path) -> list[Path]:
    """Every session file in `directory`, oldest first (by name, which starts with the time)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix == SUFFIX and p.is_file())


def find_interrupted(directory: Path) -> list[Path]:
    """Session files with no `session_ended` event, oldest first.

    Left out: sessions still running (in this or another window: their file is locked)
    and files with no complete first event or that cannot be read (`companion log list`
    shows those with the reason).
    """
    found = []
    for path in session_files(directory):
        try:
            if (read_header(path) is not None and not _has_end(path)
                    and not in_use(path)):
                found.append(path)
        except (RecordError, OSError):
            continue
    return found


def in_use(path: Path) -> bool:
    """True while a session is running in this file (its writer holds the lock)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        return not lock_session_file(fd, shared=True)
    finally:
        os.close(fd)  # closing the descriptor drops the shared lock


def _has_end(path: Path, window: int = 65536) -> bool:
    # The end event is among the last lines (only write_error / write_recovered can follow
    # it): read the file's tail, and the whole file only when the tail cannot tell.
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - window))
        tail = handle.read()
    if f'"type":"{ev.SESSION_ENDED}"'.encode() in tail:
        return True
    return size > window and read_events(path).ended


def resume(path: Path, *, monotonic: Clock = time.monotonic,
           wall: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> SessionRecord:
    """Continue the interrupted session in `path`: same file, a `session_resumed` event.

    The clock continues from the original start and the dose time from its original
    moment. A torn last line (an unacknowledged write cut short by the crash) is cut off
    and its text kept in the `session_resumed` event, so nothing vanishes unseen.
    """
    path = Path(path)
    try:
        fd = open_private(path, os.O_RDWR | os.O_APPEND)
    except OSError as error:
        raise RecordError(f"{path}: cannot open the session record: {error.strerror}") from error
    try:
        if not lock_session_file(fd):
            raise RecordError(f"{path}: this session is still open in another Companion window")
        result = read_events(path)
        if result.started is None:
            raise RecordError(f"{path}: not a session record (no {ev.SESSION_STARTED} event)")
        if result.ended:
            raise RecordError(f"{path}: this session has ended; it cannot be resumed")
        started_at = result.started_at
        if started_at is None or started_at.tzinfo is None:
            raise RecordError(f"{path}:1: the start time is missing or has no UTC offset")
        size = _repair(fd, path, result.good_length, result.torn_tail is not None)
    except BaseException:
        os.close(fd)
        raise
    from companion.record.log import SessionRecord

    clock = SessionClock(started_at=started_at, monotonic=monotonic, wall=wall)
    record = SessionRecord(path, clock, offset=size, history=list(result.events), fd=fd)
    last = result.events[-1]
    record.write(ev.session_resumed(
        last_elapsed=last.elapsed, gap=round(max(0.0, clock.elapsed() - last.elapsed), 3),
        app_version=__version__,
        torn_tail=result.torn_tail.text if result.torn_tail is not None else None))
    return record


def _repair(fd: int, path: Path, good_length: int, torn: bool) -> int:
    """Cut a torn tail off, or end a complete but unterminated last line; returns the size."""
    try:
        size = os.fstat(fd).st_size
        if torn:
            os.ftruncate(fd, good_length)
        elif size > good_length:
            os.write(fd, b"\n")  # O_APPEND: at the end
        else:
            return size
        os.fsync(fd)
        return os.fstat(fd).st_size
    except OSError as error:
        raise RecordError(f"{path}: cannot repair the record's last line: "
                          f"{error.strerror}") from error
