"""BLS sets as they run: `SetState`, and `BilateralSession`, which starts, re-speeds and stops them,
counts passes as they are heard, keeps the SUD ratings and reports record events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from companion.audio.protocol import BlsEnded, BlsOnset, Failed
from companion.bilateral.audio import Audio, News
from companion.bilateral.presets import BUILTIN_PRESETS, DEFAULT_SPEED, Preset, clamp_speed
from companion.clock import Clock
from companion.record import events as ev
from companion.record.events import EventSink, NewEvent

LEAD_S = 0.25
"""A set is asked for this far ahead, so its first pass lands on its sample."""
CHECK_SPEED = 0.25
"""The left-right check: one tone in the left ear, then one in the right, 2 s apart."""


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
        self._pending: list[tuple[float, News]] = []

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
        for news in self.audio.poll():
            self._confirm(news.id)
            self._pending.append((self.clock() if isinstance(news, Failed) else news.at, news))
        now = self.clock()
        due = [p for p in self._pending if p[0] <= now]
        self._pending = [p for p in self._pending if p[0] > now]
        for at, news in sorted(due, key=lambda p: p[0]):
            self._apply(at, news)

    def _find(self, set_id: str) -> SetState | None:
        if self.check is not None and self.check.id == set_id:
            return self.check
        for state in reversed(self.sets):
            if state.id == set_id:
                return state
        return None

    def _apply(self, at: float, news: News) -> None:
        state = self._find(news.id)
        if state is None:
            return
        match news:
            case BlsOnset():
                if state.started_at is None:
                    state.started_at = at
                state.passes = max(state.passes, news.number)
                state.side = news.side
                state.last_onset = at
                if news.frame is not None:
                    if state.first_frame is None:
                        state.first_frame = news.frame
                    state.last_frame = news.frame
                if state is self.check:
                    self.check_side = state.side
            case Failed():
                self.problem = news.reason
                self._ended(state, at, "failed", state.passes)
            case BlsEnded():
                self._ended(state, at, news.reason, news.passes)

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
