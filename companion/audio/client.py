"""The UI process's handle on the audio engine: starts the engine process, sends commands, receives events.

`AudioEngine` never waits on the sound: commands are small messages written to a pipe,
and the engine's news comes back on a receiver thread, which either calls `on_event` (from
that thread: a Textual app hands it over with `App.call_from_thread`) or keeps it for
`poll_events()`. Only `start()` waits, once, for the engine to open its device.
"""

from __future__ import annotations

import atexit
import itertools
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from companion.audio.controls import EngineControls
from companion.audio.outputs import BACKENDS, OutputInfo
from companion.audio.protocol import (Close, Closed, Command, EngineEvent, EngineOptions,
                                      FailedToStart, Ready)
from companion.errors import AudioDeviceError

DEFAULT_CLOSE_FADE_S = 1.5


class AudioEngine(EngineControls):
    """Runs the engine in a child process (multiprocessing "spawn") and talks to it over a pipe.

    Its commands are the methods of `EngineControls` (play, queue, set_volume, ...); its news
    comes back as the events of `companion.audio.protocol`.
    """

    def __init__(self, *, env: Mapping[str, str] | None = None, period_ms: int = 10,
                 chunk_ms: int = 500, orphan_fade_s: float = 3.0,
                 on_event: Callable[[EngineEvent], None] | None = None) -> None:
        """`env`: environment for the engine process (e.g. HOME for a test's `.asoundrc`);
        `period_ms`: device period (the buffer is 3 periods); `chunk_ms`: simpleaudio buffer;
        `orphan_fade_s`: how long the engine fades out if this process dies."""
        self.env = dict(env or {})
        self.options = EngineOptions(period_ms, chunk_ms, orphan_fade_s)
        self.on_event = on_event
        self.info: OutputInfo | None = None
        self.latency_s = 0.0
        self.pid: int | None = None
        self._events: deque[EngineEvent] = deque()
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._receiver: threading.Thread | None = None
        self._closed = threading.Event()

    # -- life cycle ---------------------------------------------------------------------
    def start(self, output: str = "auto", timeout: float = 15.0) -> OutputInfo:
        """Start the engine on `output` (auto, miniaudio, simpleaudio, none); returns what opened.

        `auto` falls back to `none` and says why in `OutputInfo.reason`; any other output
        that cannot be opened raises AudioDeviceError.
        """
        from companion.audio.engine import engine_main

        if output not in BACKENDS:
            raise AudioDeviceError(f"unknown audio output {output!r} (choose from {', '.join(BACKENDS)})")
        ctx = multiprocessing.get_context("spawn")
        _start_resource_tracker()
        self._conn, child_conn = ctx.Pipe()
        process = ctx.Process(target=engine_main, name="companion-audio",
                              args=(child_conn, output, self.env, self.options))
        try:
            process.start()
        except (OSError, ValueError) as error:
            self._conn.close()
            self._conn = None
            raise AudioDeviceError(f"the audio engine could not start: {error}") from error
        finally:
            child_conn.close()
        self._process = process
        ready = self._wait_ready(timeout)
        if not isinstance(ready, Ready):
            self._process.join(2.0)
            raise AudioDeviceError(ready.reason)
        self.info = OutputInfo(ready.backend, ready.device, ready.reason)
        self.latency_s = ready.latency_s
        self.pid = ready.pid
        self._receiver = threading.Thread(target=self._receive, name="audio-events", daemon=True)
        self._receiver.start()
        atexit.register(self.close)
        return self.info

    def _wait_ready(self, timeout: float) -> Ready | FailedToStart:
        assert self._conn is not None and self._process is not None
        try:
            if self._conn.poll(timeout):
                return self._conn.recv()
        except (EOFError, OSError):
            pass
        if self._process.is_alive():
            self._process.kill()
        return FailedToStart("the audio engine did not start in time")

    def _receive(self) -> None:
        assert self._conn is not None
        while True:
            try:
                event: EngineEvent = self._conn.recv()
            except (EOFError, OSError):
                break
            if self.on_event is not None:
                self.on_event(event)
            else:
                self._events.append(event)
            if isinstance(event, Closed):
                break
        self._closed.set()

    @property
    def alive(self) -> bool:
        """Whether the engine process is running."""
        return self._process is not None and self._process.is_alive() and not self._closed.is_set()

    def close(self, fade_s: float = DEFAULT_CLOSE_FADE_S, wait: bool = True) -> None:
        """Fade everything out over `fade_s` and end the engine (waits for the fade if `wait`)."""
        if self._process is None:
            return
        atexit.unregister(self.close)
        self.send(Close(fade_s))
        if not wait:
            return
        process = self._process
        process.join(fade_s + 3.0)
        if process.is_alive():
            process.terminate()  # the engine fades out briefly on SIGTERM
            process.join(2.0)
        if process.is_alive():
            process.kill()
            process.join(1.0)
        if self._receiver is not None:
            # The receiver ends on the engine's `Closed` event or on EOF; closing the pipe
            # under a blocked recv() raises inside it instead.
            self._receiver.join(1.0)
        if self._conn is not None:
            self._conn.close()
        self._process = None

    # -- events ----------------------------------------------------------------------------
    def poll_events(self) -> list[EngineEvent]:
        """Events received since the last call (when no `on_event` callback is set)."""
        events = []
        while self._events:
            events.append(self._events.popleft())
        return events

    # -- commands ----------------------------------------------------------------------------
    def send(self, command: Command) -> None:
        """Write one command to the engine's pipe (never waits on the sound)."""
        if self._conn is None:
            return
        try:
            with self._send_lock:
                self._conn.send(command)
        except (OSError, ValueError):  # the engine is gone; its absence is reported by `alive`
            pass

    def new_id(self) -> str:
        """An id unique across the processes of this machine (for plays, cues and sets)."""
        return f"p{os.getpid()}-{next(self._ids)}"


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with the real stderr.

    The tracker is spawned with `sys.stderr.fileno()` among the descriptors it keeps; inside
    a Textual app `sys.stderr` is replaced by an object without a usable descriptor, and
    starting the engine would fail with "bad value(s) in fds_to_keep".
    """
    from multiprocessing import resource_tracker

    saved, sys.stderr = sys.stderr, sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = saved
