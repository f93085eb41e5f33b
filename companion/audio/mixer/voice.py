"""One voice of the mixer: a source with its gain ramp and a short look-ahead to fade out softly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from companion.audio.mixer.ramp import Ramp


class Readable(Protocol):
    """What the mixer plays: a source of float32 stereo frames at the mixer's rate."""

    def read(self, frames: int) -> np.ndarray:
        """Up to `frames` frames as an (n, 2) float32 array; fewer only at the end."""
        ...


@dataclass(frozen=True)
class MixerEvent:
    """Something that happened while rendering, for the engine to pass on.

    kind: "voice_started" | "voice_ended" | "cue_started" | "cue_ended".
    reason (for the *_ended kinds): "end" (source ran out), "stopped" (stop/crossfade/replace
    finished its fade), "failed" (the source raised; `error` holds the message).
    frame: the mixer frame at which it happened (sample clock): for *_started the exact first
    frame of the source; for reason "end"/"failed" the frame after its last sample; for
    "stopped" the end of the block in which its fade finished. For a gapless join made with
    `enqueue`, voice_ended(end) is followed by voice_started under the same id on the join
    frame, and the voice keeps playing.
    """

    kind: str
    voice_id: str
    reason: str = ""
    frame: int = 0
    error: str = ""


class Voice:
    """One playing source with its gain ramp and a short look-ahead for de-click fades."""

    def __init__(self, report_id: str, source: Readable, gain: float, start: int, cue: bool,
                 tail: int) -> None:
        self.report_id = report_id
        self.source = source
        self.queue: list[Readable] = []
        self.ramp = Ramp(0.0)
        self.ramp.set(gain, 0)
        self.start = start
        self.started = False
        self.cue = cue
        self.duck = 1.0
        self.stopping = False      # remove (reason "stopped") when the ramp reaches zero
        self.source_done = False   # the source has delivered its last frame into `hold`
        self.failed = ""
        self.tail = tail
        self.hold = np.zeros((4096 + tail, 2), dtype=np.float32)
        self.held = 0

    def _fade_tail(self, end: int) -> None:
        """Fade the last `tail` held frames before `end` to silence (an abrupt end or failure)."""
        k = min(self.tail, end)
        if k > 0:
            self.hold[end - k:end] *= np.linspace(1.0, 0.0, k + 1, dtype=np.float32)[1:, None]

    def pull(self, n: int, frame: int, events: list[MixerEvent]) -> int:
        """Make the next n output frames available at hold[:m]; return m (< n: the voice ends)."""
        if self.source_done:
            return min(n, self.held)
        want = n + self.tail - self.held
        if want > 0:
            if len(self.hold) < n + self.tail:
                grown = np.zeros((n + self.tail, 2), dtype=np.float32)
                grown[:self.held] = self.hold[:self.held]
                self.hold = grown
            while want > 0 and not self.source_done:
                try:
                    data = self.source.read(want)[:want]
                    got = len(data)
                    if got:
                        self.hold[self.held:self.held + got] = data
                except Exception as exc:  # AudioError above all (or a malformed block):
                    self.failed = str(exc) or type(exc).__name__   # nothing escapes render()
                    self.source_done = True
                    self._fade_tail(self.held)
                    close_quietly(self.source)
                    break
                if got:
                    self.held += got
                    want -= got
                if want > 0:               # the source has ended
                    close_quietly(self.source)
                    if self.queue:         # gapless: the next source continues on this sample
                        self.source = self.queue.pop(0)
                        join = frame + self.held
                        events.append(MixerEvent("voice_ended", self.report_id, "end", join))
                        events.append(MixerEvent("voice_started", self.report_id, "", join))
                    else:
                        self.source_done = True
                        self._fade_tail(self.held)
        return min(n, self.held)

    def consume(self, m: int) -> None:
        """Drop the first m held frames (they have been mixed)."""
        rest = self.held - m
        if rest > 0:
            self.hold[:rest] = self.hold[m:self.held]
        self.held = rest


def close_quietly(source: object) -> None:
    """Close `source` if it can be closed; a failure to close is not the mix's problem."""
    close = getattr(source, "close", None)
    if close is not None:
        try:
            close()
        except Exception:  # a failing close must not break the mix; the source is done anyway
            pass
