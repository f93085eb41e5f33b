"""The audio engine process: decodes ahead, mixes in the device callback, reports back over a pipe.

Runs in a child process (multiprocessing "spawn"), so the UI's garbage collector can
never hold up the sound. Three threads share the work:

- the main thread receives commands from the pipe and sends events back; it watches the
  parent and, when the parent dies (EOF on the pipe or the parent's sentinel), fades the
  sound out over a few seconds and exits: the engine never outlives its parent;
- the reader thread opens sources and decodes each playing one ahead into a bounded
  buffer (`streams.Stream`, ~1.5 s), and opens a queued next track early;
- the device's callback (`Engine.render`) drains ready operations from a deque at the
  start of each block, then mixes only samples already decoded; a late reader means
  silence for that source and a counted underrun, never a wait.

Play requests address a *slot* ("music", "holding", ...): a new play in a slot fades out
whatever the slot held; `queue` plays a track after the current one, overlapping by a
crossfade, started on the exact frame by the callback (with no crossfade, joined gaplessly:
a file after a file at the same rate continues its resampling). Times given as "monotonic T" are
placed on the sample clock: frames rendered plus the device's latency.
"""

from __future__ import annotations

import collections
import importlib
import os
import signal
import statistics
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING

from companion.audio.levels import db_to_gain, percent_to_gain
from companion.audio.outputs import RATE, OutputInfo, open_output, raise_priority
from companion.audio.protocol import (Bls, BlsEnded, BlsOnset, BlsSpeed, BlsStarted, BlsStop, Close,
                                      Closed, Command, Cue, EngineEvent, Ended, Failed,
                                      FailedToStart, Pause, Ping, Play, Pong, Position, Problem,
                                      Queue, Ready, Resume, SetCeiling, SetVolume, SlotPosition,
                                      Started, Stop, Suspend, Underrun, Unsuspend, WithdrawCues)
from companion.audio.streams import DECODE_BLOCK, Stream, StreamInfo

if TYPE_CHECKING:
    from companion.audio.protocol import SourceSpec

PARENT_GONE_FADE_S = 3.0  # when the UI dies: fade out over this, then exit
POSITION_EVERY_S = 0.5
EXIT_MARGIN_S = 0.2
PREFILL_S = 0.25  # decoded before a stream is handed to the callback
CUE_PREFILL_S = 10.0  # cues are short: decode them whole when they are opened
CLOCK_WINDOW = 63  # callbacks (0.63 s at 10 ms) whose median arrival sets the sample clock


def _path(source: SourceSpec) -> str | None:
    return None if source.file is None else str(source.file)


def _stream_info(command: Play | Queue, at: float | None) -> StreamInfo:
    """What the engine keeps about a play or a queued track."""
    return StreamInfo(command.id, command.slot, _path(command.source), db_to_gain(command.gain_db),
                      command.fade_in, command.fade_out, command.overlap, at)


def engine_main(conn: Connection, output: str, env: dict[str, str], options: dict) -> None:
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


class Engine:
    """The engine inside the child process (see the module docstring)."""

    def __init__(self, conn: Connection, output: str, options: dict) -> None:
        from companion.audio.mixer import Mixer

        self.conn = conn
        self.output_name = output
        self.options = options
        self.orphan_fade_s = float(options.get("orphan_fade_s", PARENT_GONE_FADE_S))
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
            out = open_output(self.output_name, period_ms=self.options.get("period_ms", 10),
                              chunk_ms=self.options.get("chunk_ms", 500))
        except AudioDeviceError as error:
            self._send(FailedToStart(str(error)))
            return
        self.output = out
        self.latency_s = out.latency_s
        # A new stream must hold more than one pull (simpleaudio pulls whole 500 ms buffers).
        self.prefill_s = max(PREFILL_S, 2 * out.period_frames / RATE)
        # Import the decoders now: an import on the reader thread would hold the GIL for
        # tens of milliseconds while the first track starts, and the callback would miss its turn.
        for module in ("companion.audio.decode", "companion.audio.soundscapes"):
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
                self.ops.append(lambda now: self._bls_call(set_id, "set_speed", speed))
            case BlsStop(id=set_id):
                self.ops.append(lambda now: self._bls_call(set_id, "stop"))
            case Close(fade_s=fade):
                self.request_exit(fade)
            case Ping(t=t):
                self.events.append(Pong(t, self.frames))
            case _:
                self.events.append(Problem(f"unknown engine command {command!r}"))

    # -- reader thread -------------------------------------------------------------------
    def _reader_loop(self) -> None:
        raise_priority(10)
        while self._running:
            while self.reader_cmds:
                command = self.reader_cmds.popleft()
                try:
                    self._reader_command(command)
                except Exception as error:  # a bad request is reported, the engine goes on
                    self.events.append(Problem(f"{type(command).__name__}: {error}"))
            busiest = None
            for stream in list(self.streams.values()) + list(self.queued.values()):
                want = stream.wants()
                if want >= DECODE_BLOCK and (busiest is None or want > busiest[0]):
                    busiest = (want, stream)
            if busiest is not None:
                busiest[1].fill()  # a decoder failure is reported when its sound has played out
                continue
            self._reap()
            self.reader_wake.wait(0.05)
            self.reader_wake.clear()

    def _open(self, info: StreamInfo, source: SourceSpec, prefill_s: float,
              follows: Stream | None = None) -> Stream | None:
        from companion.audio.decode import open_source

        try:
            stream = Stream(open_source(source, follows.source if follows else None), info)
            stream.prefill(prefill_s)
        except Exception as error:  # AudioError above all; anything else is still this file's fault
            self._failed(info, str(getattr(error, "reason", None) or error))
            return None
        if stream.error and stream.produced == 0:
            self._failed(info, stream.error)
            stream.release()
            return None
        return stream

    def _failed(self, info: StreamInfo, reason: str) -> None:
        self.events.append(Failed(info.id, info.slot, info.path, reason))

    def _reader_command(self, command: Command) -> None:
        match command:
            case Play():
                stream = self._open(_stream_info(command, command.at), command.source,
                                    self.prefill_s)
                if stream is not None:
                    self.ops.append(lambda now: self._start(stream, now))
            case Queue(slot=slot, overlap=overlap, fade_in=fade_in):
                # Joined gaplessly, a file continues the resampling of the one playing (same rate).
                follows = self.slots.get(slot) if overlap <= 0 and fade_in <= 0 else None
                stream = self._open(_stream_info(command, None), command.source, self.prefill_s,
                                    follows)
                if stream is not None:
                    self.ops.append(lambda now: self._set_queued(stream))
            case Cue(duck_db=duck):
                info = StreamInfo(command.id, "cue", _path(command.source),
                                  db_to_gain(command.gain_db), at=command.at)
                stream = self._open(info, command.source, CUE_PREFILL_S)
                if stream is not None:
                    self.ops.append(lambda now: self._cue(stream, duck, now))
            case Bls():
                self._open_bls(command)
            case WithdrawCues():  # here, in order with the cues still being opened
                self.ops.append(lambda now: self.mixer.withdraw_cues())
            case Stop(slot=slot, fade_s=fade):
                self.ops.append(lambda now: self._stop_slot(slot, fade))
            case Suspend(slot=slot, fade_s=fade):
                self.ops.append(lambda now: self._suspend(slot, fade))
            case Unsuspend(slot=slot, fade_s=fade):
                self.ops.append(lambda now: self._unsuspend(slot, fade))

    # -- bilateral sets (companion/audio/bilateral.py makes the sound) ----------------------
    def _open_bls(self, command: Bls) -> None:
        """Build a set's source on the reader thread (a sample file is decoded here)."""
        from companion.audio.bilateral import MusicSway, open_bilateral

        try:
            source = open_bilateral(command)
        except Exception as error:  # an unreadable sample or a bad field: reported, not fatal
            self.events.append(Failed(command.id, "bls", command.file,
                                      str(getattr(error, "reason", None) or error)))
            return
        set_id, at, gain = command.id, command.at, db_to_gain(command.gain_db)
        duck = command.duck_db

        def start(now: float) -> None:
            frame = self.frame_for(at, now)
            start_frame = self.frames if frame is None else frame
            if isinstance(source, MusicSway):
                source.start_frame = start_frame
                self.mixer.set_music_filter(source)  # pans the music bus only
            else:
                self.mixer.cue(set_id, source, gain, at_frame=frame, duck_db=duck)
            self.bls_sets[set_id] = (source, start_frame)
            self.events.append(BlsStarted(set_id, self.heard_at(start_frame, now), start_frame))

        self.ops.append(start)

    def _bls_call(self, set_id: str, method: str, *args) -> None:
        entry = self.bls_sets.get(set_id)
        if entry is not None:
            getattr(entry[0], method)(*args)

    def _bls_news(self, block, now: float) -> None:
        """Report each set's passes on the sample clock."""
        from companion.audio.bilateral import MusicSway

        for set_id, (source, start_frame) in list(self.bls_sets.items()):
            for onset in source.drain_onsets():
                frame = start_frame + onset.frame
                self.events.append(BlsOnset(set_id, onset.number, onset.side,
                                            self.heard_at(frame, now), frame))
            if source.finished:
                del self.bls_sets[set_id]
                if isinstance(source, MusicSway):
                    self.mixer.set_music_filter(None)
                self.events.append(BlsEnded(set_id, source.passes_done, source.reason or "end",
                                            self.heard_at(self.frames + len(block), now)))

    def _reap(self) -> None:
        """Close sources the mixer has finished with (in the reader, never the callback)."""
        for sid, stream in list(self.streams.items()):
            if stream.done:
                del self.streams[sid]
                self.underrun_base += stream.underruns
                stream.release()

    # -- audio callback ------------------------------------------------------------------
    def frame_for(self, at: float | None, now: float) -> int | None:
        """The mixer frame heard at monotonic time `at` (None: as soon as possible)."""
        if at is None:
            return None
        frame = self.frames + round((at - now - self.latency_s) * RATE)
        return frame if frame > self.frames else None

    def heard_at(self, frame: int, now: float) -> float:
        """The monotonic time at which mixer frame `frame` reaches the listener."""
        return now + self.latency_s + (frame - self.frames) / RATE

    def _start(self, stream: Stream, now: float) -> None:
        info = stream.info
        old = self.slots.get(info.slot)
        self._drop_queued(info.slot)
        at_frame = self.frame_for(info.at, now)
        self._attach(stream, stream.info.id)
        if old is not None and self.mixer.has_voice(old.voice):
            if info.overlap > 0 and at_frame is None and not old.fading:
                # Equal power: the level holds through the change.
                self.mixer.crossfade(old.voice, stream.voice, stream, info.overlap, info.gain)
                self._started(stream, self.frames, now)
                return
            self.mixer.stop(old.voice, max(info.overlap, 0.01))
        self.mixer.play(stream.voice, stream, info.gain, info.fade_in, at_frame=at_frame)
        self._started(stream, at_frame if at_frame is not None else self.frames, now)

    def _attach(self, stream: Stream, voice: str) -> None:
        stream.voice = voice
        self.streams[stream.info.id] = stream
        self.slots[stream.info.slot] = stream
        self.by_voice[voice] = stream

    def _started(self, stream: Stream, frame: int, now: float) -> None:
        info = stream.info
        seconds = stream.total / RATE if stream.total is not None else None
        self.events.append(Started(info.id, info.slot, info.path, seconds,
                                   self.heard_at(frame, now)))

    def _set_queued(self, stream: Stream) -> None:
        slot = stream.info.slot
        current = self.slots.get(slot)
        if current is None or not self.mixer.has_voice(current.voice):
            self._start(stream, time.monotonic())
            return
        self._drop_queued(slot)
        self.queued[slot] = stream

    def _drop_queued(self, slot: str) -> None:
        stream = self.queued.pop(slot, None)
        if stream is not None:
            stream.done = True
            self.streams[stream.info.id] = stream  # so the reader closes it

    def _cue(self, stream: Stream, duck_db: float, now: float) -> None:
        stream.voice = stream.info.id
        self.streams[stream.info.id] = stream
        self.cues[stream.info.id] = stream
        self.mixer.cue(stream.info.id, stream, stream.info.gain,
                       at_frame=self.frame_for(stream.info.at, now), duck_db=duck_db)

    def _stop_slot(self, slot: str, fade_s: float) -> None:
        self._drop_queued(slot)
        stream = self.slots.pop(slot, None)
        if stream is not None and self.mixer.has_voice(stream.voice):
            self.mixer.stop(stream.voice, max(fade_s, 0.01))

    def _suspend(self, slot: str, fade_s: float) -> None:
        stream = self.slots.get(slot)
        if stream is None or stream.frozen:
            return
        self.mixer.fade_to(stream.voice, 0.0, max(fade_s, 0.01))
        stream.freeze_after(int(max(fade_s, 0.01) * RATE))

    def _unsuspend(self, slot: str, fade_s: float) -> None:
        stream = self.slots.get(slot)
        if stream is None:
            return
        stream.thaw()
        self.mixer.fade_to(stream.voice, stream.info.gain, max(fade_s, 0.01))

    def _advance_slots(self, frames: int, now: float) -> None:
        """Start queued tracks on their frame, so a crossfade ends as the current track ends."""
        if self.mixer.paused:
            return
        for slot, current in list(self.slots.items()):
            if current is None or current.frozen:
                continue
            remaining = current.remaining()
            if remaining is None:
                continue  # length unknown: the next track starts when this one ends
            nxt = self.queued.get(slot)
            overlap = round(nxt.info.overlap * RATE) if nxt is not None else 0
            if nxt is not None and remaining <= overlap + frames:
                del self.queued[slot]
                self._hand_over(current, nxt, remaining, now)
                continue
            fade_out = current.info.fade_out
            if fade_out > 0 and not current.fading and remaining <= fade_out * RATE + frames:
                current.fading = True
                self.mixer.stop(current.voice, max(remaining / RATE, 0.01))

    def _hand_over(self, current: Stream, nxt: Stream, remaining: int, now: float) -> None:
        """Start `nxt` so that it has faded in (or joined) as `current` ends."""
        info = nxt.info
        overlap = round(info.overlap * RATE)
        if overlap <= 0 and info.fade_in <= 0 and not current.fading:
            # Gapless: the mixer joins the two sources sample-exactly on one voice.
            current.successor = nxt
            self.mixer.enqueue(current.voice, nxt)
            nxt.voice = current.voice
            self.streams[info.id] = nxt
            self.slots[info.slot] = nxt
            self._started(nxt, self.frames + max(remaining, 0), now)
            return
        if overlap > 0 and not current.fading:
            # Equal power, ending exactly as the current track ends (it may begin a block early).
            current.fading = True
            self._attach(nxt, info.id)
            self.mixer.crossfade(current.voice, nxt.voice, nxt, max(remaining / RATE, 0.01), info.gain)
            self._started(nxt, self.frames, now)
            return
        start = self.frames + max(0, remaining - overlap)
        self._attach(nxt, info.id)
        self.mixer.play(nxt.voice, nxt, info.gain, info.fade_in, at_frame=start)
        self._started(nxt, start, now)

    def _mixer_events(self, now: float) -> None:
        for event in self.mixer.drain_events():
            if event.kind == "cue_ended":
                cue = self.cues.pop(event.voice_id, None)
                if cue is not None:
                    cue.done = True
                continue
            if event.kind != "voice_ended":
                continue
            stream = self.by_voice.get(event.voice_id)
            if stream is None:
                continue
            successor = stream.successor
            if successor is not None and event.reason == "end":
                self.by_voice[event.voice_id] = successor  # gapless: the voice plays on
            else:
                del self.by_voice[event.voice_id]
            stream.done = True
            info = stream.info
            if stream.error or event.reason == "failed":
                self._failed(info, stream.error or event.error)
            self.events.append(Ended(info.id, info.slot, event.reason, stream.consumed / RATE))
            if self.slots.get(info.slot) is stream:
                del self.slots[info.slot]
                nxt = self.queued.pop(info.slot, None)
                if nxt is not None:  # its length was unknown: start the next one at once
                    self._attach(nxt, nxt.info.id)
                    self.mixer.play(nxt.voice, nxt, nxt.info.gain, nxt.info.fade_in)
                    self._started(nxt, self.frames, now)

    def _sample_clock(self, now: float) -> float:
        """This callback's monotonic time as the sample clock keeps it.

        Callbacks arrive unevenly: late when the machine is busy, in a burst when the device
        starts. Timed on arrival, a late callback would place every cue and start it handles
        off by as much (3 ms seen under load), so two cues meant 0.5 s apart came 0.497 s
        apart. The median arrival of the last CLOCK_WINDOW callbacks, carried forward by the
        frames rendered since, is steady; the earliest would follow the start-up burst.
        """
        self._arrivals.append(now - self.frames / RATE)
        return statistics.median(self._arrivals) + self.frames / RATE

    def render(self, frames: int):
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
