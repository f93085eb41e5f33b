"""Where BLS sets sound: the audio port a session talks to, over the engine or a silent clock.

`EngineAudio` asks the audio engine for each set and hands back its news; `ClockAudio`
reports passes as the engine would, timed by a clock, for tests. Both level nothing
themselves: `level_offset_db` says how far a set's gain moves to sit over the music.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from companion.audio.protocol import BlsEnded, BlsOnset, BlsStarted, EngineEvent, Failed
from companion.clock import Clock

if TYPE_CHECKING:
    from companion.audio.port import EnginePort


News = BlsStarted | BlsOnset | BlsEnded | Failed
"""What the audio tells about its sets (`companion.audio.protocol`)."""


class Audio(Protocol):
    """Where sets sound: start, re-speed and stop them; news comes back from `poll()`.

    News is the engine's: `BlsStarted`, `BlsOnset`, `BlsEnded`, `Failed`.
    """

    def start(self, fields: Mapping[str, Any], at: float | None) -> str:
        """Start a set (Preset.sound_fields) heard from monotonic time `at`; returns its id."""
        ...

    def set_speed(self, set_id: str, speed: float) -> None:
        """Continue the set at `speed` cycles/s from where its sound is."""
        ...

    def stop(self, set_id: str) -> None:
        """Stop the set at once, softly."""
        ...

    def poll(self) -> list[News]:
        """News since the last call."""
        ...


#: A preset's gain_db that plays at exactly `playback.bilateral_above_music` over the music;
#: other gains move it from there (the built-in `resource` preset sits 6 dB lower).
PRESET_REFERENCE_GAIN_DB = -6.0


def level_offset_db(fields: Mapping[str, Any], target_lufs: float, above_music_lu: float) -> float:
    """The dB to add to a BLS set's own gain so that a preset at -6 dB plays `above_music_lu`
    above music levelled to `target_lufs`. The music sway and a clinician's sample are not
    levelled (the sway is the music itself; a sample keeps its own level)."""
    from companion.audio.bilateral import REFERENCE_LUFS

    reference = REFERENCE_LUFS.get((str(fields.get("sound")), str(fields.get("pan"))))
    if reference is None:
        return 0.0
    return target_lufs + above_music_lu - reference - PRESET_REFERENCE_GAIN_DB


class EngineAudio:
    """Sets through the audio engine (`AudioEngine.bls*`); news from its events.

    Standalone it polls the engine itself; inside a session the controller owns the
    engine's events and hands the `bls_*` ones to `feed()` (pass `own_events=False`).
    """

    def __init__(self, engine: EnginePort, own_events: bool = True,
                 level: tuple[float, float] | None = None) -> None:
        """level: (loudness target, LU above the music) to level each set to, as a session
        does (`level_offset_db`); None: each set plays at its preset's own gain."""
        self.engine = engine
        self.own_events = own_events
        self.level = level
        self._news: list[News] = []

    def start(self, fields: Mapping[str, Any], at: float | None) -> str:
        """Start a set on the engine."""
        fields = dict(fields)
        if self.level is not None:
            fields["gain_db"] = fields.get("gain_db", PRESET_REFERENCE_GAIN_DB) + level_offset_db(
                fields, *self.level)
        return self.engine.bls(**fields, at=at)

    def set_speed(self, set_id: str, speed: float) -> None:
        """Re-speed the set in the engine."""
        self.engine.bls_speed(set_id, speed)

    def stop(self, set_id: str) -> None:
        """Stop the set in the engine (a short fade)."""
        self.engine.bls_stop(set_id)

    def feed(self, event: EngineEvent) -> None:
        """Take one engine event (from a session's event loop)."""
        if isinstance(event, (BlsStarted, BlsOnset, BlsEnded, Failed)):
            self._news.append(event)

    def poll(self) -> list[News]:
        """The engine's BLS news since the last call."""
        if self.own_events:
            for event in self.engine.poll_events():
                self.feed(event)
        news, self._news = self._news, []
        return news


class ClockAudio:
    """A silent stand-in that reports passes as the engine would, timed by `clock` (for tests)."""

    def __init__(self, clock: Clock) -> None:
        from companion.audio.bilateral import PassClock

        self._make = PassClock
        self.clock = clock
        self.sets: dict[str, dict] = {}
        self._ids = 0
        self.started: list[dict] = []
        """Every set asked for (its fields), in order."""

    def start(self, fields: Mapping[str, Any], at: float | None) -> str:
        """Remember the set; its passes come due on the clock."""
        self._ids += 1
        set_id = f"set{self._ids}"
        begin = self.clock() if at is None else at
        rate = 1000
        limit = None if fields.get("seconds") is None else int(fields["seconds"] * rate)
        first = -0.5 if fields.get("sound") == "music" else 0.0
        pc = self._make(fields.get("speed", 1.0), rate, first, fields.get("passes"), limit)
        self.sets[set_id] = {"clock": pc, "begin": begin, "rate": rate, "stopped": None,
                             "told": False}
        self.started.append(dict(fields))
        return set_id

    def set_speed(self, set_id: str, speed: float) -> None:
        """Change speed from the clock's now."""
        s = self.sets.get(set_id)
        if s is not None and not s["clock"].closed:
            s["clock"].set_speed(speed, self._frame(s, self.clock()))

    def stop(self, set_id: str) -> None:
        """Stop now."""
        s = self.sets.get(set_id)
        if s is not None and s["stopped"] is None:
            s["stopped"] = self.clock()
            s["clock"].closed = True

    @staticmethod
    def _frame(s: dict, t: float) -> int:
        return max(0, int(math.floor((t - s["begin"]) * s["rate"])))

    def poll(self) -> list[News]:
        """Passes due by now, and sets that have ended."""
        now = self.clock()
        news: list[News] = []
        for set_id, s in list(self.sets.items()):
            pc, rate = s["clock"], s["rate"]
            if not s["told"]:  # as the engine does once the set is on its timeline
                s["told"] = True
                news.append(BlsStarted(set_id, s["begin"]))
            upto = self._frame(s, now) + 1
            for frame, k in pc.onsets(0, upto):
                news.append(BlsOnset(set_id, k + 1, ("left", "right")[k % 2],
                                     s["begin"] + frame / rate))
            if s["stopped"] is not None or pc.last_pass_done():
                reason = "stopped" if s["stopped"] is not None else "end"
                end = s["stopped"] if s["stopped"] is not None else now
                news.append(BlsEnded(set_id, pc.next_pass, reason, end))
                del self.sets[set_id]
        return news
