"""Bilateral sets in the engine: started on their frame, re-speeded, stopped, their passes told.

`companion/audio/bilateral/` makes the sound; here it is put on the timeline (a cue
voice, or the music filter for the sway) and its onsets become events on the sample clock.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import TYPE_CHECKING

from companion.audio.engine.clock import SampleClock
from companion.audio.levels import db_to_gain
from companion.audio.protocol import Bls, BlsEnded, BlsOnset, BlsStarted, EngineEvent, Failed

if TYPE_CHECKING:
    import numpy as np

    from companion.audio.bilateral import BilateralSource, MusicSway
    from companion.audio.mixer import Mixer


class BilateralSets(SampleClock):
    """The bilateral sets sounding now, by id."""

    mixer: Mixer
    events: collections.deque[EngineEvent]
    ops: collections.deque[Callable[[float], None]]
    bls_sets: dict[str, tuple[BilateralSource | MusicSway, int]]
    """Set id -> (its source, its first mixer frame)."""

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

    def _bls_speed(self, set_id: str, speed: float) -> None:
        entry = self.bls_sets.get(set_id)
        if entry is not None:
            entry[0].set_speed(speed)

    def _bls_stop(self, set_id: str) -> None:
        entry = self.bls_sets.get(set_id)
        if entry is not None:
            entry[0].stop()

    def _bls_news(self, block: np.ndarray, now: float) -> None:
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
