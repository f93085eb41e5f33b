"""Loudness at the device, captured from the real default output (the paced ALSA card).

Shared by tests/audio/test_gain_structure.py (short captures) and scripts/gain_table (the
table in docs/sound/levels.md). Each measurement starts a real engine on ALSA's default device (the
paced FIFO card of tests/audio/alsa.py), plays one sound the way a session or `companion
play` does, at the default volume, and measures the captured samples' integrated loudness
(BS.1770, the same meter `companion analyse` uses) past the sound's fade-in.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tests.audio.alsa import CAPTURE_RATE, Capture, first_sound, write_tone_wav

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "companion" / "bundled"
BUNDLED_PLAYLISTS = ("default", "kap-sublingual-2h", "esketamine-label-monitoring")


@dataclass(frozen=True)
class Heard:
    """One sound as captured: where it came from and its loudness at the device."""

    what: str
    lufs: float
    """Integrated loudness of the captured samples past the fade-in (LUFS)."""
    fade_in_s: float
    """Seconds from the first audible sample to within 3 dB of the steady level."""
    peak: float
    """Largest captured sample (full scale 1.0)."""


def integrated_lufs(x: np.ndarray, rate: int = CAPTURE_RATE) -> float:
    """BS.1770 integrated loudness of captured stereo samples."""
    from companion.audio.loudness import LoudnessMeter

    meter = LoudnessMeter(rate=rate)
    meter.add(np.ascontiguousarray(x, dtype=np.float32))
    return float(meter.result().integrated_lufs)


def fade_in_seconds(x: np.ndarray, rate: int = CAPTURE_RATE) -> float:
    """Seconds until the 400 ms RMS first comes within 3 dB of its median over the rest."""
    block = int(0.4 * rate)
    levels = [float(np.sqrt(np.mean(x[i:i + block] ** 2)) + 1e-12)
              for i in range(0, len(x) - block, block // 4)]
    steady = float(np.median(levels[len(levels) // 2:]))
    for index, level in enumerate(levels):
        if level >= steady * 10 ** (-3 / 20):
            return index * (block // 4) / rate
    return len(x) / rate


def _heard(what: str, capture: Capture, skip_s: float, seconds: float) -> Heard:
    x = capture.card.samples()
    first = first_sound(x)
    assert first is not None, f"{what}: nothing audible was captured"
    x = x[first:]
    start, end = int(skip_s * CAPTURE_RATE), int((skip_s + seconds) * CAPTURE_RATE)
    return Heard(what, integrated_lufs(x[start:end]), fade_in_seconds(x[:end]),
                 float(np.abs(x).max()))


def _engine(capture: Capture):
    from companion.audio.client import AudioEngine

    env = dict(os.environ, **capture.env)
    engine = AudioEngine(env=env)
    info = engine.start("miniaudio")
    assert info.backend == "miniaudio", info
    return engine


def _player(playlist, engine):
    from companion.audio.loudness_cache import Levelling
    from companion.session.player import Player

    levelling = Levelling.for_playlist(playlist)
    return Player(playlist, engine, levels=levelling.gain_db if levelling else None,
                  quietness=levelling.below_target_db if levelling else None)


def _poll_for(player, seconds: float) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        player.poll()
        time.sleep(0.02)


def session_music(capture: Capture, playlist_path: Path, steady_s: float = 6.0) -> Heard:
    """The playlist's first track as a session starts it, at the playlist's volume."""
    from companion.playlist.loader import load_playlist

    playlist = load_playlist(playlist_path)
    engine = _engine(capture)
    try:
        player = _player(playlist, engine)
        player.play()
        fade = playlist.phases[0].tracks[0].fade_in
        fade = playlist.playback.fade_in if fade is None else fade
        _poll_for(player, fade + steady_s + 0.3)
    finally:
        engine.close(fade_s=0.2)
    return _heard(f"{playlist.name}: music ({playlist.phases[0].tracks[0].title})",
                  capture, fade + 0.2, steady_s)


def session_holding(capture: Capture, playlist_path: Path, steady_s: float = 5.0) -> Heard:
    """The holding sound as the sound check plays it: at the session's volume."""
    from companion.session.player import SOUND_CHECK_FADE_S
    from companion.playlist.loader import load_playlist

    playlist = load_playlist(playlist_path)
    engine = _engine(capture)
    try:
        player = _player(playlist, engine)
        player.sound_check(seconds=SOUND_CHECK_FADE_S * 2 + steady_s)
        _poll_for(player, SOUND_CHECK_FADE_S + steady_s + 0.3)
    finally:
        engine.close(fade_s=0.2)
    return _heard(f"{playlist.name}: holding sound (sound check)", capture,
                  SOUND_CHECK_FADE_S + 0.2, steady_s)


def session_cue(capture: Capture, playlist_path: Path, role: str = "inhale") -> Heard:
    """A breathing cue as a session sounds it, at the playlist's volume."""
    from companion.playlist.loader import load_playlist

    playlist = load_playlist(playlist_path)
    engine = _engine(capture)
    try:
        engine.set_ceiling(playlist.playback.ceiling)
        engine.set_volume(min(playlist.playback.volume, playlist.playback.ceiling), ramp_s=0.0)
        player = _player(playlist, engine)
        player.cue(role)
        _poll_for(player, 4.5)
    finally:
        engine.close(fade_s=0.2)
    return _heard(f"{playlist.name}: breathing cue ({role})", capture, 0.0, 4.0)


def play_command(capture: Capture, tmp: Path, lufs: float, seconds: float = 6.0) -> Heard:
    """`companion play FILE` at its default volume, for a steady 997 Hz tone at `lufs`."""
    wav = write_tone_wav(tmp / f"tone{lufs:+.0f}.wav", seconds, 997.0, 10 ** (lufs / 20))
    env = dict(os.environ, PYTHONPATH=str(ROOT), COMPANION_CACHE_DIR=str(tmp / "cache"),
               **capture.env)
    result = subprocess.run([sys.executable, "-m", "companion", "play", str(wav), "--audio",
                             "miniaudio"], capture_output=True, text=True, env=env, timeout=60,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return _heard(f"companion play, a {lufs:g} LUFS file", capture, 1.5, seconds - 3.0)
