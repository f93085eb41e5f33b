"""Loading playlists into the model: defaults, paths, lengths and the first fatal problem."""

from __future__ import annotations

import hashlib

import pytest

from companion.errors import PlaylistError
from companion.playlist import BreathingSpec, Phase, StepSpec, Track, load_playlist
from tests.playlist.helpers import MINIMAL, write

FULL = """\
name: Gentle
description: For tests.
language: es
playback:
  volume: 40
  ceiling: 70
  crossfade: 0
  holding: {builtin: warm-pad, title: Holding}
phases:
  - name: Settling
    until: dose
    tracks:
      - builtin: brown-noise
        title: Soft swell
        seed: 1
        minutes: 10
        gain_db: -3
        fade_in: 8
        fade_out: 8
      - file: music/01.flac
        loop: true
  - name: Onset
    minutes: 20
breathing:
  - name: calm-4-6
    title: Calm 4-6
    cycles: 6
    steps:
      - {inhale: 4, words: "In"}
      - {exhale: 6.5}
cues:
  inhale: {builtin: soft-bell}
  exhale: {file: sounds/low-bowl.wav, gain_db: -6}
wording:
  grounding.see.prompt: "Look around."
"""


def test_load_playlist_builds_the_whole_model(tmp_path):
    path = write(tmp_path, FULL)
    playlist = load_playlist(path)
    assert (playlist.name, playlist.description, playlist.language) == ("Gentle", "For tests.",
                                                                        "es")
    assert playlist.playback.volume == 40 and playlist.playback.ceiling == 70
    assert playlist.playback.crossfade == 0
    assert (playlist.playback.fade_in, playlist.playback.fade_out) == (4, 6)  # defaults
    assert playlist.playback.holding == Track(title="Holding", builtin="warm-pad", line=8)
    settling, onset = playlist.phases
    assert (settling.name, settling.until_dose, settling.minutes) == ("Settling", True, None)
    assert settling.tracks[0] == Track(title="Soft swell", builtin="brown-noise", seed=1,
                                       seconds=600.0, gain_db=-3.0, fade_in=8.0, fade_out=8.0,
                                       line=13)
    assert settling.tracks[1] == Track(title="01", file=tmp_path / "music" / "01.flac",
                                       loop=True, line=20)
    assert onset == Phase(name="Onset", minutes=20.0, until_dose=False, tracks=(), line=22)
    assert playlist.breathing == (BreathingSpec(
        name="calm-4-6", title="Calm 4-6", cycles=6, minutes=None, line=25,
        steps=(StepSpec("inhale", 4.0, "In"), StepSpec("exhale", 6.5, ""))),)
    assert playlist.cues["inhale"].builtin == "soft-bell"
    assert playlist.cues["exhale"].file == tmp_path / "sounds" / "low-bowl.wav"
    assert playlist.cues["exhale"].gain_db == -6
    assert dict(playlist.wording) == {"grounding.see.prompt": "Look around."}
    assert playlist.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert playlist.path == path


def test_load_playlist_does_not_fail_on_missing_files(tmp_path):
    path = write(tmp_path, MINIMAL + "      - file: nowhere.mp3\n")
    assert load_playlist(path).phases[0].tracks[1].file == tmp_path / "nowhere.mp3"


def test_load_playlist_raises_the_first_problem_with_its_position(tmp_path):
    path = write(tmp_path, "name: x\nphases:\n  - {name: a, minutes: 0}\n  - {name: b}\n")
    with pytest.raises(PlaylistError) as caught:
        load_playlist(path)
    assert caught.value.located() == (f"{path}:3:24: `minutes` must be more than 0 and at most "
                                      "600 minutes, not 0")


def test_load_playlist_raises_for_a_missing_file(tmp_path):
    with pytest.raises(PlaylistError, match="no such playlist file"):
        load_playlist(tmp_path / "none.yaml")


def test_model_is_frozen(tmp_path):
    playlist = load_playlist(write(tmp_path, MINIMAL))
    with pytest.raises(AttributeError):
        playlist.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        playlist.cues["x"] = None  # type: ignore[index]


@pytest.mark.parametrize("text, value", [
    ("name: no", "no"),            # YAML 1.1 would read a bare `no` as false
    ("name: 1984", "1984"),
    ("name: 2024-05-01", "2024-05-01"),
])
def test_plain_scalars_that_look_like_other_types_are_text_where_text_is_expected(
        tmp_path, text, value):
    path = write(tmp_path, MINIMAL.replace("name: Test", text))
    assert load_playlist(path).name == value


def test_home_relative_and_absolute_files_resolve(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    path = write(tmp_path, MINIMAL + "      - file: ~/a.wav\n      - file: /srv/b.wav\n")
    tracks = load_playlist(path).phases[0].tracks
    assert tracks[1].file == tmp_path / "a.wav"
    assert str(tracks[2].file) == "/srv/b.wav"
