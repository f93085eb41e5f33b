"""Bilateral stimulation (BLS) for EMDR: presets, sets, passes counted from the sample clock, SUD between sets.

For clinicians trained in EMDR. A *set* is a run of *passes* (one pass = the sound on one
side; one cycle = left then right, so passes/s = 2 x cycles/s), lasting a number of passes,
a number of seconds, or until stopped. The sound itself is made and timed by the audio
engine (`companion/audio/bilateral.py`); this module only asks for it and counts what the
engine reports: each pass arrives as an onset with the monotonic time it is heard, and the
counter moves when that time comes, so what the therapist sees follows what the client
hears, whatever the screen is doing.

`BilateralSession` is the plain-Python controller behind the BLS panel and `companion bls`:
it starts, re-speeds and stops sets through an audio port (`EngineAudio` over the engine;
`ClockAudio`, a silent stand-in driven by a clock, for tests), keeps the sets and SUD
ratings, and reports record events through `on_event(type, fields)`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from companion.clock import Clock
from companion.errors import UsageError
from companion.record import events as ev
from companion.record.events import EventSink, NewEvent

MIN_SPEED, MAX_SPEED = 0.2, 2.0  # as in companion.audio.bilateral (kept apart: no NumPy here)
"""Cycles per second (one cycle = left then right)."""
SPEED_STEP = 0.1
DEFAULT_SPEED = 1.0
DEFAULT_PASSES = 24
SOUNDS = ("tone", "click", "music")
"""Built-in sounds; any other value is a file (the clinician's own short sample)."""
PANS = ("hard", "smooth")
LEAD_S = 0.25
"""A set is asked for this far ahead, so its first pass lands on its sample."""
CHECK_SPEED = 0.25
"""The left-right check: one tone in the left ear, then one in the right, 2 s apart."""


@dataclass(frozen=True)
class Preset:
    """A named way of running a set: speed, length, sound, panning and level."""

    name: str
    title: str = ""
    speed: float = DEFAULT_SPEED
    """Cycles per second, 0.2-2.0."""
    passes: int | None = DEFAULT_PASSES
    """Passes per set (None with `seconds` None: until stopped)."""
    seconds: float | None = None
    """Seconds per set (instead of passes)."""
    sound: str = "tone"
    """tone, click, music (sway the music), or a file path (a short sample)."""
    pan: str = "hard"
    """hard: each pass in one ear; smooth: the sound glides between the ears."""
    hz: float = 500.0
    """The tone's pitch."""
    depth: float = 60.0
    """Music sway depth, percent (0: none, 100: fully from ear to ear)."""
    gain_db: float = -6.0
    """The BLS sound's own level (under the master volume and the ceiling)."""
    duck_db: float = 0.0
    """How far the music dips under the BLS sound (0: not at all; -6 is about half)."""
    line: int = 0

    @property
    def label(self) -> str:
        """The title, or the name."""
        return self.title or self.name

    def length_text(self) -> str:
        """`24 passes`, `30 s` or `until stopped`."""
        if self.passes is not None:
            return f"{self.passes} passes"
        if self.seconds is not None:
            return f"{self.seconds:g} s"
        return "until stopped"

    def _sound_words(self) -> str:
        if self.sound == "music":
            return f"music sway {self.depth:g} %"
        sound = self.sound if self.sound in SOUNDS else Path(self.sound).name
        return f"{sound}, {self.pan}"

    def sound_text(self) -> str:
        """`tone, hard, 24 passes`: what it sounds like and how long."""
        return f"{self._sound_words()}, {self.length_text()}"

    def describe(self) -> str:
        """One line for lists: sound, speed and length."""
        return f"{self._sound_words()}, {speed_text(self.speed)}, {self.length_text()}"

    def sound_fields(self) -> dict[str, Any]:
        """What the engine needs to make this preset's sound."""
        builtin = self.sound in SOUNDS
        return {"sound": self.sound if builtin else "sample", "pan": self.pan,
                "speed": self.speed, "passes": self.passes, "seconds": self.seconds,
                "hz": self.hz, "file": None if builtin else str(self.sound),
                "depth": self.depth / 100.0, "gain_db": self.gain_db, "duck_db": self.duck_db}


BUILTIN_PRESETS: tuple[Preset, ...] = (
    Preset("processing", "Processing", speed=1.0, passes=24, sound="tone", pan="hard"),
    Preset("resource", "Resource", speed=0.5, passes=6, sound="tone", pan="smooth", hz=400.0,
           gain_db=-12.0),
)


def clamp_speed(speed: float) -> float:
    """`speed` within 0.2-2.0 cycles/s, rounded to a tenth."""
    return round(min(MAX_SPEED, max(MIN_SPEED, float(speed))), 2)


def speed_text(speed: float) -> str:
    """`1.0 cycles/s (2.0 passes/s)`: both units, so no one guesses which is meant."""
    return f"{speed:.1f} cycles/s ({2 * speed:.1f} passes/s)"


def from_playlist(specs: Iterable[Any]) -> tuple[Preset, ...]:
    """Presets from a playlist's `bilateral` section (model.BilateralSpec values)."""
    presets = []
    for spec in specs:
        sound = str(spec.file) if getattr(spec, "file", None) is not None else spec.sound
        presets.append(Preset(spec.name, spec.title, spec.speed, spec.passes, spec.seconds,
                              sound, spec.pan, spec.hz, spec.depth, spec.gain_db, spec.duck_db,
                              spec.line))
    return tuple(presets)


def all_presets(custom: Iterable[Preset] = ()) -> tuple[Preset, ...]:
    """Built-in presets, then the clinician's own (one of the same name replaces the built-in)."""
    own = {p.name: p for p in custom}
    builtin = tuple(own.pop(p.name, p) for p in BUILTIN_PRESETS)
    return builtin + tuple(own.values())


def find_preset(name: str, presets: Sequence[Preset]) -> Preset:
    """The preset called `name` (UsageError naming the choices if there is none)."""
    for preset in presets:
        if preset.name == name:
            return preset
    raise UsageError(f"no BLS preset {name!r} (choose from {', '.join(p.name for p in presets)})")


def customised(preset: Preset, *, speed: float | None = None, passes: int | None = None,
               seconds: float | None = None, sound: str | None = None,
               pan: str | None = None) -> Preset:
    """`preset` with command-line changes (a length given replaces the preset's length)."""
    changes: dict[str, Any] = {}
    if speed is not None:
        changes["speed"] = clamp_speed(speed)
    if passes is not None:
        changes.update(passes=passes, seconds=None)
    elif seconds is not None:
        changes.update(passes=None, seconds=seconds)
    if sound is not None:
        changes["sound"] = sound
    if pan is not None:
        changes["pan"] = pan
    return replace(preset, **changes)


# -- the audio port -------------------------------------------------------------------------


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

    def __init__(self, engine: Any, own_events: bool = True,
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


# -- sets ---------------------------------------------------------------------------------------


@dataclass
class SetState:
    """One set as it runs and as it ended (all times monotonic)."""

    number: int
    preset: Preset
    id: str = ""
    speed: float = DEFAULT_SPEED
    asked_at: float = 0.0
    started_at: float | None = None
    """When its first pass was heard."""
    ended_at: float | None = None
    passes: int = 0
    """Passes heard so far."""
    side: str | None = None
    """The side of the last pass heard."""
    last_onset: float | None = None
    first_frame: int | None = None
    """The sample-clock frame of its first pass (when the engine reports frames)."""
    last_frame: int | None = None
    speeds: list[float] = field(default_factory=list)
    stopped_early: bool = False
    sud_before: int | None = None
    sud_after: int | None = None
    ending: bool = False
    """Stop asked for; the engine's end is awaited."""
    confirmed: bool = False
    """The engine has the set on its timeline: speed changes and stops reach it."""
    waiting: dict[str, Any] = field(default_factory=dict)
    """A speed or stop asked for before the engine had the set (sent once it has)."""

    def onset_seconds(self, rate: int = 48000) -> float:
        """Seconds from the first pass to the last one heard, by the sample clock when known."""
        if self.first_frame is not None and self.last_frame is not None:
            return (self.last_frame - self.first_frame) / rate
        if self.started_at is None or self.last_onset is None:
            return 0.0
        return self.last_onset - self.started_at

    @property
    def running(self) -> bool:
        """Not yet ended."""
        return self.ended_at is None

    def seconds(self, now: float) -> float:
        """Seconds since its first pass was heard (to its end once ended)."""
        if self.started_at is None:
            return 0.0
        return max(0.0, (self.ended_at if self.ended_at is not None else now) - self.started_at)


class BilateralSession:
    """Runs sets one at a time, counts passes as they are heard, keeps SUDs; reports record events."""

    def __init__(self, audio: Audio, *, clock: Clock, presets: Sequence[Preset] = BUILTIN_PRESETS,
                 on_event: EventSink | None = None, lead_s: float = LEAD_S) -> None:
        self.audio = audio
        self.clock = clock
        self.presets = tuple(presets) or BUILTIN_PRESETS
        self.preset = self.presets[0]
        self.speed = self.preset.speed
        self.on_event = on_event
        self.lead_s = lead_s
        self.sets: list[SetState] = []
        self.sud: int | None = None
        """The latest SUD rating (0-10), if any."""
        self.check: SetState | None = None
        """The left-right check, while it runs."""
        self.check_side: str | None = None
        """The ear the left-right check last sounded in (kept until a set starts)."""
        self.problem: str | None = None
        self._pending: list[tuple[float, str, dict]] = []

    # -- asking -----------------------------------------------------------------------------
    @property
    def current(self) -> SetState | None:
        """The running set, if any."""
        if self.sets and self.sets[-1].running:
            return self.sets[-1]
        return None

    def choose(self, preset: Preset) -> None:
        """Use `preset` for the next set (its speed becomes the speed)."""
        self.preset = preset
        self.speed = preset.speed

    def start(self) -> SetState | None:
        """Start a set with the chosen preset at the current speed (None while one runs)."""
        if self.current is not None or self.check is not None:
            return None
        self.check_side = None
        now = self.clock()
        preset = replace(self.preset, speed=self.speed)
        state = SetState(len(self.sets) + 1, preset, speed=self.speed, asked_at=now,
                         speeds=[self.speed], sud_before=self.sud)
        state.id = self.audio.start(preset.sound_fields(), now + self.lead_s)
        self.sets.append(state)
        self._emit(ev.bilateral_started(
            state.number, preset=preset.name, speed=self.speed, passes=preset.passes,
            seconds=preset.seconds, sound=preset.sound, pan=preset.pan, sud_before=self.sud))
        return state

    def stop(self) -> None:
        """Stop the running set at once (softly)."""
        state = self.current
        if state is not None and not state.ending:
            state.ending = True
            state.stopped_early = True
            self._tell(state, "stop")

    def toggle(self) -> None:
        """Start a set, or stop the running one."""
        if self.current is None:
            self.start()
        else:
            self.stop()

    def change_speed(self, step: float) -> float:
        """Faster or slower by `step` cycles/s (the running set follows without a jump)."""
        return self.set_speed(self.speed + step)

    def set_speed(self, speed: float) -> float:
        """Set the speed in cycles/s; a running set continues from where its sound is."""
        self.speed = clamp_speed(speed)
        state = self.current
        if state is not None and not state.ending:
            self._tell(state, "speed", self.speed)
            if state.speeds[-1] != self.speed:
                state.speeds.append(self.speed)
            state.speed = self.speed
        return self.speed

    def rate_sud(self, value: int, note: str | None = None) -> None:
        """The client's distress (SUD 0-10), between sets; kept as the last set's `after`."""
        self.sud = max(0, min(10, int(value)))
        last = self.sets[-1] if self.sets else None
        if last is not None and not last.running:
            last.sud_after = self.sud
        self._emit(ev.sud_rating(self.sud, last.number if last is not None else None, note))

    def left_right_check(self) -> None:
        """One soft tone in the left ear, then one in the right ("this is your LEFT ear")."""
        if self.current is not None or self.check is not None:
            return
        now = self.clock()
        preset = replace(self.preset, sound="tone", pan="hard", passes=2, seconds=None,
                         speed=CHECK_SPEED)
        self.check = SetState(0, preset, speed=CHECK_SPEED, asked_at=now)
        self.check.id = self.audio.start(preset.sound_fields(), now + self.lead_s)
        self.check_side = None

    def _tell(self, state: SetState, what: str, value: Any = None) -> None:
        """Pass a speed change or stop on, or keep it until the engine has the set.

        A command that overtook the set's start inside the engine would be lost, so nothing
        is sent before the engine's first news of the set."""
        if not state.confirmed:
            state.waiting[what] = value
        elif what == "stop":
            self.audio.stop(state.id)
        else:
            self.audio.set_speed(state.id, value)

    def _confirm(self, set_id: str) -> None:
        state = self._find(set_id)
        if state is None or state.confirmed:
            return
        state.confirmed = True
        waiting, state.waiting = state.waiting, {}
        if "speed" in waiting and "stop" not in waiting:
            self._tell(state, "speed", waiting["speed"])
        if "stop" in waiting:
            self._tell(state, "stop")

    # -- news -----------------------------------------------------------------------------------
    def poll(self) -> None:
        """Take the audio's news; apply each pass when it is heard (called on a timer)."""
        for kind, fields in self.audio.poll():
            self._confirm(fields.get("id", ""))
            at = fields.get("at")
            self._pending.append((at if at is not None else self.clock(), kind, fields))
        now = self.clock()
        due = [p for p in self._pending if p[0] <= now]
        self._pending = [p for p in self._pending if p[0] > now]
        for at, kind, fields in sorted(due, key=lambda p: p[0]):
            self._apply(at, kind, fields)

    def _find(self, set_id: str) -> SetState | None:
        if self.check is not None and self.check.id == set_id:
            return self.check
        for state in reversed(self.sets):
            if state.id == set_id:
                return state
        return None

    def _apply(self, at: float, kind: str, fields: dict) -> None:
        state = self._find(fields.get("id", ""))
        if state is None:
            return
        if kind == "bls_onset":
            if state.started_at is None:
                state.started_at = at
            state.passes = max(state.passes, int(fields.get("pass", state.passes + 1)))
            state.side = fields.get("side")
            state.last_onset = at
            if fields.get("frame") is not None:
                if state.first_frame is None:
                    state.first_frame = int(fields["frame"])
                state.last_frame = int(fields["frame"])
            if state is self.check:
                self.check_side = state.side
        elif kind == "failed":
            self.problem = str(fields.get("reason", "the sound could not play"))
            self._ended(state, at, "failed", state.passes)
        elif kind == "bls_ended":
            self._ended(state, at, fields.get("reason", "end"), int(fields.get("passes", 0)))

    def _ended(self, state: SetState, at: float, reason: str, passes: int) -> None:
        if state.ended_at is not None:
            return
        state.ended_at = at
        state.passes = max(state.passes, passes)
        state.stopped_early = reason != "end"
        if state is self.check:
            self.check = None  # check_side stays on screen until the next set starts
            return
        self._emit(ev.bilateral_stopped(
            state.number, preset=state.preset.name, passes=state.passes,
            planned_passes=state.preset.passes, seconds=round(state.seconds(at), 2),
            speeds=state.speeds, speed=state.speed, stopped_early=state.stopped_early,
            reason=reason, sud_before=state.sud_before))

    def _emit(self, event: NewEvent) -> None:
        if self.on_event is not None:
            self.on_event(event.type, event.fields)

    def close(self) -> None:
        """Stop whatever sounds (leaving the panel)."""
        self.stop()
        if self.check is not None:
            self._tell(self.check, "stop")
