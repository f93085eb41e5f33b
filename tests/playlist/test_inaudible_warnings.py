"""`check` and `analyse` name any sound that would play more than 20 dB below the target."""

from __future__ import annotations

import argparse

import numpy as np

from companion.commands import analyse
from companion.playlist.checker import check_report
from tests.audio.signals import write_wav

RATE = 48000


def _playlist(folder, gain: float, amplitude: float = 0.1, builtin_gain: float = 0.0):
    t = np.arange(2 * RATE) / RATE
    x = amplitude * np.sin(2 * np.pi * 1000 * t)
    write_wav(folder / "song.wav", np.repeat(x[:, None], 2, axis=1), RATE, "float32")
    path = folder / "p.yaml"
    path.write_text("name: Typo\nphases:\n  - name: A\n    minutes: 5\n    tracks:\n"
                    f"      - {{file: song.wav, title: Song, gain_db: {gain}}}\n"
                    f"      - {{builtin: ocean, title: Waves, seed: 3, gain_db: {builtin_gain}}}\n",
                    encoding="utf-8")
    return path


def _analyse(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    analyse.add_arguments(parser)
    return analyse.run(parser.parse_args(list(argv)))


def test_check_names_a_gain_typo_with_its_line_and_level_even_before_analysis(tmp_path):
    path = _playlist(tmp_path, -40)
    notes = [n for n in check_report(path).notes if "too quiet" in n]
    assert notes == [f"loudness: {path}, line 6: Song (song.wav) would play 40.0 dB below the "
                     "-18 LUFS target, at its own level -40.0 dB: too quiet to hear; its gain_db "
                     "is -40 (a typo?)"]


def test_analyse_then_check_give_the_level_it_would_play_at(tmp_path, capsys):
    path = _playlist(tmp_path, -40, builtin_gain=-30)
    assert _analyse(str(path)) == 0
    out = capsys.readouterr().out.splitlines()
    warnings = [line for line in out if line.startswith("warning:")]
    assert warnings[0].startswith(f"warning: {path}, line 6: ") or "line 6: " in warnings[0]
    assert warnings[0].endswith("song.wav would play 40.0 dB below the -18 LUFS target, at "
                                "-58.0 LUFS: too quiet to hear; its gain_db is -40 (a typo?)")
    assert warnings[1].endswith("line 7: builtin:ocean (seed 3) would play 30.0 dB below the -18 "
                                "LUFS target, at -48.0 LUFS: too quiet to hear; its gain_db is -30 "
                                "(a typo?)")
    notes = [n for n in check_report(path).notes if "too quiet" in n]
    assert notes[0] == (f"loudness: {path}, line 6: Song (song.wav) would play 40.0 dB below the "
                        "-18 LUFS target, at -58.0 LUFS: too quiet to hear; its gain_db is -40 "
                        "(a typo?)")


def test_a_near_silent_file_with_a_peak_is_named_and_a_sensible_gain_is_not(tmp_path, capsys):
    quiet = _playlist(tmp_path, -3)
    assert _analyse(str(quiet)) == 0
    assert "warning:" not in capsys.readouterr().out
    x = np.zeros((2 * RATE, 2))  # a blank file: nothing to level up
    write_wav(tmp_path / "blank.wav", x, RATE, "float32")
    assert _analyse(str(tmp_path / "blank.wav")) == 0
    [warning] = [line for line in capsys.readouterr().out.splitlines() if "warning" in line]
    assert warning == (f"warning: {tmp_path / 'blank.wav'} is silent: nothing in it can be heard "
                       "(a blank or damaged file?)")
