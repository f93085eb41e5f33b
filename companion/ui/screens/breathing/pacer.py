"""The breathing pacer screen: circle, step word, count and the sitter's words; ends gently.

It works full screen on its own (`companion breathe`) and pushed over the session screen
(key `r`), where the music goes on underneath. The exercise it shows
(`companion.breathing.BreathingExercise`) reports to the session record through
`on_event(type, fields)`; `cue(role, at)` plays a soft cue sound at monotonic time `at`,
sent a little ahead so the engine can place it on its sample; `guides` are told when the
pacer starts, when each step will begin (sent ahead the same way), and when it pauses,
resumes and stops: the clinician's recorded voice (`companion.voice.VoiceGuide`) and the
breath sound (`companion.audio.breath_sound`).

Timing: each change of word or count is a one-shot timer set for the exact moment the
pacer gives (`Pacer.next_count()`), so words appear on time however busy the screen is;
the circle alone animates on a steady ~16 fps interval, and only while breathing is
running and motion is allowed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Input, Static

from companion.breathing import (BreathingExercise, BreathingSummary, Pacer, PacerGuide,
                                 PacerState, Pattern)
from companion.clock import Clock
from companion.errors import CompanionError
from companion.record.events import EventSink
from companion.ui.widgets.keys import KeyBar
from companion.ui.widgets.pacer import PacerVisual
from companion.wording import Wording

CueSink = Callable[[str, float], None]
"""Plays a soft cue for a role (`inhale`, `hold`, `exhale`, `end`) at a monotonic time."""

FPS = 16
"""Frames per second of the circle: smooth for a slow breath, light on the CPU."""
CUE_LEAD = 0.8
"""Seconds ahead a cue (or a step's voice take) is sent, so the audio engine can start it on
its exact sample even when the machine is busy (0.4 s was once missed by 0.1 s under load)."""
MIN_DELAY = 0.001
"""Textual's timers cannot take a zero delay; a moment already due fires after 1 ms."""
COMPACT_HEIGHT = 18
"""Below this many rows the large count gives way to a count beside the step word."""
TINY_HEIGHT = 11
"""Below this many rows the circle gives way too: words and count only."""
LEAD_IN = 3.0
"""Seconds of opening line and countdown before the first breath."""


class PacerScreen(Screen[BreathingSummary]):
    """The breathing pacer: circle, step word, count and the sitter's words; ends gently."""

    # Nothing takes the keys while breathing (Space, Esc, q belong to the screen); the rating
    # box is focused only while a rating is asked.
    AUTO_FOCUS = None

    DEFAULT_CSS = (Path(__file__).parent / "pacer.tcss").read_text(encoding="utf-8")

    BINDINGS = [
        Binding("space", "pause", "Pause", key_display="Space", id="breathing.pause"),
        Binding("space", "resume", "Resume", key_display="Space", id="breathing.resume"),
        Binding("escape,q", "stop", "Stop gently", key_display="Esc/q", id="breathing.stop"),
        Binding("escape", "skip_rating", "Skip", key_display="Esc", id="breathing.skip_rating"),
        Binding("enter,escape,q", "close", "Close", key_display="Enter", id="breathing.close"),
    ]

    def __init__(self, pattern: Pattern, *, cycles: int | None = None, minutes: float | None = None,
                 clock: Clock = time.monotonic, reduced_motion: bool = False,
                 ask_distress: bool = False, on_event: EventSink | None = None,
                 cue: CueSink | None = None, wording: Wording | None = None,
                 lead_in: float = LEAD_IN, fps: float = FPS,
                 guides: Sequence[PacerGuide] = (),
                 name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.pattern = pattern
        self.clock = clock
        self.wording = wording or Wording()
        self.reduced_motion = reduced_motion
        self.ask_distress = ask_distress
        self.exercise = BreathingExercise(pattern, clock, cycles=cycles, minutes=minutes,
                                          lead_in=lead_in, wording=self.wording,
                                          reduced_motion=reduced_motion, on_event=on_event)
        """The exercise shown: it keeps the pacer and the ratings and reports to the record."""
        self._cue_sink = cue
        self._guides = list(guides)
        self._guides_stopped = False
        self.fps = fps
        self.stage = "rating_before" if ask_distress else "breathing"
        """`rating_before`, `breathing`, `rating_after` or `done`."""
        self._shown: tuple[Any, ...] = ()
        self._due: Timer | None = None
        self._cue_timer: Timer | None = None
        self._cue_sent_for: float | None = None
        self._ticker: Timer | None = None
        self.set_class(reduced_motion, "-reduced-motion")

    @property
    def pacer(self) -> Pacer | None:
        """The exercise's pacer (None until the breathing starts)."""
        return self.exercise.pacer

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self.pattern.title, id="pacer-title")
        yield PacerVisual(id="pacer-visual")
        yield Static(id="pacer-spacer")
        yield Static(id="pacer-label")
        with Vertical(id="pacer-count-row"):
            yield Digits("", id="pacer-count")
        yield Static(id="pacer-words")
        with Vertical(id="pacer-rating"):
            yield Static(id="pacer-rating-prompt")
            yield Input(id="pacer-rating-input", restrict=r"[0-9]{0,2}", disabled=True,
                        placeholder=self._say("breathing.ui.rating_placeholder"))
            yield Static(id="pacer-rating-message")
        yield Static(id="pacer-bottom-spacer")
        yield KeyBar()

    def on_mount(self) -> None:
        self._fit(self.app.size.height)
        self._ticker = self.set_interval(1.0 / self.fps, self._next_frame, pause=True)
        if self.stage == "rating_before":
            self._ask_rating("before")
        else:
            self._start()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        """Small windows: the count moves beside the step word, then the circle goes."""
        self.set_class(height < COMPACT_HEIGHT, "-compact")
        self.set_class(height < TINY_HEIGHT, "-tiny")
        self._shown = ()
        if self.pacer is not None:
            self._show(self.pacer.state())

    def on_unmount(self) -> None:
        # Leaving some other way (the app quitting) still closes the record's entry.
        if self.pacer is not None and not self.exercise.ended:
            self.exercise.stop()
            self.exercise.end()
        self._tell_guides("stopped")

    def _say(self, key: str, **fields: Any) -> str:
        return self.wording.get(key, **fields)

    # -- running ----------------------------------------------------------------------------

    def _start(self) -> None:
        self.stage = "breathing"
        self.set_class(False, "-rating")
        self.set_focus(None)
        self.exercise.start()
        self.refresh_bindings()
        self._tell_guides("started")
        self.sync()

    def sync(self) -> None:
        """Bring the screen up to the pacer's state now, and set the timers for what comes next."""
        if self.pacer is None:
            return
        state = self.pacer.state()
        self._show(state)
        if state.finished:
            self._finish()
            return
        self._schedule()

    def _schedule(self) -> None:
        assert self.pacer is not None
        for timer in (self._due, self._cue_timer):
            if timer is not None:
                timer.stop()
        self._due = self._cue_timer = None
        running = not self.pacer.paused
        if self._ticker is not None:
            if running and not self.reduced_motion:
                self._ticker.resume()
            else:
                self._ticker.pause()
        if not running:
            return
        now = self.clock()
        due = self.pacer.next_count()
        if due is not None:
            self._due = self.set_timer(max(MIN_DELAY, due - now), self.sync)
        upcoming = self.pacer.upcoming()
        if ((self._cue_sink is not None or self._guides) and upcoming is not None
                and upcoming[1] != self._cue_sent_for):
            role, at = upcoming
            self._cue_timer = self.set_timer(max(MIN_DELAY, at - CUE_LEAD - now),
                                             lambda: self._send_cue(role, at))

    def _send_cue(self, role: str, at: float) -> None:
        if self.pacer is None or self.pacer.paused:
            return
        if self._cue_sent_for == at:
            return
        self._cue_sent_for = at
        if self._guides:
            state = self.pacer.state()
            index = -1 if role == "end" else (
                0 if state.phase == "ready" else (state.step_index + 1) % len(self.pattern.steps))
            self._tell_guides("step", index, at)
        if self._cue_sink is None:
            return
        try:
            self._cue_sink(role, at)
        except CompanionError as error:
            # Cues are a nicety: say so once, keep breathing in silence.
            self._cue_sink = None
            self.notify(str(error), title="Cue sounds off", severity="warning")

    def _tell_guides(self, what: str, *args: Any) -> None:
        """Pass a pacer moment to each guide; a guide that fails is dropped with a notice."""
        if self.pacer is None or self._guides_stopped:
            return
        if what == "stopped":
            self._guides_stopped = True
        for guide in list(self._guides):
            try:
                getattr(guide, what)(self.pacer, *args)
            except (CompanionError, OSError) as error:
                self._guides.remove(guide)
                self.notify(str(error), title="Voice and breath sound off", severity="warning")

    def _next_frame(self) -> None:
        if self.pacer is not None:
            self.query_one(PacerVisual).progress = self.pacer.state().progress

    def _show(self, state: PacerState) -> None:
        """Put a state on screen; only what changed is updated."""
        title = self.pattern.title
        if state.paused:
            title = f"{title} · {self._say('breathing.ui.paused')}"
        elif state.phase == "breathing":
            key = "breathing.ui.breath_of" if state.cycles is not None else "breathing.ui.breath"
            title = f"{title} · {self._say(key, cycle=state.cycle, cycles=state.cycles)}"
        count = "" if state.phase == "done" else str(state.count)
        label = f"{state.label}  {count}" if count and self.has_class("-compact") else state.label
        shown = (title, label, count, state.words)
        if shown != self._shown:
            self._shown = shown
            self.query_one("#pacer-title", Static).update(title)
            self.query_one("#pacer-label", Static).update(label)
            self.query_one("#pacer-count", Digits).update(count)
            self.query_one("#pacer-words", Static).update(state.words)
        visual = self.query_one(PacerVisual)
        if state.phase != "done":
            visual.progress = state.progress
        elif self.reduced_motion:
            visual.progress = 0.0
        elif not self.has_class("-done"):
            # Stopping mid-breath: the circle settles to rest instead of jumping.
            visual.animate("progress", 0.0, duration=2.0, easing="in_out_sine")
        self.set_class(state.phase == "done", "-done")

    def _finish(self) -> None:
        """The pacer has ended (all cycles, or stopped): closing line, then the rating after."""
        if self.stage != "breathing":
            return
        if self._ticker is not None:
            self._ticker.pause()
        self._tell_guides("stopped")
        if self.ask_distress:
            self._ask_rating("after")
        else:
            self.stage = "done"
            self.exercise.end()
        self.refresh_bindings()

    # -- distress rating --------------------------------------------------------------------

    def _ask_rating(self, when: str) -> None:
        self.stage = f"rating_{when}"
        self.set_class(True, "-rating")
        lines = [self._say("breathing.closing")] if when == "after" else []
        lines.append(self._say(f"breathing.ui.rating_{when}"))
        self.query_one("#pacer-rating-prompt", Static).update("\n\n".join(lines))
        self.query_one("#pacer-rating-message", Static).update("")
        box = self.query_one("#pacer-rating-input", Input)
        box.value = ""
        box.disabled = False
        box.focus()
        self.refresh_bindings()

    @on(Input.Submitted, "#pacer-rating-input")
    def _rated(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if text and (not text.isdigit() or not 0 <= int(text) <= 10):
            self.query_one("#pacer-rating-message", Static).update(
                self._say("breathing.ui.rating_invalid"))
            return
        self._rate(int(text) if text else None)

    def _rate(self, value: int | None) -> None:
        when = "before" if self.stage == "rating_before" else "after"
        self.query_one("#pacer-rating-input", Input).disabled = True
        if value is not None:
            self.exercise.rate(when, value)
        if when == "before":
            self._start()
        else:
            self.stage = "done"
            self.set_class(False, "-rating")
            self.set_focus(None)
            self.exercise.end()
        self.refresh_bindings()

    # -- keys -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        breathing = self.stage == "breathing" and self.pacer is not None
        paused = breathing and self.pacer is not None and self.pacer.paused
        if action == "pause":
            return breathing and not paused
        if action == "resume":
            return paused
        if action == "stop":
            return breathing
        if action == "skip_rating":
            return self.stage.startswith("rating_")
        if action == "close":
            return self.stage == "done"
        return True

    def action_pause(self) -> None:
        """Pause the pacer (the circle and the words hold still)."""
        if self.pacer is not None:
            self.exercise.pause()
            self._tell_guides("paused")
            self.sync()
            self.refresh_bindings()

    def action_resume(self) -> None:
        """Resume where it paused."""
        if self.pacer is not None:
            self.exercise.resume()
            self._tell_guides("resumed")
            self.sync()
            self.refresh_bindings()

    def action_stop(self) -> None:
        """Stop gently: the circle rests and the closing line is shown."""
        if self.pacer is not None and self.stage == "breathing":
            self.exercise.stop()
            self.sync()

    def action_skip_rating(self) -> None:
        """Go on without a rating."""
        self._rate(None)

    def action_close(self) -> None:
        """Leave the screen once the pacer has ended."""
        if self.exercise.summary is not None:
            self.dismiss(self.exercise.summary)
