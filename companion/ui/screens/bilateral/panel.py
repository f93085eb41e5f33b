"""The BLS panel: bilateral sets over the session screen (the music goes on), or on its own.

A calm marker shows the side being heard (it rests on the side while the sound plays and
glides across between passes; with reduced motion the side is shown in words only, and
nothing ever flashes), with the pass counter, the set's time, and the speed in cycles/s
and passes/s. The counter moves when the engine says a pass is heard, not on a UI timer.
Keys: space starts or stops a set, + and - change the speed (a running set follows
without a jump), s records the client's SUD 0-10 with an optional note, l plays the
left-right check, p picks the next preset, Escape closes the panel (stopping any set).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from companion.bilateral import SPEED_STEP, BilateralSession, SetState, speed_text
from companion.clock import Clock
from companion.clock import tenths_text
from companion.ui.screens.bilateral.marker import (check_position, marker_position,
                                                   track_text)
from companion.ui.screens.bilateral.sud import SudDialog
from companion.ui.widgets.keys import KeyBar

TICK_S = 1 / 20
TICK_REDUCED_S = 1 / 5
EMDR_NOTE = "For clinicians trained in EMDR."

BLS_BINDINGS = [
    Binding("space", "toggle", "start/stop", id="bls.toggle"),
    Binding("plus,equals_sign", "speed(1)", "faster", id="bls.faster", key_display="+"),
    Binding("minus", "speed(-1)", "slower", id="bls.slower", key_display="-"),
    Binding("s", "sud", "SUD", id="bls.sud"),
    Binding("l", "check", "left-right check", id="bls.check"),
    Binding("p", "preset", "preset", id="bls.preset"),
    Binding("escape", "close", "close", id="bls.close"),
]


class BilateralScreen(ModalScreen[None]):
    """The BLS panel (see the module docstring); closing it stops any set.

    It shows its own key bar; open it with `open_over` so the one beneath is hidden.
    """

    DEFAULT_CSS = """
    BilateralScreen { align: center middle; }
    BilateralScreen > #bls-panel { width: 64; max-width: 100%; height: auto; padding: 1 2;
                                   border: round $primary-muted; background: $panel; }
    BilateralScreen Static { width: 100%; }
    BilateralScreen #bls-title { text-style: bold; }
    BilateralScreen #bls-note { color: $text-muted; }
    BilateralScreen #bls-marker { content-align: center middle; height: 1; margin: 1 0; }
    BilateralScreen #bls-side { content-align: center middle; text-style: bold; }
    BilateralScreen #bls-counter { margin-top: 1; }
    """
    BINDINGS = BLS_BINDINGS

    def __init__(self, session: BilateralSession, *, clock: Clock = time.monotonic,
                 reduced_motion: bool = False, timer: bool = True) -> None:
        """`timer`: poll and redraw on a timer (tests call `tick()` themselves)."""
        super().__init__()
        self.session = session
        self.clock = clock
        self.reduced_motion = reduced_motion
        self._timer = timer
        self._cover_lines = 0  # the height of the key bar this panel hides (open_over)

    def compose(self) -> ComposeResult:
        with Vertical(id="bls-panel"):
            yield Static("Bilateral stimulation", id="bls-title")
            yield Static(EMDR_NOTE + " Headphones on; check left and right first (l).",
                         id="bls-note")
            yield Static("", id="bls-preset")
            yield Static("", id="bls-marker")
            yield Static("", id="bls-side")
            yield Static("", id="bls-counter")
            yield Static("", id="bls-speed")
            yield Static("", id="bls-status")
            yield Static("", id="bls-sud")
        yield KeyBar()

    def on_mount(self) -> None:
        if self._cover_lines:
            self.query_one(KeyBar).styles.min_height = self._cover_lines
        self.query_one("#bls-marker", Static).display = not self.reduced_motion
        self.tick()
        if self._timer:
            self.set_interval(TICK_REDUCED_S if self.reduced_motion else TICK_S, self.tick)

    def open_over(self, below: Screen, callback: Callable[[None], None] | None = None) -> None:
        """Push the panel over `below` with only the panel's keys in view: the session's
        (`+`, `p`, `l`, `s` ...) mean other things here. Their bar is hidden first, while
        `below` is still the screen laid out, and shown again when the panel closes."""
        bars = list(below.query(KeyBar))
        # The panel's own bar is at least as tall as the one it replaces, so no line of the
        # session's keys can show beneath it, even before the screen below is laid out again.
        self._cover_lines = max((bar.size.height for bar in bars if bar.display), default=0)
        for bar in bars:
            bar.display = False

        def closed(result: None) -> None:
            for bar in bars:
                bar.display = True
            if callback is not None:
                callback(result)

        app = below.app
        app.call_after_refresh(lambda: app.push_screen(self, callback=closed))

    # -- actions ------------------------------------------------------------------------------
    def action_toggle(self) -> None:
        self.session.toggle()
        self.tick()

    def action_speed(self, direction: int) -> None:
        self.session.change_speed(direction * SPEED_STEP)
        self.tick()

    def action_sud(self) -> None:
        if self.session.current is not None:
            self.notify("Between sets: stop the set first (space).", timeout=3)
            return

        def rated(answer: tuple[int, str] | None) -> None:
            if answer is not None:
                self.session.rate_sud(answer[0], answer[1] or None)
                self.tick()

        self.app.push_screen(SudDialog(), callback=rated)

    def action_check(self) -> None:
        self.session.left_right_check()
        self.tick()

    def action_preset(self) -> None:
        if self.session.current is not None:
            return
        presets = self.session.presets
        index = (presets.index(self.session.preset) + 1) % len(presets) \
            if self.session.preset in presets else 0
        self.session.choose(presets[index])
        self.tick()

    def action_close(self) -> None:
        self.session.close()
        self.dismiss(None)

    # -- drawing --------------------------------------------------------------------------------
    def tick(self) -> None:
        """Take the engine's news and redraw."""
        self.session.poll()
        now = self.clock()
        session = self.session
        state = session.current or (session.sets[-1] if session.sets else None)
        preset = session.preset
        self._set("#bls-preset", f"Preset: {preset.label} · {preset.sound_text()}")
        check = session.check
        shown = check if check is not None else state
        side = shown.side if shown is not None else None
        in_check = check is not None or session.check_side is not None
        if self.reduced_motion:
            self._set("#bls-marker", "")
        elif in_check:
            self.query_one("#bls-marker", Static).update(
                track_text(check_position(session.check_side)))
        else:
            smooth = shown is not None and shown.preset.pan == "smooth"
            self.query_one("#bls-marker", Static).update(
                track_text(marker_position(shown, now, smooth)))
        if in_check:
            side = session.check_side
            words = {"left": "This is your LEFT ear", "right": "This is your RIGHT ear"}
            self._set("#bls-side", words.get(side or "", "Left-right check: listen…"))
        else:
            self._set("#bls-side", {"left": "◀ LEFT", "right": "RIGHT ▶"}.get(side or "", ""))
        self._set("#bls-counter", self._counter(state, now))
        self._set("#bls-speed", f"Speed: {speed_text(session.speed)}")
        self._set("#bls-status", self._status(state))
        sud = "—" if session.sud is None else str(session.sud)
        self._set("#bls-sud", f"SUD: {sud}")

    @staticmethod
    def _counter(state: SetState | None, now: float) -> str:
        if state is None:
            return "Pass 0"
        total = f" of {state.preset.passes}" if state.preset.passes else ""
        return f"Pass {state.passes}{total} · {tenths_text(state.seconds(now))}"

    def _status(self, state: SetState | None) -> str:
        if self.session.problem:
            return f"The sound could not play: {self.session.problem}"
        if state is None:
            return "Ready: space starts a set."
        if state.running:
            return f"Set {state.number} running" + (" (stopping…)" if state.ending else "")
        how = "stopped early" if state.stopped_early else "ended"
        return f"Set {state.number} {how}: {state.passes} passes. s records the SUD."

    def _set(self, selector: str, text: str) -> None:
        self.query_one(selector, Static).update(text)
