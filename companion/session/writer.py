"""The record writer: record calls run on one background thread, stamped with the action's moment.

The record fsyncs every event; doing that off the UI thread keeps a slow disk from holding
up a key. The record itself keeps events in memory when the disk fails, so nothing is lost.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from companion.clock import Clock
from companion.errors import CompanionError

log = logging.getLogger(__name__)


class ActionClock:
    """The session's monotonic clock, which the record writer can pin to the moment of an action.

    The record stamps an event when `append` runs; appends happen on the writer thread,
    possibly later than the key press (a slow fsync before it). While the writer appends,
    it pins this clock (for its own thread only) to when the action happened, so the
    record's `t` and `elapsed` say when the sitter acted, not when the disk caught up.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._local = threading.local()

    def __call__(self) -> float:
        pinned = getattr(self._local, "pinned", None)
        return self._clock() if pinned is None else pinned

    def live(self) -> float:
        """The unpinned time, whatever thread asks."""
        return self._clock()

    def pinned(self, moment: float) -> _Pin:
        """A context in which this thread reads `moment`."""
        return _Pin(self._local, moment)


class _Pin:
    def __init__(self, local: threading.local, moment: float) -> None:
        self._local, self._moment = local, moment

    def __enter__(self) -> None:
        self._local.pinned = self._moment

    def __exit__(self, *_exc: object) -> None:
        self._local.pinned = None


class RecordWriter:
    """Runs record calls (`append`, `add_note`, `end`, ...) on one background thread, in order.

    With `clock` (the ActionClock the record was made with), each call runs with the clock
    pinned to the moment it was submitted, so events carry the moment of the action.
    """

    def __init__(self, clock: ActionClock | None = None) -> None:
        self._clock = clock
        self._queue: queue.Queue[tuple[Callable[..., Any], tuple, dict] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="record-writer", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Queue one call, stamped with this moment; returns at once."""
        clock = self._clock
        if clock is None:
            self._queue.put((fn, args, kwargs))
            return
        moment = clock.live()

        def stamped() -> None:
            with clock.pinned(moment):
                fn(*args, **kwargs)

        stamped.__name__ = getattr(fn, "__name__", "record call")
        self._queue.put((stamped, (), {}))

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every queued call has run; False if that took longer than `timeout`."""
        done = threading.Event()
        self._queue.put((done.set, (), {}))
        return done.wait(timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Run what is queued, then stop the thread."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            fn, args, kwargs = item
            try:
                fn(*args, **kwargs)
            except (CompanionError, OSError, ValueError) as error:
                # The record rides out disk failures itself; an error here is a mistake in
                # the call. Say so, and keep the writer alive for the events that follow.
                log.error("session record call %s failed: %s", getattr(fn, "__name__", fn), error)
