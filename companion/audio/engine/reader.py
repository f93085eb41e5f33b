"""The engine's reader thread: opens sources and decodes every playing one ahead of the callback.

Commands that open something (play, queue, cue, a bilateral set) and those that must stay in
order with them (stop, suspend, withdraw cues) come here first; what they change in the mix is
handed to the callback as a ready operation, applied at the start of its next block.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable

from companion.audio.engine.bls import BilateralSets
from companion.audio.engine.slots import Slots
from companion.audio.levels import db_to_gain
from companion.audio.outputs import raise_priority
from companion.audio.protocol import (Bls, Command, Cue, Play, Problem, Queue, SourceSpec, Stop,
                                      Suspend, Unsuspend, WithdrawCues)
from companion.audio.streams import DECODE_BLOCK, Stream, StreamInfo

PREFILL_S = 0.25  # decoded before a stream is handed to the callback
CUE_PREFILL_S = 10.0  # cues are short: decode them whole when they are opened


def _path(source: SourceSpec) -> str | None:
    return None if source.file is None else str(source.file)


def _stream_info(command: Play | Queue, at: float | None) -> StreamInfo:
    """What the engine keeps about a play or a queued track."""
    return StreamInfo(command.id, command.slot, _path(command.source), db_to_gain(command.gain_db),
                      command.fade_in, command.fade_out, command.overlap, at)


class Reader(Slots, BilateralSets):
    """The reader thread's part of the engine."""

    ops: collections.deque[Callable[[float], None]]
    reader_cmds: collections.deque[Command]
    reader_wake: threading.Event
    prefill_s: float
    underrun_base: int
    _running: bool

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

    def _reap(self) -> None:
        """Close sources the mixer has finished with (in the reader, never the callback)."""
        for sid, stream in list(self.streams.items()):
            if stream.done:
                del self.streams[sid]
                self.underrun_base += stream.underruns
                stream.release()
