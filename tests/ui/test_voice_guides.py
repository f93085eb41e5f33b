"""The exercises with a voice: the pacer tells its guides each step ahead; grounding with eyes closed."""

from __future__ import annotations

import asyncio
import functools
import time

from companion.breathing import Pattern, Step
from companion.ui.breathe_app import make_breathe_app
from companion.ui.ground_app import make_ground_app


def run_async(test):
    """Run an async test body with asyncio (no pytest-asyncio here)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


class Guide:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def started(self, pacer) -> None:
        self.calls.append(("started", pacer.started_at + pacer.lead_in))

    def step(self, pacer, index: int, at: float) -> None:
        self.calls.append(("step", index, at, time.monotonic()))

    def paused(self, pacer) -> None:
        self.calls.append(("paused",))

    def resumed(self, pacer) -> None:
        self.calls.append(("resumed",))

    def stopped(self, pacer) -> None:
        self.calls.append(("stopped",))


@run_async
async def test_pacer_tells_its_guides_each_step_ahead_and_the_end() -> None:
    pattern = Pattern("quick", "Quick", (Step("inhale", 0.6, "In"), Step("exhale", 0.6, "Out")))
    guide = Guide()
    app = make_breathe_app([pattern], pattern, cycles=1, lead_in=0.5, guides=lambda p: [guide])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(2.2)
    kinds = [c[0] for c in guide.calls]
    assert kinds[0] == "started" and kinds[-1] == "stopped"
    steps = [c for c in guide.calls if c[0] == "step"]
    assert [c[1] for c in steps] == [0, 1, -1]
    first = guide.calls[0][1]
    for (_, _, at, sent), offset in zip(steps, (0.0, 0.6, 1.2)):
        assert abs(at - (first + offset)) < 1e-6  # the pacer's exact moments
        assert sent < at  # sent ahead, so the engine can place it on its sample


@run_async
async def test_eyes_closed_grounding_speaks_each_line_and_counts_any_key() -> None:
    said: list[str] = []

    def speak(key: str, text: str) -> bool:
        said.append(key)
        return True

    app = make_ground_app(ratings=False, speak=speak, pause_s=0.6)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert said == ["grounding.opening.client"]
        await pilot.press("enter")
        await pilot.pause()
        assert said[-1] == "grounding.see.prompt"
        for key in "abcde":  # five things seen, one key each
            await pilot.press(key)
        await pilot.pause()
        assert said[-1] == "grounding.hear.prompt"
        await pilot.press("space")
        await pilot.pause(0.9)  # no more keys: moves on by itself
        assert said[-1] == "grounding.feel.prompt"
        assert app.screen.exercise.items[1] == [""]
        await pilot.press("ctrl+r")  # repeat: said again
        await pilot.pause()
        assert said[-2:] == ["grounding.feel.prompt", "grounding.feel.prompt"]
