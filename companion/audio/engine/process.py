"""The engine process: its main thread (commands in, events out) and the device callback.

See the package docstring for how the three threads share the work.
"""

from __future__ import annotations

import collections
import importlib
import os
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING

from companion.audio.engine.clock import CLOCK_WINDOW
from companion.audio.engine.reader import PREFILL_S, Reader
from companion.audio.levels import percent_to_gain
from companion.audio.outputs import RATE, OutputInfo, open_output, raise_priority
from companion.audio.protocol import (Bls, BlsSpeed, BlsStop, Close, Closed, Command, Cue,
                                      EngineEvent, EngineOptions, FailedToStart, Pause, Ping, Play,
                                      Pong, Position, Problem, Queue, Ready, Resume, SetCeiling,
                                      SetVolume, SlotPosition, Stop, Suspend, Underrun, Unsuspend,
                                      WithdrawCues)
from companion.audio.streams import Stream

if TYPE_CHECKING:
    import numpy as np

POSITION_EVERY_S = 0.5
EXIT_MARGIN_S = 0.2


def engine_main(conn: Connection, output: str, env: dict[str, str],
                options: EngineOptions) -> None:
    """Entry point of the engine child process."""
    os.environ.update(env)  # before any device opens: ALSA reads ~/.asoundrc on first use
    # Ctrl-C in the terminal reaches the whole process group; the parent decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:  # where the system allows it, sound comes before other work (a no-op for most users)
        os.nice(-10)
    except OSError:
        pass
    if not os.environ.get("COMPANION_AUDIO_DEBUG"):
        # ALSA prints to fd 2 from its own threads at any time; our news goes over the pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    engine = Engine(conn, output, options)
    signal.signal(signal.SIGTERM, lambda *_: engine.request_exit(0.5))
    engine.run()


class Engine(Reader):
    """The engine inside the child process (see the package docstring)."""

    def __init__(self, conn: Connection, output: str, options: EngineOptions) -> None:
        from companion.audio.mixer import Mixer

        self.conn = conn
        self.output_name = output
        self.options = options
        self.orphan_fade_s = options.orphan_fade_s  # when the UI dies: fade out over this
        self.prefill_s = PREFILL_S
        self.mixer = Mixer(RATE)
        self.ops: collections.deque[Callable[[float], None]] = collections.deque()
        self.events: collections.deque[EngineEvent] = collections.deque()
        self.reader_cmds: collections.deque[Command] = collections.deque()
        self.reader_wake = threading.Event()
        self.streams: dict[str, Stream] = {}  # every stream the mixer may read (reader fills these)
        self.slots: dict[str, Stream] = {}  # slot -> the stream playing in it
        self.queued: dict[str, Stream] = {}  # slot -> the next stream, opened early
        self.by_voice: dict[str, Stream] = {}  # mixer voice id -> the stream it plays now
        self.cues: dict[str, Stream] = {}
        self.bls_sets: dict[str, tuple] = {}  # set id -> (bilateral source, its first mixer frame)
        self.frames = 0
        self.latency_s = 0.0
        self.underruns = 0
        self.underrun_base = 0  # underruns of streams already closed
        self.max_render = 0.0  # longest time spent in one callback, seconds
        self.max_interval = 0.0  # longest time between two callbacks
        self._last_call = 0.0
        self._arrivals: collections.deque[float] = collections.deque(maxlen=CLOCK_WINDOW)
        self.slow_calls: list[tuple[float, float]] = []  # (seconds rendered, ms between callbacks)
        self._reported_underruns = 0
        self._next_position = 0
        self._exit_at: float | None = None
        self._running = True

    # -- main thread -------------------------------------------------------------------
    def run(self) -> None:
        """Open the output, then serve commands until closed or orphaned."""
        from companion.errors import AudioDeviceError

        try:
            out = open_output(self.output_name, period_ms=self.options.period_ms,
                              chunk_ms=self.options.chunk_ms)
        except AudioDeviceError as error:
            self._send(FailedToStart(str(error)))
            return
        self.output = out
        self.latency_s = out.latency_s
        # A new stream must hold more than one pull (simpleaudio pulls whole 500 ms buffers).
        self.prefill_s = max(PREFILL_S, 2 * out.period_frames / RATE)
        # Import the decoders now: an import on the reader thread would hold the GIL for
        # tens of milliseconds while the first track starts, and the callback would miss its turn.
        # (The modules themselves: a package loads its modules only when a name is used.)
        for module in ("companion.audio.decode.sources", "companion.audio.soundscapes.catalog"):
            importlib.import_module(module)

        reader = threading.Thread(target=self._reader_loop, name="reader", daemon=True)
        reader.start()
        out.start(self.render)
        info: OutputInfo = out.info
        raise_priority(10)
        self._send(Ready(info.backend, info.device, info.reason, out.latency_s, os.getpid()))
        import multiprocessing

        parent = multiprocessing.parent_process()
        watch = [self.conn] + ([parent.sentinel] if parent is not None else [])
        while self._running:
            if self._exit_at is not None and time.monotonic() >= self._exit_at:
                break
            ready = wait(watch, timeout=0.02)  # also how often events are flushed
            if parent is not None and parent.sentinel in ready:
                self.request_exit(self.orphan_fade_s)
                watch = []
            elif self.conn in ready:
                try:
                    command = self.conn.recv()
                except (EOFError, OSError):
                    self.request_exit(self.orphan_fade_s)
                    watch = []
                else:
                    self.command(command)
            if not watch:
                time.sleep(0.02)
            self._flush_events()
        self._running = False
        self.reader_wake.set()
        out.stop()
        self._flush_events()
        self._send(Closed(self.underruns, self.max_render, self.max_interval, self.slow_calls,
                          self.frames, out.stats()))

    def request_exit(self, fade_s: float) -> None:
        """Fade everything out over `fade_s`, then leave the main loop."""
        if self._exit_at is not None:
            return
        self.ops.append(lambda now: self.mixer.set_master(0.0, max(fade_s, 0.01)))
        # Stopping a device drops what it holds: let silence fill its buffer first.
        self._exit_at = time.monotonic() + fade_s + 2 * self.latency_s + EXIT_MARGIN_S

    def _send(self, event: EngineEvent) -> None:
        try:
            self.conn.send(event)
        except (OSError, ValueError):
            self.request_exit(self.orphan_fade_s)

    def _flush_events(self) -> None:
        while self.events:
            self._send(self.events.popleft())

    def command(self, command: Command) -> None:
        """Dispatch one command from the parent."""
        match command:
            case Play() | Queue() | Cue() | Bls() | WithdrawCues() | Stop() | Suspend() | Unsuspend():
                self.reader_cmds.append(command)  # in order with the opening of sources
                self.reader_wake.set()
            case SetVolume(percent=percent, ramp_s=ramp):
                gain = percent_to_gain(percent)
                self.ops.append(lambda now: self.mixer.set_master(gain, ramp))
            case SetCeiling(percent=percent):
                gain = percent_to_gain(percent)
                self.ops.append(lambda now: self.mixer.set_ceiling(gain))
            case Pause(fade_s=fade):
                self.ops.append(lambda now: self.mixer.pause(fade))
            case Resume(fade_s=fade):
                self.ops.append(lambda now: self.mixer.resume(fade))
            case BlsSpeed(id=set_id, speed=speed):
                self.ops.append(lambda now: self._bls_speed(set_id, speed))
            case BlsStop(id=set_id):
                self.ops.append(lambda now: self._bls_stop(set_id))
            case Close(fade_s=fade):
                self.request_exit(fade)
            case Ping(t=t):
                self.events.append(Pong(t, self.frames))
            case _:
                self.events.append(Problem(f"unknown engine command {command!r}"))

    # -- audio callback ------------------------------------------------------------------
    def render(self, frames: int) -> np.ndarray:
        """The device callback: apply ready commands, mix ready samples, count underruns."""
        now = time.monotonic()
        if self._last_call:
            interval = now - self._last_call
            self.max_interval = max(self.max_interval, interval)
            if interval > 0.015 and len(self.slow_calls) < 20:
                self.slow_calls.append((round(self.frames / RATE, 3), round(interval * 1000, 1)))
        self._last_call = now
        now = self._sample_clock(now)
        try:
            while self.ops:
                self.ops.popleft()(now)
            self._advance_slots(frames, now)
            block = self.mixer.render(frames)
            if self.bls_sets:
                self._bls_news(block, now)
            self._mixer_events(now)
        except Exception as error:  # never let an exception reach miniaudio's thread
            self.events.append(Problem(f"render: {error!r}"))
            import numpy as np

            block = np.zeros((frames, 2), dtype=np.float32)
        self.frames += frames
        self.max_render = max(self.max_render, time.monotonic() - now)
        if self.frames >= self._next_position:
            self._next_position = self.frames + int(POSITION_EVERY_S * RATE)
            self._report(now)
        return block

    def _report(self, now: float) -> None:
        underruns = self.underrun_base
        positions = {}
        for slot, stream in self.slots.items():
            positions[slot] = SlotPosition(stream.info.id,
                                           max(0.0, stream.consumed / RATE - self.latency_s))
        for stream in self.streams.values():
            underruns += stream.underruns
        self.underruns = max(self.underruns, underruns)
        self.events.append(Position(positions, self.frames, self.mixer.paused))
        if self.underruns > self._reported_underruns:
            self.events.append(Underrun(self.underruns - self._reported_underruns, self.underruns))
            self._reported_underruns = self.underruns
