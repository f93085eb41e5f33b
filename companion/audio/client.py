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
from typing import NamedTuple

from companion.audio.outputs import BACKENDS, OutputInfo
from companion.errors import AudioDeviceError

DEFAULT_CLOSE_FADE_S = 1.5


class EngineEvent(NamedTuple):
    """News from the engine.

    kinds and fields:
    - `started`: id, slot, path, seconds (length or None), at (monotonic time it is heard);
    - `ended`: id, slot, reason ("end", "stopped", "failed"), position (seconds played);
    - `failed`: id, slot, path, reason (a file that cannot play; the engine goes on);
    - `position`: slots ({slot: {id, position}}), frames, paused; twice a second;
    - `underrun`: count, total (the decoder fell behind: silence was played);
    - `error`: message; `closed`: underruns; `pong`: t, frames.
    """

    kind: str
    fields: dict


class AudioEngine:
    """Runs the engine in a child process (multiprocessing "spawn") and talks to it over a pipe."""

    def __init__(self, *, env: Mapping[str, str] | None = None, period_ms: int = 10,
                 chunk_ms: int = 500, orphan_fade_s: float = 3.0,
                 on_event: Callable[[EngineEvent], None] | None = None) -> None:
        """`env`: environment for the engine process (e.g. HOME for a test's `.asoundrc`);
        `period_ms`: device period (the buffer is 3 periods); `chunk_ms`: simpleaudio buffer;
        `orphan_fade_s`: how long the engine fades out if this process dies."""
        self.env = dict(env or {})
        self.options = {"period_ms": period_ms, "chunk_ms": chunk_ms, "orphan_fade_s": orphan_fade_s}
        self.on_event = on_event
        self.info: OutputInfo | None = None
        self.latency_s = 0.0
        self.pid: int | None = None
        self._events: deque[EngineEvent] = deque()
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._process = None
        self._conn = None
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
        kind, fields = self._wait_ready(timeout)
        if kind != "ready":
            self._process.join(2.0)
            raise AudioDeviceError(fields.get("reason", "the audio engine did not start"))
        self.info = OutputInfo(fields["backend"], fields["device"], fields["reason"])
        self.latency_s = fields["latency_s"]
        self.pid = fields["pid"]
        self._receiver = threading.Thread(target=self._receive, name="audio-events", daemon=True)
        self._receiver.start()
        atexit.register(self.close)
        return self.info

    def _wait_ready(self, timeout: float) -> tuple[str, dict]:
        assert self._conn is not None and self._process is not None
        try:
            if self._conn.poll(timeout):
                return self._conn.recv()
        except (EOFError, OSError):
            pass
        if self._process.is_alive():
            self._process.kill()
        return "failed_to_start", {"reason": "the audio engine did not start in time"}

    def _receive(self) -> None:
        assert self._conn is not None
        while True:
            try:
                kind, fields = self._conn.recv()
            except (EOFError, OSError):
                break
            event = EngineEvent(kind, fields)
            if self.on_event is not None:
                self.on_event(event)
            else:
                self._events.append(event)
            if kind == "closed":
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
        self._send("close", fade_s=fade_s)
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
            # The receiver ends on the engine's "closed" event or on EOF; closing the pipe
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

    # -- commands --------------------------------------------------------------------------
    def _send(self, kind: str, **fields) -> None:
        if self._conn is None:
            return
        try:
            with self._send_lock:
                self._conn.send((kind, fields))
        except (OSError, ValueError):  # the engine is gone; its absence is reported by `alive`
            pass

    def _new_id(self) -> str:
        return f"p{os.getpid()}-{next(self._ids)}"

    def play(self, slot: str = "music", *, file: str | os.PathLike | None = None,
             builtin: str | None = None, seed: int = 0, seconds: float | None = None,
             loop: bool = False, start_at_s: float = 0.0, gain_db: float = 0.0,
             fade_in: float = 0.0, fade_out: float = 0.0, overlap: float = 0.0,
             at: float | None = None) -> str:
        """Play a file or built-in in `slot` now (or at monotonic time `at`); returns its id.

        Whatever the slot held fades out over `overlap` s (at least a few ms) as this fades
        in over `fade_in` s; `fade_out` is this track's own fade before its end.
        """
        play_id = self._new_id()
        self._send("play", id=play_id, slot=slot, file=os.fspath(file) if file else None,
                   builtin=builtin, seed=seed, seconds=seconds, loop=loop, start_at_s=start_at_s,
                   gain_db=gain_db, fade_in=fade_in, fade_out=fade_out, overlap=overlap, at=at)
        return play_id

    def queue(self, slot: str = "music", *, file: str | os.PathLike | None = None,
              builtin: str | None = None, seed: int = 0, seconds: float | None = None,
              loop: bool = False, gain_db: float = 0.0, fade_in: float = 0.0,
              fade_out: float = 0.0, overlap: float = 0.0) -> str:
        """Play this after the slot's current track, starting `overlap` s before its end.

        The engine opens it at once and starts it on the exact frame (overlap 0 and no
        fade_in: joined gaplessly). Replaces anything queued before in that slot.
        """
        play_id = self._new_id()
        self._send("queue", id=play_id, slot=slot, file=os.fspath(file) if file else None,
                   builtin=builtin, seed=seed, seconds=seconds, loop=loop, gain_db=gain_db,
                   fade_in=fade_in, fade_out=fade_out, overlap=overlap)
        return play_id

    def stop(self, slot: str = "music", fade_s: float = 1.0) -> None:
        """Fade out what plays in `slot` and forget what was queued there."""
        self._send("stop", slot=slot, fade_s=fade_s)

    def suspend(self, slot: str = "music", fade_s: float = 1.0) -> None:
        """Fade the slot's track to silence and hold it still at that point."""
        self._send("suspend", slot=slot, fade_s=fade_s)

    def unsuspend(self, slot: str = "music", fade_s: float = 1.0) -> None:
        """Continue a suspended track from where it held, fading back in."""
        self._send("unsuspend", slot=slot, fade_s=fade_s)

    def set_volume(self, percent: float, ramp_s: float = 0.3) -> None:
        """Ramp the master volume to `percent` (0-100, perceptual; never above the ceiling)."""
        self._send("volume", percent=percent, ramp_s=ramp_s)

    def set_ceiling(self, percent: float) -> None:
        """Cap the master volume at `percent` from now on."""
        self._send("ceiling", percent=percent)

    def pause(self, fade_s: float = 0.5) -> None:
        """Fade the music out and hold every track still (cues still sound)."""
        self._send("pause", fade_s=fade_s)

    def resume(self, fade_s: float = 0.5) -> None:
        """Continue from the exact sample where the pause stopped, fading in."""
        self._send("resume", fade_s=fade_s)

    def cue(self, *, file: str | os.PathLike | None = None, builtin: str | None = None,
            seed: int = 0, gain_db: float = 0.0, at: float | None = None,
            duck_db: float = 0.0) -> str:
        """Sound a short cue over the music at monotonic time `at` (None: now); returns its id."""
        cue_id = self._new_id()
        self._send("cue", id=cue_id, slot="cue", file=os.fspath(file) if file else None,
                   builtin=builtin, seed=seed, gain_db=gain_db, at=at, duck_db=duck_db)
        return cue_id

    def withdraw_cues(self) -> None:
        """Drop every cue sent ahead that has not begun to sound; cues sounding finish."""
        self._send("withdraw_cues")

    def bls(self, *, sound: str = "tone", pan: str = "hard", speed: float = 1.0,
            passes: int | None = 24, seconds: float | None = None, hz: float = 500.0,
            file: str | os.PathLike | None = None, depth: float = 0.6, gain_db: float = 0.0,
            duck_db: float = 0.0, at: float | None = None) -> str:
        """Start a bilateral set (see `companion.audio.bilateral.open_bilateral`); returns its id.

        News: `bls_started` (id, at, frame), `bls_onset` (id, pass, side, frame, at) for each
        pass as it is heard, `bls_ended` (id, passes, reason, at); `failed` if it cannot start.
        """
        set_id = self._new_id()
        self._send("bls", id=set_id, sound=sound, pan=pan, speed=speed, passes=passes,
                   seconds=seconds, hz=hz, file=os.fspath(file) if file else None, depth=depth,
                   gain_db=gain_db, duck_db=duck_db, at=at)
        return set_id

    def bls_speed(self, set_id: str, speed: float) -> None:
        """Continue a bilateral set at `speed` cycles per second, from where its sound is."""
        self._send("bls_speed", id=set_id, speed=speed)

    def bls_stop(self, set_id: str) -> None:
        """Stop a bilateral set at once, softly."""
        self._send("bls_stop", id=set_id)

    def ping(self, t: float) -> None:
        """Ask for a `pong` event (a liveness and round-trip check)."""
        self._send("ping", t=t)


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
