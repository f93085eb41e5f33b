"""The playlist's loudness keys, and what `companion check` says about levelling."""

from __future__ import annotations

import numpy as np

from companion.audio.loudness_cache import LoudnessCache
from companion.playlist.checker import check_report
from companion.playlist.loader import load_playlist
from tests.audio.signals import write_wav

RATE = 48000


def wav(path, level, spike=None):
    wave = level * np.sin(2 * np.pi * 997 * np.arange(RATE) / RATE)
    if spike is not None:
        wave[100] = spike
    return write_wav(path, np.stack([wave, wave], 1).astype(np.float32), RATE, "float32")


def playlist(folder, playback=""):
    wav(folder / "steady.wav", 0.1)
    wav(folder / "spiky.wav", 0.003, spike=0.95)     # quiet, but one peak near full scale
    wav(folder / "fresh.wav", 0.1)
    path = folder / "p.yaml"
    path.write_text(f"""\
name: Levels
playback:
{playback or "  volume: 40"}
phases:
  - name: Only
    minutes: 1
    tracks:
      - {{file: steady.wav}}
      - {{file: spiky.wav, title: Spiky}}
      - {{file: fresh.wav, title: Fresh}}
      - {{file: steady.wav}}
""", encoding="utf-8")
    return path


def test_the_keys_default_to_replaygain_2_and_levelling_on(tmp_path):
    playback = load_playlist(playlist(tmp_path)).playback
    assert (playback.loudness_target, playback.normalise) == (-18, True)
    path = playlist(tmp_path, "  loudness_target: -23\n  normalise: false")
    playback = load_playlist(path).playback
    assert (playback.loudness_target, playback.normalise) == (-23, False)


def test_check_says_which_files_are_not_analysed_and_which_are_held_down(tmp_path):
    path = playlist(tmp_path, "  loudness_target: -18")
    notes = [n for n in check_report(path).notes if n.startswith("loudness")]
    assert len(notes) == 1 and "3 of 3 files not analysed yet" in notes[0]
    assert f"`companion analyse {path}`" in notes[0]
    cache = LoudnessCache()
    cache.file_loudness(tmp_path / "steady.wav")
    cache.file_loudness(tmp_path / "spiky.wav")
    notes = [n for n in check_report(path).notes if n.startswith("loudness")]
    assert notes[0].startswith("loudness: 1 of 3 files not analysed yet") and "Fresh" in notes[0]
    assert notes[1].startswith("loudness: Spiky (spiky.wav) plays ")
    assert "below -18 LUFS" in notes[1] and "past -1 dBTP" in notes[1]
    # 26.9 dB below the target is past the 20 dB of audibility: named with its line and level.
    assert notes[2] == (f"loudness: {path}, line 9: Spiky (spiky.wav) would play 26.9 dB below "
                        "the -18 LUFS target, at -44.9 LUFS: too quiet to hear; the file itself "
                        "is near-silent (-44.4 LUFS, true peak -0.4 dBTP)")
    assert len(notes) == 3                      # steady.wav reaches the target: nothing to say


def test_check_says_nothing_of_loudness_when_levelling_is_off(tmp_path):
    path = playlist(tmp_path, "  normalise: false")
    assert not [n for n in check_report(path).notes if n.startswith("loudness")]
