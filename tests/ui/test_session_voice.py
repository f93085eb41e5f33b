"""The voice pack and the breath sound in a session: the pacer opened over a session gets its guides."""

from __future__ import annotations

import wave

from companion.audio.breath_sound import BreathSoundGuide
from companion.breathing import Pattern, Step, WithdrawCues
from companion.config import Config
from companion.session import AudioSetup, begin_session
from companion.voice import INDEX_NAME, VoiceGuide, VoicePack
from companion.wording import Wording
from tests.ui.fakes import (FakeEngine, begin, clocks, run_async, session_app, settle, wait_for,
                            write_playlist)

SIZE = (100, 30)
PATTERN = Pattern("quick", "Quick", (Step("inhale", 4.0, "In"), Step("exhale", 4.0, "Out")))


def make_pack(folder):
    """A voice pack with one take: the breathing's opening line (a short silent WAV)."""
    pack = VoicePack.open(folder, create=True)
    take = pack.file_for("breathing.opening").with_suffix(".wav")
    with wave.open(str(take), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48000)
        out.writeframes(b"\0\0" * 4800)
    pack.keep("breathing.opening", take, Wording().get("breathing.opening"), 0.1)
    return take


def start(tmp_path, *, voice=None, breath_sound=False, silent=None):
    """A session begun on the test playlist (naming `voice`, when given) with a fake engine."""
    engine = FakeEngine("alsa")
    clock, wall = clocks()
    playlist = write_playlist(tmp_path, f"voice: {voice}\n" if voice else "")
    controller = begin_session(playlist, tmp_path / "sessions",
                               audio=AudioSetup(engine, engine.info, silent),
                               clock=clock, wall=wall, breath_sound=breath_sound)
    return controller, engine


def kinds(controller):
    """The kinds of guide the controller gives the pacer, in order."""
    return [type(guide) for guide in controller.breathing_guides(PATTERN)]


def notes(controller):
    controller.flush()
    return [event for event in controller.record.events if event.type == "note"]


# -- the controller ---------------------------------------------------------------------------


def test_the_playlists_voice_pack_becomes_a_voice_guide(tmp_path):
    make_pack(tmp_path / "pack")
    controller, engine = start(tmp_path, voice="pack")
    withdraw, voice = controller.breathing_guides(PATTERN)
    assert isinstance(withdraw, WithdrawCues) and isinstance(voice, VoiceGuide)
    assert voice.speaker.engine is engine and voice.speaker.pack.path == tmp_path / "pack"
    assert voice.pattern is PATTERN
    assert notes(controller) == []


def test_a_missing_voice_pack_is_a_note_not_an_error(tmp_path):
    controller, _engine = start(tmp_path, voice="no-such-pack")
    assert kinds(controller) == [WithdrawCues]
    (note,) = notes(controller)
    assert note.get("tag") == "other"
    assert "Voice pack not used" in note.get("text") and "no-such-pack" in note.get("text")


def test_a_broken_voice_pack_is_a_note_not_an_error(tmp_path):
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / INDEX_NAME).write_text("- just\n- a list\n")
    controller, _engine = start(tmp_path, voice="pack")
    assert kinds(controller) == [WithdrawCues]
    (note,) = notes(controller)
    assert "Voice pack not used" in note.get("text") and "mapping" in note.get("text")


def test_the_breath_sound_is_off_by_default_and_on_when_set(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "off").mkdir()
    (tmp_path / "on").mkdir()
    controller, _engine = start(tmp_path / "off")
    assert controller.breath_sound is False and kinds(controller) == [WithdrawCues]
    controller, engine = start(tmp_path / "on", breath_sound=True)
    (_, guide) = controller.breathing_guides(PATTERN)
    assert isinstance(guide, BreathSoundGuide) and guide.engine is engine
    assert guide.file.is_file() and guide.file.parent == tmp_path / "cache" / "breath"


def test_voice_and_breath_sound_together(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_CACHE_DIR", str(tmp_path / "cache"))
    make_pack(tmp_path / "pack")
    controller, _engine = start(tmp_path, voice="pack", breath_sound=True)
    assert kinds(controller) == [WithdrawCues, VoiceGuide, BreathSoundGuide]


def test_no_guides_when_silent_or_ending(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_CACHE_DIR", str(tmp_path / "cache"))
    make_pack(tmp_path / "pack")
    controller, _engine = start(tmp_path, voice="pack", breath_sound=True,
                                silent="audio output set to none")
    assert controller.breathing_guides(PATTERN) == []
    controller.engine = None
    controller.silent_reason = None
    assert controller.breathing_guides(PATTERN) == []
    assert notes(controller) == []


# -- the app: the pacer opened over a session -------------------------------------------------


async def open_pacer(pilot, app):
    """Press r over the session and choose the first pattern; returns the pacer screen."""
    from companion.ui.screens.breathing import PacerScreen, PatternPickerScreen

    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, PatternPickerScreen))
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, PacerScreen))
    return app.screen


@run_async
async def test_a_session_whose_playlist_names_a_pack_speaks_in_the_pacer(tmp_path):
    take = make_pack(tmp_path / "pack")
    app, engine, _clock = session_app(tmp_path, backend="alsa", plan="voice: pack\n")
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        pacer = await open_pacer(pilot, app)
        assert [type(guide) for guide in pacer._guides] == [WithdrawCues, VoiceGuide]
        await pilot.press("4", "enter")  # the distress rating before, then the pacer starts
        await wait_for(pilot, lambda: any(kind == "cue" and fields.get("file") == str(take)
                                          for kind, fields in engine.commands), timeout=3)
        cue = next(f for k, f in engine.commands if k == "cue" and f.get("file") == str(take))
        assert cue["duck_db"] < 0  # the music dips under the voice


@run_async
async def test_a_missing_pack_in_a_session_writes_a_note_and_the_pacer_goes_on(tmp_path):
    app, _engine, _clock = session_app(tmp_path, backend="alsa", plan="voice: missing-pack\n")
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        pacer = await open_pacer(pilot, app)
        assert [type(guide) for guide in pacer._guides] == [WithdrawCues]
        await settle(pilot)
        texts = [n.get("text") for n in notes(controller)]
        assert len(texts) == 1 and texts[0].startswith("Voice pack not used")


@run_async
async def test_breath_sound_in_the_config_reaches_the_sessions_pacer(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_CACHE_DIR", str(tmp_path / "cache"))
    app, engine, _clock = session_app(tmp_path, backend="alsa", config=Config(breath_sound=True))
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        pacer = await open_pacer(pilot, app)
        assert [type(guide) for guide in pacer._guides] == [WithdrawCues, BreathSoundGuide]
        await pilot.press("4", "enter")
        await wait_for(pilot, lambda: any(kind == "play" and fields.get("slot") == "breath"
                                          for kind, fields in engine.commands), timeout=3)


@run_async
async def test_the_breath_sound_is_off_by_default_in_a_session(tmp_path):
    app, _engine, _clock = session_app(tmp_path, backend="alsa")
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        pacer = await open_pacer(pilot, app)
        assert [type(guide) for guide in pacer._guides] == [WithdrawCues]


@run_async
async def test_pausing_or_stopping_the_pacer_takes_back_the_sounds_sent_ahead(tmp_path):
    app, engine, _clock = session_app(tmp_path, backend="alsa")
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        await open_pacer(pilot, app)
        await pilot.press("4", "enter")                   # the pacer starts: cues go ahead
        await settle(pilot)
        await pilot.press("space")                        # pause: the next bell must not ring
        await wait_for(pilot, lambda: engine.commands[-1][0] == "withdraw_cues", timeout=3)
        await pilot.press("space", "escape")              # resume, then stop early
        await wait_for(pilot, lambda: [k for k, _ in engine.commands].count("withdraw_cues") == 2,
                       timeout=3)
