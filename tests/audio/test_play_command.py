"""`companion play`: the headless preview, run as a person would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.audio.alsa import capture_fixture, retry_on_dropout, rms, write_tone_wav, zero_crossing_hz

ROOT = Path(__file__).resolve().parents[2]
capture = capture_fixture()


def companion(*args: str, env: dict | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "companion", "play", *args], capture_output=True,
                          text=True, env=full_env, timeout=timeout, cwd=ROOT)


def test_a_missing_file_exits_non_zero_naming_it(tmp_path):
    result = companion(str(tmp_path / "gone.flac"), "--audio", "none")
    assert result.returncode == 2
    assert result.stderr.strip() == f"companion: {tmp_path / 'gone.flac'}: no such file"
    assert "Playing" not in result.stdout


def test_a_file_that_is_not_audio_exits_non_zero_with_the_reason(tmp_path):
    junk = tmp_path / "notes.mp3"
    junk.write_text("these are my notes, not music")
    result = companion(str(junk), "--audio", "none")
    assert result.returncode == 2
    assert str(junk) in result.stderr and "not an audio file" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_backend_is_refused_by_the_parser(tmp_path):
    result = companion(str(tmp_path / "a.wav"), "--audio", "speakers")
    assert result.returncode == 2
    assert "invalid choice: 'speakers'" in result.stderr


@pytest.mark.realtime
def test_files_play_in_order_and_say_what_plays(tmp_path):
    a = write_tone_wav(tmp_path / "first.wav", 0.6)
    b = write_tone_wav(tmp_path / "second.wav", 0.6)
    result = companion(str(a), str(b), "--audio", "none", "--no-normalise")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Audio: none")
    assert lines[1:] == ["Playing 1/2: first (first.wav, 0:01)", "Playing 2/2: second (second.wav, 0:01)"]


@pytest.mark.realtime
def test_a_playlist_is_previewed_track_by_track_and_a_broken_track_is_skipped(tmp_path):
    good = write_tone_wav(tmp_path / "good.wav", 0.5)
    (tmp_path / "broken.flac").write_bytes(b"fLaC" + b"\0" * 40)
    playlist = tmp_path / "p.yaml"
    playlist.write_text(
        "name: Preview\n"
        "phases:\n"
        "  - name: One\n"
        "    minutes: 5\n"
        "    tracks:\n"
        "      - {file: broken.flac, title: Broken}\n"
        "      - {file: good.wav, title: Good}\n"
        "      - {builtin: ocean, title: Waves}\n")
    result = companion(str(playlist), "--seconds", "0.4", "--audio", "none",
                       env={"COMPANION_CACHE_DIR": str(tmp_path / "cache")})
    assert "Playing 1/3: Broken (broken.flac" in result.stdout
    assert "Playing 2/3: Good (good.wav, 0:00) [Preview / One]" in result.stdout
    assert "Playing 3/3: Waves (built-in ocean, endless) [Preview / One]" in result.stdout
    assert f"companion: {tmp_path / 'broken.flac'}:" in result.stderr and "(skipped)" in result.stderr
    assert result.returncode == 1
    assert good.exists()


@pytest.mark.realtime
@retry_on_dropout
def test_play_sounds_through_alsa(capture, tmp_path):
    wav = write_tone_wav(tmp_path / "tone.wav", 0.8, 440, 0.37)
    result = companion(str(wav), "--audio", "miniaudio", "--volume", "100", "--no-normalise",
                       env=capture.env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Audio: miniaudio (ALSA default device)"
    x = capture.sound()
    assert len(x) / 44100 == pytest.approx(0.8, abs=0.05)
    middle = x[int(0.3 * 44100):int(0.5 * 44100)]
    assert zero_crossing_hz(middle) == pytest.approx(440, abs=1)
    assert rms(middle) == pytest.approx(0.37 / 2 ** 0.5, rel=0.05)
    assert result.stderr == ""


@pytest.mark.realtime
@retry_on_dropout
def test_tracks_20_db_apart_play_at_the_same_loudness(capture, tmp_path):
    from companion.audio.loudness import LoudnessMeter

    amplitudes = (0.5, 0.05, 0.005)  # 20 dB apart
    files = [write_tone_wav(tmp_path / f"t{i}.wav", 3.0, 440, a) for i, a in enumerate(amplitudes)]
    env = dict(capture.env, COMPANION_CACHE_DIR=str(tmp_path / "cache"))
    result = companion(*map(str, files), "--audio", "miniaudio", "--volume", "100", env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert all(" at " in line for line in result.stdout.splitlines()[1:])  # the listing gives the gain
    x = capture.card.samples()
    audible = np.flatnonzero(np.abs(x).max(axis=1) > 1e-3)
    starts = audible[np.r_[0, np.flatnonzero(np.diff(audible) > 441) + 1]]  # after >10 ms of silence
    assert len(starts) == 3, starts
    played = []
    for start in starts:  # the steady middle second of each (1 s fades at both ends)
        meter = LoudnessMeter(rate=44100)
        meter.add(x[start + 44100:start + 2 * 44100].astype(np.float32))
        played.append(meter.result().integrated_lufs)
    assert max(played) - min(played) < 1.0, played
