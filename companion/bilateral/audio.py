"""Where BLS sets sound: the audio port a session talks to, over the engine or a silent clock.

`EngineAudio` asks the audio engine for each set and hands back its news; `ClockAudio`
reports passes as the engine would, timed by a clock, for tests. Both level nothing
themselves: `level_offset_db` says how far a set's gain moves to sit over the music.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from companion.clock import Clock

if TYPE_CHECKING:
    from companion.audio.port import EnginePort


class Audio(Protocol):
    """Where sets sound: start, re-speed and stop them; news comes back from `poll()`.

    News is (kind, fields): `bls_onset` (id, pass, side, at), `bls_ended` (id, passes,
    reason, at), `failed` (id, reason).
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

    def poll(self) -> list[tuple[str, dict]]:
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

    KINDS = ("bls_started", "bls_onset", "bls_ended", "failed")

    def __init__(self, engine: EnginePort, own_events: bool = True,
                 level: tuple[float, float] | None = None) -> None:
        """level: (loudness target, LU above the music) to level each set to, as a session
        does (`level_offset_db`); None: each set plays at its preset's own gain."""
        self.engine = engine
        self.own_events = own_events
        self.level = level
        self._news: list[tuple[str, dict]] = []

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

    def feed(self, kind: str, fields: dict) -> None:
        """Take one engine event (from a session's event loop)."""
        if kind in self.KINDS:
            self._news.append((kind, fields))

    def poll(self) -> list[tuple[str, dict]]:
        """The engine's BLS news since the last call."""
        if self.own_events:
            for event in self.engine.poll_events():
                self.feed(event.kind, event.fields)
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

    def poll(self) -> list[tuple[str, dict]]:
        """Passes due by now, and sets that have ended."""
        now = self.clock()
        news: list[tuple[str, dict]] = []
        for set_id, s in list(self.sets.items()):
            pc, rate = s["clock"], s["rate"]
            if not s["told"]:  # as the engine does once the set is on its timeline
                s["told"] = True
                news.append(("bls_started", {"id": set_id, "at": s["begin"]}))
            upto = self._frame(s, now) + 1
            for frame, k in pc.onsets(0, upto):
                news.append(("bls_onset", {"id": set_id, "pass": k + 1,
                                           "side": ("left", "right")[k % 2],
                                           "at": s["begin"] + frame / rate}))
            if s["stopped"] is not None or pc.last_pass_done():
                reason = "stopped" if s["stopped"] is not None else "end"
                end = s["stopped"] if s["stopped"] is not None else now
                news.append(("bls_ended", {"id": set_id, "passes": pc.next_pass,
                                           "reason": reason, "at": end}))
                del self.sets[set_id]
        return news
