"""The 5-4-3-2-1 grounding screen: sitter mode over a session, or client mode on its own.

Sitter mode shows the line to read aloud, a mark per item the client names (Space, or `w`
for a few words), the step and count, and keys to go back, move on, skip, repeat or start
over. Client mode is full screen and quiet: one step at a time, the client types what they
notice and presses Enter per item. Both open with an optional 0-10 distress rating and end
with a gentle closing (and the rating after). The screen dismisses with the exercise's
summary (`Grounding.summary()`), or None when left before it began.

With `speak` (a recorded voice, `companion ground --voice PACK`), client mode can be done
with eyes closed: each line is spoken as it appears, any key counts one thing noticed
(no typing), and a step with no key for `pause_s` seconds moves on by itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key, Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Input, Static

from companion.clock import Clock
from companion.grounding import RATING_RANGE, Grounding, step_line
from companion.record.events import EventSink
from companion.ui.screens.grounding.keys import join_keys, key_hints
from companion.wording import Wording

MIN_WIDTH = 44
"""Below this many columns (or MIN_HEIGHT rows) the screen asks for a larger window."""
MIN_HEIGHT = 14
ROOMY_HEIGHT = 22
"""From this height up the large step number and the spacing between lines are shown."""
PAUSE_S = 30.0
"""Eyes closed: a step with no key pressed for this long moves on by itself."""
NAV_KEYS = frozenset({"escape", "up", "down", "left", "right", "ctrl+r", "ctrl+q", "ctrl+c",
                      "tab", "shift+tab"})
"""Keys that keep their own meaning with eyes closed; any other key counts one thing noticed."""


class GroundingScreen(Screen[dict[str, Any] | None]):
    """The grounding exercise, guided by a sitter (`mode="sitter"`) or done alone (`"client"`)."""

    DEFAULT_CSS = (Path(__file__).parent / "screen.tcss").read_text(encoding="utf-8")

    BINDINGS = [
        Binding("space", "mark", "Noticed", id="grounding.mark"),
        Binding("w", "mark_words", "With words", id="grounding.mark_words"),
        Binding("backspace", "undo", "Undo mark", id="grounding.undo"),
        Binding("left,up", "back", "Back", id="grounding.back"),
        Binding("right,down", "next", "Next", id="grounding.next"),
        Binding("s", "skip", "Skip", id="grounding.skip"),
        Binding("r,ctrl+r", "repeat", "Repeat step", id="grounding.repeat"),
        Binding("home", "restart", "Start over", id="grounding.restart"),
        Binding("enter", "confirm", "Continue", show=False, id="grounding.confirm"),
        Binding("escape", "leave", "Close", id="grounding.leave"),
    ]

    def __init__(self, *, mode: str = "sitter", wording: Wording | None = None,
                 on_event: EventSink | None = None, clock: Clock = time.monotonic,
                 ratings: bool = True, speak: Callable[[str, str], bool] | None = None,
                 pause_s: float = PAUSE_S, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        """`mode` "sitter" or "client"; `wording` for the language and a playlist's overrides;
        `on_event(type, fields)` receives every event (the session record); `ratings` asks for
        the optional 0-10 distress rating before and after; `speak(key, text)` says a line in
        a recorded voice (False when it has none) and, in client mode, lets the exercise be
        done with eyes closed, moving on after `pause_s` seconds without a key."""
        super().__init__(name=name, id=id, classes=classes)
        self.speak = speak
        self.eyes_closed = speak is not None and mode == "client"
        self.pause_s = pause_s
        self._spoken_for: tuple[Any, ...] | None = None
        self._pause_timer: Timer | None = None
        self.mode = mode
        self.wording = wording or Wording()
        self.exercise = Grounding(on_event, clock=clock, mode=mode, lang=self.wording.lang)
        self.ratings = ratings
        self._stage = "opening"
        self._entering_words = False
        self._leave_armed = False
        self.add_class(f"-{mode}")

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="ground-body"):
            yield Static(id="ground-head", markup=False)
            with Vertical(id="ground-count-row"):
                yield Digits(id="ground-count")
            yield Static(id="ground-prompt", markup=False)
            yield Static(id="ground-hint", markup=False)
            yield Static(id="ground-marks", markup=False)
            yield Static(id="ground-items", markup=False)
            yield Input(id="ground-input")
            yield Static(id="ground-message", markup=False)
        yield Static(id="ground-keys", markup=False)
        yield Static(id="ground-too-small", markup=False)

    def on_mount(self) -> None:
        self._fit(self.app.size.width, self.app.size.height)
        self._refresh()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(too_small, "-too-small")
        compact = height < ROOMY_HEIGHT
        if compact != self.has_class("-compact"):
            self.set_class(compact, "-compact")
            if self.is_mounted:
                self._refresh()
        if self.is_mounted:
            self._show_keys()
        self.query_one("#ground-too-small", Static).update(self._say(
            "grounding.too_small", width=width, height=height,
            min_width=MIN_WIDTH, min_height=MIN_HEIGHT))

    # -- what is shown ----------------------------------------------------------------------

    def _say(self, key: str, **fields: Any) -> str:
        return self.wording.get(key, **fields)

    def _spoken(self, text: str) -> str:
        """Sitter mode quotes the lines to read aloud."""
        return self._say("grounding.quote", text=text) if self.mode == "sitter" else text

    def _refresh(self) -> None:
        """Show the current stage; called after every change."""
        ex = self.exercise
        if self._stage == "steps" and ex.at_closing:
            self._stage = "closing"
        elif self._stage == "closing" and not ex.at_closing:
            self._stage = "steps"
        head = self.query_one("#ground-head", Static)
        count = self.query_one("#ground-count", Digits)
        prompt = self.query_one("#ground-prompt", Static)
        hint = self.query_one("#ground-hint", Static)
        marks = self.query_one("#ground-marks", Static)
        items = self.query_one("#ground-items", Static)
        title = self._say("grounding.title")
        step = ex.step
        if self._stage == "steps" and step is not None:
            name = self._say(f"grounding.{step.sense}.name")
            total = len(ex.steps)
            head.update(f"{title} · {self._say('grounding.step', number=ex.number, total=total)}"
                        f" · {name}")
            count.update(str(step.count))
            prompt.update(self._spoken(step_line(self.wording, step.sense, "prompt", self.mode)))
            hint.update(step_line(self.wording, step.sense, "hint", self.mode))
            done = len(ex.noticed)
            dots = " ".join(["●"] * done + ["○"] * (step.count - done))
            progress = self._say("grounding.progress", noticed=done, count=step.count)
            marks.update(f"{dots}   {progress}")
            items.update(" · ".join(w for w in ex.noticed if w))
        else:
            head.update(f"{title} · {self._say('grounding.subtitle')}")
            count.update("")
            which = "opening" if self._stage == "opening" else "closing"
            lines = [self._spoken(self._say(f"grounding.{which}.{self.mode}"))]
            if self.ratings:
                when = "before" if which == "opening" else "after"
                lines.append(self._say(f"grounding.rating.{when}.{self.mode}"))
            prompt.update("\n\n".join(lines))
            hint.update(self._say("grounding.closing.close") if which == "closing"
                        and not self.ratings else "")
            marks.update("")
            items.update("")
        roomy = not self.has_class("-compact")
        self.query_one("#ground-count-row").display = self._stage == "steps" and roomy
        hint.display = bool(hint.content)
        for widget in (marks, items):
            widget.display = bool(widget.content)
        self._show_input()
        self._show_keys()
        self._speak_stage()

    def _speak_stage(self) -> None:
        """Say the line that has just appeared (once per stage and step), and time the pause."""
        if self.speak is None:
            return
        ex = self.exercise
        step = ex.step if self._stage == "steps" else None
        token = (self._stage, ex.number if step is not None else 0)
        if token == self._spoken_for:
            return
        self._spoken_for = token
        if step is not None:
            key = f"grounding.{step.sense}.prompt"
            self.speak(key, step_line(self.wording, step.sense, "prompt", self.mode))
        else:
            which = "opening" if self._stage == "opening" else "closing"
            key = f"grounding.{which}.{self.mode}"
            self.speak(key, self._say(key))
        self._restart_pause()

    def _restart_pause(self) -> None:
        if self._pause_timer is not None:
            self._pause_timer.stop()
            self._pause_timer = None
        if self.eyes_closed and self._stage == "steps":
            self._pause_timer = self.set_timer(self.pause_s, self._paused_long)

    def _paused_long(self) -> None:
        """No key for a while with eyes closed: move on gently."""
        self._pause_timer = None
        if self._stage == "steps":
            self.action_next()

    def on_key(self, event: Key) -> None:
        """Eyes closed: any key but the few that move around counts one thing noticed."""
        if not (self.eyes_closed and self._stage == "steps") or event.key in NAV_KEYS:
            return
        event.prevent_default()
        event.stop()
        self._act(self.exercise.notice)
        self._restart_pause()

    def _show_input(self) -> None:
        box = self.query_one("#ground-input", Input)
        wants_rating = self._stage != "steps" and self.ratings
        visible = wants_rating or (self._stage == "steps" and not self.eyes_closed and
                                   (self.mode == "client" or self._entering_words))
        box.display = visible
        if wants_rating:
            box.restrict = r"[0-9]{0,2}"
            box.placeholder = self._say("grounding.rating.placeholder")
        else:
            box.restrict = None
            box.placeholder = self._say("grounding.input_placeholder" if self.mode == "client"
                                        else "grounding.words_placeholder")
        if visible:
            box.focus()
        else:
            self.set_focus(None)

    def _show_keys(self) -> None:
        width = (self.size.width or self.app.size.width) - 2
        parts = key_hints(self._say, self._stage, self.mode, words=self._entering_words,
                          eyes_closed=self.eyes_closed)
        self.query_one("#ground-keys", Static).update(join_keys(parts, width))

    def _message(self, text: str = "") -> None:
        message = self.query_one("#ground-message", Static)
        message.update(text)
        message.display = bool(text)

    # -- actions ----------------------------------------------------------------------------

    def _steps_and_keys(self) -> bool:
        """True when a step is showing and single keys act (not typing words or a rating)."""
        return self._stage == "steps" and self.mode == "sitter" and not self._entering_words

    def _act(self, change: Callable[[], object]) -> None:
        self._leave_armed = False
        self._message()
        change()
        self._refresh()

    def action_mark(self) -> None:
        """Sitter: the client named one more thing."""
        if self._steps_and_keys():
            self._act(self.exercise.notice)

    def action_mark_words(self) -> None:
        """Sitter: mark an item with a few words."""
        if self._steps_and_keys():
            self._entering_words = True
            self._act(lambda: None)

    def action_undo(self) -> None:
        """Sitter: take back the last mark."""
        if self._steps_and_keys():
            self._act(self.exercise.undo)

    def action_back(self) -> None:
        """Go back one step (also from the closing)."""
        if self._stage == "closing" or (self._stage == "steps" and not self._entering_words):
            self._act(self.exercise.back)

    def action_next(self) -> None:
        """Move on; a client moving on from a step with nothing noticed skips it."""
        if self._stage != "steps" or self._entering_words:
            return
        if self.mode == "client" and not self.exercise.noticed:
            self._act(self.exercise.skip)
        else:
            self._act(self.exercise.next)

    def action_skip(self) -> None:
        """Sitter: leave this step out."""
        if self._steps_and_keys():
            self._act(self.exercise.skip)

    def action_repeat(self) -> None:
        """Do this step again."""
        if self._stage == "steps" and not self._entering_words:
            self._spoken_for = None  # say the step again
            self._act(self.exercise.repeat)

    def action_restart(self) -> None:
        """Sitter: start over from the first step."""
        if self._steps_and_keys() or (self._stage == "closing" and self.mode == "sitter"):
            self._act(self.exercise.restart)

    def action_confirm(self) -> None:
        """Enter with no text box: continue from the opening, count one thing noticed (the
        sitter, as a client's Enter does), or close from the closing."""
        if self._steps_and_keys():
            self.action_mark()
        elif self._stage == "opening":
            self._begin(None)
        elif self._stage == "closing":
            self._close(None)

    def action_leave(self) -> None:
        """Esc: cancel the words being typed, or leave (a client presses it twice)."""
        if self._entering_words:
            self._entering_words = False
            self._act(lambda: None)
            return
        if self.mode == "client" and not self._leave_armed and self.exercise.started:
            self._leave_armed = True
            self._message(self._say("grounding.keys.leave_confirm"))
            return
        self.dismiss(self.exercise.finish() if self.exercise.started else None)

    @on(Input.Submitted, "#ground-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        event.input.clear()
        if self._stage == "steps":
            self._entering_words = False
            self._act(lambda: self.exercise.notice(text))
            return
        rating = self._parse_rating(text)
        if rating is False:
            self._message(self._say("grounding.rating.invalid"))
            return
        if self._stage == "opening":
            self._begin(rating)
        elif self._stage == "closing":
            self._close(rating)

    def _parse_rating(self, text: str) -> int | None | bool:
        """The rating typed (None when skipped), or False when it is not 0-10."""
        if not text:
            return None
        low, high = RATING_RANGE
        return int(text) if text.isdigit() and low <= int(text) <= high else False

    def _begin(self, rating: int | None) -> None:
        self.exercise.rate("before", rating)
        self.exercise.start()
        self._stage = "steps"
        self._act(lambda: None)

    def _close(self, rating: int | None) -> None:
        self.dismiss(self.exercise.finish(rating))


def open_in_session(app: App[Any], controller: Any, *, ratings: bool = True) -> None:
    """Push sitter-mode grounding over the session: the playlist's wording, events to the record.

    `controller` is the session controller (its `playlist` and `exercise_event`); the music
    goes on underneath. A second press of the key while grounding is open does nothing.
    """
    if any(isinstance(screen, GroundingScreen) for screen in app.screen_stack):
        return
    wording = Wording.for_playlist(getattr(controller, "playlist", None))
    app.push_screen(GroundingScreen(mode="sitter", wording=wording, ratings=ratings,
                                    on_event=controller.exercise_event))
