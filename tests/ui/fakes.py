"""Test helpers for the session UI: a playlist, an engine that records commands, clocks, waits."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from companion.audio.controls import EngineControls
from companion.audio.outputs import OutputInfo
from companion.audio.protocol import Command, EngineEvent, Play, Started
from companion.session import AudioSetup

PLAYLIST_YAML = """\
name: Test session
description: Two built-in tracks per phase.
playback:
  volume: 50
  ceiling: 80
  crossfade: 6
  holding: {builtin: warm-pad, title: Holding}
phases:
  - name: Settling
    until: dose
    tracks:
      - {builtin: brown-noise, title: Soft swell, minutes: 10}
      - {builtin: ocean, title: Shore, minutes: 10}
  - name: Onset
    minutes: 20
    tracks:
      - {builtin: warm-pad, title: Warm pad, minutes: 20}
  - name: Peak
    minutes: 40
    tracks:
      - {builtin: ocean, title: Deep ocean, minutes: 40}
  - name: Return
    minutes: 30
    tracks:
      - {builtin: warm-pad, title: Return pad, minutes: 30}
"""


PLAN_YAML = """\
min_observation_minutes: 0.5
put_off_minutes: 0.1
overdue_after_minutes: 0.2
scales:
  moaa-s: {title: MOAA/S, min: 0, max: 5}
ranges:
  systolic: {low: 90, high: 140}
  spo2: {low: 94}
schedule:
  - before_dose: true
    title: Vitals before the dose
    vitals: [bp, hr]
    words: "I'm going to take your blood pressure before we begin."
  - at: 0.25
    vitals: [bp, hr, spo2, moaa-s]
  - at: 0.4
    check_in: "Softly: 'I'm right here. You don't need to answer.'"
  - before_leaving: true
    title: Vitals before leaving
    vitals: [bp]
harbour:
  track: {builtin: ocean, title: Harbour}
  fade: 2
  level: 30
  words: "You're safe. I'm right here. Let's notice the room."
landing:
  fade: 3
"""
"""A plan timed in seconds (15 s, 24 s, 30 s after the dose), appended to the playlist."""


def write_playlist(folder: Path, plan: str = "") -> Path:
    """A small playlist of built-in soundscapes (needs no music files), with `plan` appended."""
    path = folder / "test-session.yaml"
    path.write_text(PLAYLIST_YAML + plan, encoding="utf-8")
    return path


def command_kind(command: Command) -> str:
    """A command's name in snake case: `SetVolume` -> "set_volume" (the method that sends it)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(command).__name__).lower()


def command_fields(command: Command) -> dict[str, Any]:
    """A command's fields in one flat dict (those of its `SourceSpec` among them)."""
    fields = dataclasses.asdict(command)
    source = fields.pop("source", {})
    return {**fields, **source}


class FakeEngine(EngineControls):
    """Stands in for `AudioEngine`: keeps every command, plays nothing, starts instantly."""

    def __init__(self, backend: str = "none", reason: str = "") -> None:
        self.info = OutputInfo(backend, "null device" if backend == "none" else "ALSA default", reason)
        self.sent: list[Command] = []
        self.closed_with: float | None = None
        self.latency_s = 0.0
        self._events: list[EngineEvent] = []

    def start(self, output: str = "auto", timeout: float = 15.0) -> OutputInfo:
        return self.info

    def new_id(self) -> str:
        return f"fake-{len(self.sent) + 1}"  # the number of the command that carries it

    def send(self, command: Command) -> None:
        self.sent.append(command)
        if isinstance(command, Play):
            # As the real engine does once the track is heard: say it started, with its length.
            source = command.source
            self._events.append(Started(command.id, command.slot, source.file, source.seconds,
                                        at=0.0))

    @property
    def commands(self) -> list[tuple[str, dict[str, Any]]]:
        """Every command sent so far, in order, as (kind, fields)."""
        return [(command_kind(c), command_fields(c)) for c in self.sent]

    def poll_events(self) -> list[EngineEvent]:
        events, self._events = self._events, []
        return events

    @property
    def alive(self) -> bool:
        return self.closed_with is None

    def close(self, fade_s: float = 1.5, wait: bool = True) -> None:
        self.closed_with = fade_s

    def kinds(self) -> list[str]:
        """The command kinds sent so far, in order."""
        return [command_kind(c) for c in self.sent]


def fake_audio(backend: str = "none", reason: str = "") -> tuple[FakeEngine, Any]:
    """A fake engine and the `audio=` callable that hands it to `make_app`."""
    engine = FakeEngine(backend, reason)

    def setup() -> AudioSetup:
        info = engine.start()
        silent = None if backend != "none" else (f"no audio device ({reason})" if reason
                                                 else "audio output set to none")
        return AudioSetup(engine, info, silent)

    return engine, setup


def clocks(start: float = 1000.0):
    """A FakeClock and a wall clock that moves with it (a fixed date, so screens are stable)."""
    from datetime import datetime, timedelta, timezone

    from companion.clock import FakeClock

    clock = FakeClock(start)
    base = datetime(2026, 11, 25, 14, 0, 0, tzinfo=timezone.utc)

    def wall() -> datetime:
        return base + timedelta(seconds=clock.now - start)

    return clock, wall


def session_app(tmp_path: Path, *, player: Any = None, backend: str = "none", reason: str = "",
                clock: Any = None, wall: Any = None, plan: str = "", **options: Any):
    """A CompanionApp on a test playlist (with `plan` appended) and a fake engine: (app, engine, clock)."""
    from companion.config import Config
    from companion.ui.app import make_app

    playlist = write_playlist(tmp_path, plan)
    engine, audio = fake_audio(backend, reason)
    if clock is None:
        clock, wall = clocks()
    options.setdefault("config", Config())
    app = make_app(playlist, tmp_path / "data", audio, clock, wall=wall, player_factory=player,
                   **options)
    return app, engine, clock


async def wait_for(pilot: Any, condition: Any, timeout: float = 5.0) -> None:
    """Let the app run until `condition()` is true (workers and threads finish their part)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.02)


async def begin(pilot: Any) -> Any:
    """Press Enter on the start screen and wait for the session screen; returns the controller."""
    from companion.ui.screens.session import SessionScreen

    app = pilot.app
    await wait_for(pilot, lambda: app.audio is not None)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
    await settle(pilot)
    return app.controller


async def settle(pilot: Any) -> None:
    """Wait for record writes to land and the screen to repaint from them."""
    app = pilot.app
    await pilot.pause()
    if app.controller is not None:
        app.controller.flush()
    await pilot.pause()
    screen = app.screen
    if hasattr(screen, "refresh_view"):
        screen.refresh_view()
    await pilot.pause()


def event_types(app: Any) -> list[str]:
    """The types of every event in the app's session record so far."""
    return [event.type for event in app.controller.record.events]


def run_async(test: Any) -> Any:
    """Run an `async def` test with asyncio (no pytest async plugin is needed)."""
    import asyncio
    import functools

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return asyncio.run(test(*args, **kwargs))

    return wrapper
