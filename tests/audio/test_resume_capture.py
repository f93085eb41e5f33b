"""A resumed session, heard through the real engine (ALSA file plugin, paced like a card):
the first sound is the interrupted track at its recorded position, fading in."""

from __future__ import annotations

import time
import wave
from pathlib import Path

import numpy as np
import pytest

from companion.audio.client import AudioEngine
from companion.session.player import RESUME_FADE_S
from companion.record.log import SessionRecord
from companion.session import AudioSetup, resume_session
from tests.audio.alsa import (CAPTURE_RATE, capture_fixture, envelope, retry_on_dropout,
                              zero_crossing_hz)

capture = capture_fixture()

AMP = 0.37
FULL_RMS = AMP / np.sqrt(2)
LOW_HZ, HIGH_HZ = 330.0, 660.0
CHANGE_AT_S = 5.0  # the track: 330 Hz for its first 5 s, then 660 Hz
CRASHED_AT_S = 6.0  # where the record last had it


def _two_tone_wav(path: Path, seconds: float = 14.0, rate: int = 48000) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    hz = np.where(t < CHANGE_AT_S, LOW_HZ, HIGH_HZ)
    phase = 2 * np.pi * np.cumsum(hz) / rate  # continuous phase: no click at the change
    mono = (AMP * np.sin(phase) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.repeat(mono[:, None], 2, axis=1).tobytes())
    return path


def _interrupted_session(folder: Path) -> tuple[Path, Path]:
    """A playlist of the two-tone track, and the record of a session cut off at 0:06 into it."""
    _two_tone_wav(folder / "two-tones.wav")
    playlist = folder / "resume.yaml"
    playlist.write_text(
        "name: Resume test\nplayback: {volume: 100, ceiling: 100, crossfade: 0, fade_in: 0.5}\n"
        "phases:\n  - name: Journey\n    minutes: 10\n    tracks:\n"
        "      - {file: two-tones.wav, title: Two tones}\n", encoding="utf-8")
    record = SessionRecord.start(folder / "sessions", playlist_name="Resume test",
                                 playlist_hash="0" * 64)
    record.append("phase_changed", index=0, name="Journey", planned_minutes=10, reason="start")
    record.append("track_started", title="Two tones", phase=0, index=0, seconds=14.0)
    record.append("track_position", title="Two tones", phase=0, index=0, position=CRASHED_AT_S)
    path = record.path
    record.close()
    return path, playlist


@pytest.mark.realtime
@retry_on_dropout
def test_the_first_sound_after_a_resume_is_the_track_at_its_position_fading_in(capture, tmp_path,
                                                                              monkeypatch):
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))  # no real playlists looked at
    record_path, playlist = _interrupted_session(tmp_path)
    engine = AudioEngine(env=capture.env, period_ms=10)
    info = engine.start("miniaudio")
    controller = resume_session(record_path, tmp_path / "sessions",
                                audio=AudioSetup(engine, info, None), fallback_playlist=playlist)
    try:
        until = time.monotonic() + RESUME_FADE_S + 1.0
        while time.monotonic() < until:
            controller.poll()
            time.sleep(0.05)
        assert controller.player.now_playing.position == pytest.approx(
            CRASHED_AT_S + RESUME_FADE_S + 1.0, abs=0.6)
    finally:
        controller.end("test over", fade_s=0.05)
        controller.close()
    x = capture.card.samples()
    env = envelope(x, 0.05)
    heard = np.flatnonzero(env > 0.02 * FULL_RMS)
    assert heard.size, "nothing was heard"
    first = heard[0]
    start = first * int(0.05 * CAPTURE_RATE)
    # From the very first sound it is the second tone: the track from 0:06, not from 0:00.
    assert zero_crossing_hz(x[start:start + int(0.3 * CAPTURE_RATE)]) == pytest.approx(HIGH_HZ, abs=8)
    # A fade-in over about RESUME_FADE_S: quiet at first, rising, then full.
    steps = int(RESUME_FADE_S / 0.05)
    fade = env[first:first + steps]
    assert fade[1] < 0.2 * FULL_RMS
    assert fade[steps // 2] == pytest.approx(FULL_RMS / 2, rel=0.35)
    assert np.all(np.diff(fade) > -0.02 * FULL_RMS), "the fade-in rises steadily"
    assert env[first + steps + 4] == pytest.approx(FULL_RMS, rel=0.05)
    record = controller.record
    assert record.last("phase_changed").get("reason") == "resume"
