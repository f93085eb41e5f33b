"""Test helpers for the session UI: a playlist, an engine that records commands, clocks, waits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from companion.audio.outputs import OutputInfo
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


class FakeEngine:
    """Stands in for `AudioEngine`: remembers every command, plays nothing, starts instantly."""

    def __init__(self, backend: str = "none", reason: str = "") -> None:
        self.info = OutputInfo(backend, "null device" if backend == "none" else "ALSA default", reason)
        self.commands: list[tuple[str, dict]] = []
        self.closed_with: float | None = None
        self.latency_s = 0.0
        self._ids = 0
        self._events: list[tuple[str, dict]] = []

    def start(self, output: str = "auto", timeout: float = 15.0) -> OutputInfo:
        return self.info

    def _record(self, kind: str, **fields: Any) -> str:
        self._ids += 1
        self.commands.append((kind, fields))
        return f"fake-{self._ids}"

    def play(self, slot: str = "music", **fields: Any) -> str:
        play_id = self._record("play", slot=slot, **fields)
        # As the real engine does once the track is heard: say it started, with its length.
        self._events.append(("started", {"id": play_id, "slot": slot, "seconds": fields.get("seconds"),
                                         "path": fields.get("file")}))
        return play_id

    def queue(self, slot: str = "music", **fields: Any) -> str:
        return self._record("queue", slot=slot, **fields)

    def stop(self, slot: str = "music", fade_s: float = 1.0) -> None:
        self._record("stop", slot=slot, fade_s=fade_s)

    def suspend(self, slot: str = "music", fade_s: float = 1.0) -> None:
        self._record("suspend", slot=slot, fade_s=fade_s)

    def unsuspend(self, slot: str = "music", fade_s: float = 1.0) -> None:
        self._record("unsuspend", slot=slot, fade_s=fade_s)

    def set_volume(self, percent: float, ramp_s: float = 0.3) -> None:
        self._record("volume", percent=percent, ramp_s=ramp_s)

    def set_ceiling(self, percent: float) -> None:
        self._record("ceiling", percent=percent)

    def pause(self, fade_s: float = 0.5) -> None:
        self._record("pause", fade_s=fade_s)

    def resume(self, fade_s: float = 0.5) -> None:
        self._record("resume", fade_s=fade_s)

    def cue(self, **fields: Any) -> str:
        return self._record("cue", **fields)

    def withdraw_cues(self) -> None:
        self._record("withdraw_cues")

    def ping(self, t: float) -> None:
        self._record("ping", t=t)

    def poll_events(self) -> list:
        events, self._events = self._events, []
        return events

    @property
    def alive(self) -> bool:
        return self.closed_with is None

    def close(self, fade_s: float = 1.5, wait: bool = True) -> None:
        self.closed_with = fade_s

    def kinds(self) -> list[str]:
        """The command kinds sent so far, in order."""
        return [kind for kind, _ in self.commands]


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
