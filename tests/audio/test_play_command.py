"""`companion play`: the headless preview, run as a person would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from companion.commands.play_items import Item
from companion.commands.play_plan import ENDLESS_PREVIEW_S, plan
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
    x = capture.sound()
    # Files follow each other with a 1 s crossfade: 3 s tracks starting 2 s apart, 7 s in all.
    assert len(x) / 44100 == pytest.approx(7.0, abs=0.06)
    played = []
    for alone_from in (1.1, 3.1, 5.1):  # where each plays alone, past fades and crossfades
        meter = LoudnessMeter(rate=44100)
        meter.add(x[int(alone_from * 44100):int((alone_from + 0.8) * 44100)].astype(np.float32))
        played.append(meter.result().integrated_lufs)
    print("played at LUFS:", played, "spread LU:", max(played) - min(played))
    assert max(played) - min(played) < 1.0, played


# -- joins: how each item is sent to the engine -------------------------------------------------

def _file(name: str, seconds: float, **kw) -> Item:
    return Item(name, Path(f"/music/{name}.wav"), None, seconds=seconds, **kw)


def _plan(items: list[Item], limit: float | None = None,
          crossfade: float | None = None) -> list[tuple]:
    return [(s.seconds, s.fade_in, s.join, s.fade_out) for s in plan(items, limit, crossfade)]


def test_files_crossfade_for_a_second_by_default_and_play_to_their_last_sample():
    items = [_file("a", 60.0), _file("b", 60.0), _file("c", 60.0)]
    # (seconds: None = the file's own length, fade-in from silence, join, fade-out)
    assert _plan(items) == [(None, 1.0, 0.0, 1.0), (None, 1.0, 1.0, 1.0), (None, 1.0, 1.0, 1.0)]


def test_crossfade_0_fades_only_the_first_in_and_the_last_out():
    items = [_file("a", 60.0), _file("b", 60.0), _file("c", 60.0)]
    assert _plan(items, crossfade=0) == [(None, 1.0, 0.0, 0.0), (None, 1.0, 0.0, 0.0),
                                         (None, 1.0, 0.0, 1.0)]


def test_a_track_cut_short_by_seconds_fades_out_even_before_a_gapless_join():
    items = [_file("a", 60.0), _file("b", 6.0), _file("c", 60.0)]
    assert _plan(items, limit=9.0, crossfade=0) == [(9.0, 1.0, 0.0, 1.0), (None, 1.0, 0.0, 0.0),
                                                    (9.0, 1.0, 0.0, 1.0)]


def test_a_crossfade_takes_at_most_half_of_the_shorter_track():
    items = [_file("a", 60.0), _file("b", 3.0), _file("c", 60.0)]
    assert [join for _, _, join, _ in _plan(items, crossfade=10)] == [0.0, 1.5, 1.5]


def test_playlist_tracks_join_with_their_playlists_crossfade_and_endless_built_ins_get_a_taste():
    items = [Item("Waves", None, "ocean", crossfade=8.0, fade_in=4.0, fade_out=6.0),
             Item("Swell", None, "brown-noise", seconds=300.0, crossfade=8.0, fade_in=4.0,
                  fade_out=6.0)]
    assert _plan(items) == [(ENDLESS_PREVIEW_S, 4.0, 0.0, 6.0), (300.0, 4.0, 8.0, 6.0)]
    assert _plan(items, crossfade=0) == [(ENDLESS_PREVIEW_S, 4.0, 0.0, 6.0),  # cut: it fades
                                         (300.0, 4.0, 0.0, 6.0)]


def test_crossfade_must_be_a_number_of_seconds(tmp_path):
    result = companion(str(tmp_path / "a.wav"), "--crossfade", "-1")
    assert result.returncode == 2
    assert "give a number of seconds, 0 or more" in result.stderr


@pytest.mark.realtime
def test_a_broken_track_between_two_is_reported_in_its_turn(tmp_path):
    write_tone_wav(tmp_path / "one.wav", 0.5)
    write_tone_wav(tmp_path / "three.wav", 0.5)
    playlist = tmp_path / "p.yaml"
    playlist.write_text(
        "name: Preview\n"
        "playback: {crossfade: 0}\n"
        "phases:\n"
        "  - name: One\n"
        "    minutes: 5\n"
        "    tracks:\n"
        "      - {file: one.wav, title: One}\n"
        "      - {file: missing.flac, title: Missing}\n"
        "      - {file: three.wav, title: Three}\n")
    result = companion(str(playlist), "--audio", "none", "--no-normalise")
    assert result.returncode == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()[1:]] == [
        "Playing 1/3", "Playing 2/3", "Playing 3/3"]
    assert "missing.flac: no such file (skipped)" in result.stderr


@pytest.mark.parametrize(("playback", "expected_db"), [
    ("  loudness_target: -18", -18.0 + 30.0 - 2.0),   # the playlist's own target, its gain
    ("  normalise: false", -2.0),                       # its own gain only
])
def test_a_playlist_is_heard_at_its_own_loudness_target(tmp_path, playback, expected_db):
    from companion.commands.play_items import collect_items

    write_tone_wav(tmp_path / "quiet.wav", 1.0, 997.0, 10 ** (-30 / 20))   # -30 LUFS
    playlist = tmp_path / "p.yaml"
    playlist.write_text(f"name: P\nplayback:\n{playback}\nphases:\n  - name: A\n    minutes: 1\n"
                        "    tracks:\n      - {file: quiet.wav, gain_db: -2}\n", encoding="utf-8")
    [item] = collect_items([str(playlist)], None)
    assert item.gain_db == pytest.approx(expected_db, abs=0.1)
