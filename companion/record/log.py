"""SessionRecord: the append-only, fsynced JSON Lines log of one session.

Guarantees (see docs/record.md):

- `append()` returns only after the event's line is written and `fsync`ed, so a crash,
  a kill or a power cut loses nothing already acknowledged.
- A full disk or an I/O error never raises to the caller and never drops an event: the
  events wait in memory in order, subscribers hear a `WriteStatus` change, and every
  later `append()` or `retry()` tries again. A cut-off (torn) line left by a failed write
  is truncated away before anything else is appended, so the file stays valid JSON Lines.
- Files are 0600 in a 0700 directory, named by `companion.record.files`.
"""

from __future__ import annotations

import errno as errno_names
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion import __version__
from companion.clock import Clock, SessionClock
from companion.paths import ensure_private_dir, open_private
from companion.record import events as ev
from companion.record.corrections import effective_dose
from companion.record.events import Event, WriteStatus
from companion.record.files import SUFFIX, fsync_dir, lock_session_file, session_file_name

if TYPE_CHECKING:
    from companion.record.vitals import VitalsRanges

log = logging.getLogger(__name__)

Listener = Callable[[Event | WriteStatus], None]
Wall = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class SessionRecord:
    """One session's record: append events, watch the write status, end the session."""

    def __init__(self, path: Path, clock: SessionClock, *, offset: int = 0,
                 history: list[Event] | None = None, create: bool = False,
                 fd: int | None = None) -> None:
        """Use `SessionRecord.start` or `SessionRecord.resume` rather than this."""
        self.path = path
        self.clock = clock
        self._create = create
        self._fd: int | None = fd  # opened O_APPEND, holding the session's lock
        self._good_offset = offset  # file length up to the last fsynced, complete line
        self._torn = False          # a failed write may have left bytes after _good_offset
        self._pending: deque[tuple[Event, bytes]] = deque()  # in order, not yet on disk
        self._events: list[Event] = list(history or [])
        self._listeners: list[Listener] = []
        self._status = WriteStatus(ok=True)
        self._failed_since: float | None = None
        self._written_late = 0
        self._ended = any(e.type == ev.SESSION_ENDED for e in self._events)
        self._lock = threading.RLock()
        self._news: list[Event | WriteStatus] = []  # told to listeners outside the lock
        self.dose_elapsed: float | None = None
        """Elapsed session seconds at the (last) dose mark in force, or None before the dose
        (or when it was struck); a corrected dose time counts from the corrected moment."""
        if any(e.type in (ev.DOSE_MARKED, ev.CORRECTION) for e in self._events):
            self.dose_elapsed = effective_dose(self._events)

    # -- making one -------------------------------------------------------------------

    @classmethod
    def start(cls, directory: Path, *, playlist_name: str, playlist_hash: str,
              client_code: str | None = None, intention: str | None = None,
              monotonic: Clock = time.monotonic, wall: Wall = _utc_now) -> SessionRecord:
        """Begin a new session file in `directory` and write `session_started`.

        Never raises for a disk problem: the first event then waits in memory and the
        write status says why.
        """
        started_at = wall()
        clock = SessionClock(started_at=started_at, monotonic=monotonic, wall=wall)
        path = Path(directory) / session_file_name(started_at, client_code)
        record = cls(path, clock, create=True)
        record.write(ev.session_started(
            app_version=__version__, started_at=started_at.astimezone(timezone.utc).isoformat(),
            playlist_name=playlist_name, playlist_hash=playlist_hash, client_code=client_code,
            intention=intention))
        return record

    @classmethod
    def resume(cls, path: Path, *, monotonic: Clock = time.monotonic,
               wall: Wall = _utc_now) -> SessionRecord:
        """Continue an interrupted session's file (see `companion.record.resume`)."""
        from companion.record.resume import resume

        return resume(path, monotonic=monotonic, wall=wall)

    # -- reading state ----------------------------------------------------------------

    @property
    def status(self) -> WriteStatus:
        """Whether every event is on disk."""
        return self._status

    @property
    def events(self) -> tuple[Event, ...]:
        """Every event of the session so far (including any read back on resume)."""
        with self._lock:
            return tuple(self._events)

    @property
    def ended(self) -> bool:
        """True once `session_ended` was appended."""
        return self._ended

    @property
    def started_at(self) -> datetime:
        """The session's start (UTC), the anchor of its clock."""
        return self.clock.started_at

    def last(self, event_type: str) -> Event | None:
        """The most recent event of `event_type`, or None."""
        with self._lock:
            for event in reversed(self._events):
                if event.type == event_type:
                    return event
        return None

    def since_dose(self) -> float | None:
        """Seconds since the dose was marked, or None before it."""
        return self.clock.since(self.dose_elapsed)

    # -- listening --------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Tell `listener` every new Event and WriteStatus change; returns an unsubscribe."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _tell(self, item: Event | WriteStatus) -> None:
        for listener in list(self._listeners):
            try:
                listener(item)
            except Exception:  # a broken screen must not stop the record
                log.exception("session record listener %r failed", listener)

    # -- writing ----------------------------------------------------------------------

    def append(self, event_type: str, /, **fields: Any) -> Event:
        """Record one event; returns after it is fsynced, or kept in memory if the disk fails."""
        clash = [key for key in ev.RESERVED_KEYS if key in fields]
        if clash:
            raise ValueError(f"event fields may not be named {', '.join(clash)}")
        with self._lock:
            event = self._make(ev.NewEvent(event_type, fields))
            line = event.to_line()  # before queueing: a field JSON cannot hold fails here, now
            self._events.append(event)
            self._pending.append((event, line))
            if event_type == ev.DOSE_MARKED:
                self.dose_elapsed = event.elapsed
            elif event_type == ev.CORRECTION:
                self.dose_elapsed = effective_dose(self._events)
            if event_type == ev.SESSION_ENDED:
                self._ended = True
            self._news.append(event)
            self._flush()
        self._deliver()
        return event

    def write(self, event: ev.NewEvent) -> Event:
        """Record an event made by one of `companion.record.events`' builders (see `append`)."""
        return self.append(event.type, **event.fields)

    def retry(self) -> bool:
        """Try again to write events kept in memory; True when everything is on disk."""
        with self._lock:
            self._flush()
            if self._ended and self._status.ok:
                self._close_fd()
        self._deliver()
        return self._status.ok

    def mark_dose(self, **fields: Any) -> Event:
        """Append `dose_marked`; 'since dose' times count from this moment."""
        return self.write(ev.dose_marked(**fields))

    def add_note(self, tag: str, text: str,
                 vitals_ranges: VitalsRanges | Mapping[str, Any] | None = None) -> Event:
        """Append a tagged note; vitals written in its text are also stored as numbers."""
        from companion.record.vitals import parse_vitals

        vitals = parse_vitals(text, vitals_ranges)
        return self.write(ev.note(tag, text, vitals.to_dict() if vitals else None))

    def correct(self, line: int, action: str, values: Mapping[str, Any] | None = None,
                reason: str = "") -> Event:
        """Append a `correction` of the entry on `line` (1-based; see `record.corrections`)."""
        with self._lock:
            if not 1 <= line <= len(self._events):
                raise ValueError(f"{self.path}: there is no line {line} to correct "
                                 f"(the record has {len(self._events)})")
            target = self._events[line - 1]
        return self.write(ev.correction(line, target, action, values, reason))

    def end(self, note: str | None = None) -> WriteStatus:
        """Append `session_ended` and close the file once everything is on disk."""
        self.write(ev.session_ended(note, self.dose_elapsed))
        with self._lock:
            if self._status.ok:
                self._close_fd()
        return self._status

    def close(self) -> int:
        """Close the file; returns how many events could not be written (0 normally)."""
        with self._lock:
            self._close_fd()
            return len(self._pending)

    def _close_fd(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                os.close(fd)
            except OSError as error:
                log.warning("closing %s: %s", self.path, error)

    def _make(self, new: ev.NewEvent) -> Event:
        elapsed = self.clock.elapsed()
        wall = self.clock.now_utc().astimezone()
        return Event(t=wall.isoformat(timespec="milliseconds"), elapsed=round(elapsed, 3),
                     type=new.type, fields=dict(new.fields))

    def _flush(self) -> None:
        """Write waiting events in order; queue news of any status change."""
        if not self._pending:
            return
        try:
            self._open()
            fd = self._fd
            assert fd is not None
            if self._torn:
                # A failed write may have left part of a line: cut back to the last good one.
                os.ftruncate(fd, self._good_offset)
                self._torn = False
            while self._pending:
                data = self._pending[0][1]
                self._torn = True
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    if written == 0:
                        raise OSError(errno_names.ENOSPC, os.strerror(errno_names.ENOSPC))
                    view = view[written:]
                os.fsync(fd)
                self._torn = False
                self._good_offset += len(data)
                self._pending.popleft()
                if not self._status.ok:
                    self._written_late += 1
        except OSError as error:
            self._cut_torn_tail()
            self._failed(error)
            return
        if not self._status.ok:
            self._recovered()

    def _open(self) -> None:
        if self._fd is not None:
            return
        if self._create:
            ensure_private_dir(self.path.parent)
            base, number = self.path, 1
            while True:
                try:
                    self._fd = open_private(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                                            | os.O_APPEND)
                    break
                except FileExistsError:
                    number += 1
                    self.path = base.with_name(f"{base.stem}-{number}{SUFFIX}")
            self._create = False
            # Held while the session runs, so no other window offers to resume it.
            lock_session_file(self._fd)
            # The new name must survive a power cut too, not only the lines inside the file.
            fsync_dir(self.path.parent)
        else:
            self._fd = open_private(self.path, os.O_WRONLY | os.O_APPEND)
            lock_session_file(self._fd)
            self._torn = os.fstat(self._fd).st_size != self._good_offset

    def _cut_torn_tail(self) -> None:
        """Right after a failed write, cut any partial line so a crash now leaves a clean file."""
        if self._fd is None or not self._torn:
            return
        try:
            os.ftruncate(self._fd, self._good_offset)
            self._torn = False
        except OSError as error:
            # Still torn: the next attempt truncates before it writes anything.
            log.warning("cannot cut the partial line in %s yet: %s", self.path, error)

    def _failed(self, error: OSError) -> None:
        reason = error.strerror or str(error)
        if self._status.ok:
            self._failed_since = self.clock.elapsed()
            self._written_late = 0
            code = (None if error.errno is None
                    else errno_names.errorcode.get(error.errno, str(error.errno)))
            # Written (late) after the events it speaks of, so the file tells the story.
            self._queue(self._make(ev.write_error(reason, len(self._pending), code)))
            log.warning("session record %s: %s; keeping %d event(s) in memory",
                        self.path, reason, len(self._pending))
        status = WriteStatus(ok=False, unwritten=len(self._pending), error=reason)
        if status != self._status:
            self._status = status
            self._news.append(status)

    def _recovered(self) -> None:
        outage = self.clock.elapsed() - (self._failed_since or 0.0)
        self._status = WriteStatus(ok=True)
        self._news.append(self._status)
        self._queue(self._make(ev.write_recovered(self._written_late, round(outage, 3))))
        self._flush()

    def _queue(self, event: Event) -> None:
        """Queue one of the record's own events (their fields always serialise)."""
        self._events.append(event)
        self._pending.append((event, event.to_line()))
        self._news.append(event)

    def _deliver(self) -> None:
        with self._lock:
            news, self._news = self._news, []
        for item in news:
            self._tell(item)
