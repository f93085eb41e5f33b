"""What plays in each slot: starts, crossfades, gapless joins, stops and suspends, on the callback.

These methods run in the device callback (handed over by the reader as ready operations;
`_failed` is called from the reader thread too), so none of them waits or touches the disk.
"""

from __future__ import annotations

import collections
import time
from typing import TYPE_CHECKING

from companion.audio.engine.clock import SampleClock
from companion.audio.outputs import RATE
from companion.audio.protocol import Ended, EngineEvent, Failed, Started
from companion.audio.streams import Stream, StreamInfo

if TYPE_CHECKING:
    from companion.audio.mixer import Mixer


class Slots(SampleClock):
    """Play requests address a slot ("music", "holding", ...); cues sound over them."""

    mixer: Mixer
    events: collections.deque[EngineEvent]
    streams: dict[str, Stream]
    """Every stream the mixer may read (the reader fills these)."""
    slots: dict[str, Stream]
    """Slot -> the stream playing in it."""
    queued: dict[str, Stream]
    """Slot -> the next stream, opened early."""
    by_voice: dict[str, Stream]
    """Mixer voice id -> the stream it plays now."""
    cues: dict[str, Stream]

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

    def _failed(self, info: StreamInfo, reason: str) -> None:
        self.events.append(Failed(info.id, info.slot, info.path, reason))

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
