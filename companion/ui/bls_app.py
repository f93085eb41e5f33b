"""The standalone BLS app behind `companion bls`: the BLS panel on its own, sound through the engine."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from textual.app import App

from companion.bilateral import Audio, BilateralSession, Preset, SetState
from companion.clock import Clock
from companion.record.events import EventSink
from companion.ui.screens.bilateral import BilateralScreen
from companion.ui.theme import apply_calm_theme


class BlsApp(App[list[SetState]]):
    """Runs the BLS panel until it is closed; exits with the sets that ran."""

    TITLE = "Companion · bilateral stimulation"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, preset: Preset, presets: Sequence[Preset], audio: Audio, *,
                 clock: Clock = time.monotonic, reduced_motion: bool = False,
                 on_event: EventSink | None = None, timer: bool = True) -> None:
        super().__init__()
        self.session = BilateralSession(audio, clock=clock, presets=presets, on_event=on_event)
        self.session.choose(preset)
        self.clock = clock
        self.reduced_motion = reduced_motion
        self.tick_timer = timer
        self.problem: str | None = None

    def on_mount(self) -> None:
        apply_calm_theme(self)
        screen = BilateralScreen(self.session, clock=self.clock,
                                 reduced_motion=self.reduced_motion, timer=self.tick_timer)
        self.push_screen(screen, callback=lambda _none: self._panel_closed())

    def _panel_closed(self) -> None:
        self.problem = self.session.problem
        self.exit(self.session.sets)


def make_bls_app(preset: Preset, presets: Sequence[Preset], audio: Audio,
                 **options: Any) -> BlsApp:
    """The app factory shared by `companion bls` and the tests (options as BlsApp)."""
    return BlsApp(preset, presets, audio, **options)
