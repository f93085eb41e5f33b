"""A session plays each sound at its playlist's loudness target, from the loudness cache."""

from __future__ import annotations

import numpy as np
import pytest

from companion.audio.loudness import BUILTIN_TYPICAL
from companion.audio.loudness_cache import LoudnessCache
from companion.audio.protocol import Started
from companion.session import AudioSetup, begin_session
from tests.audio.signals import write_wav
from tests.ui.fakes import FakeEngine, clocks

RATE = 48000


def tone(path, dbfs):
    t = np.arange(2 * RATE) / RATE
    wave = (10 ** (dbfs / 20) * np.sin(2 * np.pi * 997 * t)).astype(np.float32)
    return write_wav(path, np.stack([wave, wave], axis=1), RATE, "float32")


def playlist(folder, playback=""):
    tone(folder / "quiet.wav", -36.0)
    tone(folder / "loud.wav", -12.0)
    tone(folder / "new.wav", -12.0)
    path = folder / "levels.yaml"
    path.write_text(f"""\
name: Levels
playback:
  crossfade: 0
{playback}
phases:
  - name: Only
    minutes: 1
    tracks:
      - {{file: quiet.wav, gain_db: -2}}
      - {{file: loud.wav}}
      - {{file: new.wav}}
      - {{builtin: ocean}}
""", encoding="utf-8")
    return path


def played_gains(tmp_path, path):
    """The gain_db the session gives each of its first four sounds, in playing order."""
    clock, wall = clocks()
    engine = FakeEngine()
    begun = begin_session(path, tmp_path / "sessions", clock=clock, wall=wall,
                          audio=AudioSetup(engine, engine.info, None))
    gains: dict[str, float] = {}
    answered = 0
    while len(gains) < 4:
        for number, (kind, fields) in enumerate(engine.commands[answered:], answered + 1):
            if kind in ("play", "queue") and fields["slot"] == "music":
                gains.setdefault(str(fields["file"] or fields["builtin"]), fields["gain_db"])
                if kind == "queue":                    # the engine starts it on its frame
                    engine._events.append(Started(f"fake-{number}", "music", None, 2.0, 0.0))
        answered = len(engine.commands)
        clock.advance(2.0)
        begun.poll()
    begun.flush()
    recorded = [e.get("gain_db") for e in begun.record.events if e.type == "track_started"]
    assert [round(g, 1) for g in recorded[:3]] == [round(g, 1) for g in list(gains.values())[:3]]
    return [round(gain, 1) for gain in gains.values()][:4]


def test_analysed_tracks_play_at_the_target_and_the_rest_at_their_own_gain(tmp_path):
    path = playlist(tmp_path, "  loudness_target: -20")
    cache = LoudnessCache()
    for name in ("quiet.wav", "loud.wav"):
        cache.file_loudness(tmp_path / name)         # what `companion analyse` does
    quiet = cache.get(tmp_path / "quiet.wav").integrated_lufs
    loud = cache.get(tmp_path / "loud.wav").integrated_lufs
    assert quiet == pytest.approx(-36, abs=0.1)  # a 997 Hz sine in both channels (Tech 3341)
    assert played_gains(tmp_path, path) == [
        round(-20 - quiet - 2, 1), round(-20 - loud, 1), 0.0,
        round(-20 - BUILTIN_TYPICAL["ocean"][0], 1)]


def test_a_playlist_can_turn_levelling_off(tmp_path):
    path = playlist(tmp_path, "  normalise: false")
    LoudnessCache().file_loudness(tmp_path / "quiet.wav")
    assert played_gains(tmp_path, path) == [-2.0, 0.0, 0.0, 0.0]


def test_the_sitter_is_told_which_files_are_not_analysed_as_the_session_starts(tmp_path):
    path = playlist(tmp_path)
    LoudnessCache().file_loudness(tmp_path / "quiet.wav")

    def note():
        clock, wall = clocks()
        engine = FakeEngine()
        return begin_session(path, tmp_path / "sessions", clock=clock, wall=wall,
                             audio=AudioSetup(engine, engine.info, None)).loudness_note

    assert note().startswith("2 files not analysed for loudness (loud, new) will play at "
                             "their own level: `companion analyse levels.yaml`")
    for name in ("loud.wav", "new.wav"):
        LoudnessCache().file_loudness(tmp_path / name)
    assert note() == ""                      # built-ins need no analysis


def test_the_note_is_shown_on_the_session_screen(tmp_path):
    from companion.config import Config
    from companion.ui.app import make_app
    from tests.ui.fakes import begin, fake_audio, run_async

    path = playlist(tmp_path)
    _engine, audio = fake_audio("alsa")
    clock, wall = clocks()
    app = make_app(path, tmp_path / "data", audio, clock, wall=wall, config=Config())

    @run_async
    async def run():
        async with app.run_test(size=(100, 30)) as pilot:
            await begin(pilot)
            shown = [n.message for n in app._notifications]
            assert any(m.startswith("3 files not analysed for loudness") for m in shown), shown

    run()
