"""The voice recorder screen with a fake microphone: record, hear, keep, redo, skip, quit, resume."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

import numpy as np
from textual.widgets import Static

from companion.ui.screens.voice_record import VoiceRecordScreen, meter_text
from companion.ui.voice_app import make_voice_app
from companion.voice import VoicePack, missing, prompts, select
from companion.wording import Wording

RATE = 48000


def run_async(test):
    """Run an async test body with asyncio (no pytest-asyncio here)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


class FakeMic:
    """Hands back a syllable-like burst between silences; level from a fixed value."""

    made = 0

    def __init__(self) -> None:
        FakeMic.made += 1
        self.rate = RATE
        self.level = -18.0
        self.running = False
        self.seconds = 0.0

    def start(self) -> str:
        self.running = True
        return "fake"

    def stop(self) -> np.ndarray:
        self.running = False
        t = np.arange(RATE) / RATE
        voice = (0.1 * np.sin(2 * np.pi * 200 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)
        silence = np.zeros(RATE // 2, np.float32)
        return np.concatenate([silence, voice, silence])


class FakePlayer:
    def __init__(self) -> None:
        self.played: list[Path] = []

    def play(self, path: Path) -> None:
        self.played.append(path)

    def stop(self) -> None:
        pass


def box(pack_dir: Path):
    pack = VoicePack.open(pack_dir, create=True)
    return pack, select(prompts(Wording()), "breathing.patterns.box")


def words(app) -> str:
    return str(app.screen.query_one("#voice-words", Static).render())


async def record(pilot) -> None:
    await pilot.press("r")
    for _ in range(50):
        await pilot.pause(0.02)
        if pilot.app.screen.state == "recording":
            break
    await pilot.press("r")
    await pilot.pause()


@run_async
async def test_record_keep_saves_the_take_and_moves_to_the_next_line(tmp_path: Path) -> None:
    pack, items = box(tmp_path / "pack")
    player = FakePlayer()
    app = make_voice_app(pack, items, capture_factory=FakeMic, player=player)
    async with app.run_test(size=(80, 24)) as pilot:
        assert words(app) == items[0].text
        await record(pilot)
        assert app.screen.state == "review"
        assert len(player.played) == 1  # the take plays back at once
        await pilot.press("h")
        assert len(player.played) == 2
        await pilot.press("k")
        await pilot.pause()
        assert words(app) == items[1].text
    assert missing(VoicePack.open(tmp_path / "pack"), items) == [p.key for p in items[1:]]
    assert not (tmp_path / "pack" / ".preview.wav").exists()


@run_async
async def test_skip_and_redo_keep_nothing_until_keep(tmp_path: Path) -> None:
    pack, items = box(tmp_path / "pack")
    app = make_voice_app(pack, items, capture_factory=FakeMic, player=FakePlayer())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert words(app) == items[1].text
        await record(pilot)
        made = FakeMic.made
        await pilot.press("d")  # redo: recording again straight away
        for _ in range(50):
            await pilot.pause(0.02)
            if app.screen.state == "recording":
                break
        assert FakeMic.made == made + 1 and app.screen.state == "recording"
    assert missing(VoicePack.open(tmp_path / "pack"), items) == [p.key for p in items]


@run_async
async def test_quit_with_an_unsaved_take_asks_first(tmp_path: Path) -> None:
    pack, items = box(tmp_path / "pack")
    app = make_voice_app(pack, items, capture_factory=FakeMic, player=FakePlayer())
    async with app.run_test(size=(80, 24)) as pilot:
        await record(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, VoiceRecordScreen)  # the question
        await pilot.press("escape")  # "go back"
        await pilot.pause()
        assert isinstance(app.screen, VoiceRecordScreen) and app.screen.state == "review"
        await pilot.press("q")
        await pilot.pause()
        app.screen.query_one("#yes").press()
        await pilot.pause()
    assert app.return_value == 0


@run_async
async def test_a_half_recorded_pack_resumes_at_the_first_missing_line(tmp_path: Path) -> None:
    pack, items = box(tmp_path / "pack")
    for prompt in items[:2]:
        path = pack.file_for(prompt.key)
        path.write_bytes(b"RIFF")
        pack.keep(prompt.key, path, prompt.text, 3.0)
    app = make_voice_app(VoicePack.open(tmp_path / "pack"), items, capture_factory=FakeMic,
                         player=FakePlayer())
    async with app.run_test(size=(80, 24)) as pilot:
        assert words(app) == items[2].text
        assert "Line 3 of 4" in str(app.screen.query_one("#voice-progress", Static).render())
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == 0


def test_meter_is_full_at_full_scale_and_empty_at_the_floor() -> None:
    assert meter_text(0.0, 10) == "▮" * 10
    assert meter_text(-90.0, 10) == "·" * 10
    assert meter_text(-30.0, 10).count("▮") == 5


@run_async
async def test_quit_while_recording_keeps_the_take_for_the_question(tmp_path: Path) -> None:
    pack, items = box(tmp_path / "pack")
    app = make_voice_app(pack, items, capture_factory=FakeMic, player=FakePlayer())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        for _ in range(50):
            await pilot.pause(0.02)
            if app.screen.state == "recording":
                break
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, VoiceRecordScreen)  # asked: keep it or not
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.state == "review"
        await pilot.press("k")
        await pilot.pause()
    assert missing(VoicePack.open(tmp_path / "pack"), items) == [p.key for p in items[1:]]
