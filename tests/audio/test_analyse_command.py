"""`companion analyse`: table and JSON output, playlists, bad files, the cache, the progress bar."""

from __future__ import annotations

import argparse
import io
import json

import numpy as np
import pytest

from companion.audio.loudness_cache import LoudnessCache
from companion.commands import analyse
from tests.audio.signals import write_wav

RATE = 48000


def tone(dbfs: float, seconds: float = 3.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    x = 10 ** (dbfs / 20) * np.sin(2 * np.pi * 1000 * t)
    return np.repeat(x[:, None], 2, axis=1)


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    analyse.add_arguments(parser)
    return analyse.run(parser.parse_args(list(argv)))


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("COMPANION_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def files(tmp_path):
    loud = write_wav(tmp_path / "loud.wav", tone(-13.0), RATE, "float32")
    quiet = write_wav(tmp_path / "quiet.wav", tone(-33.0), RATE, "float32")
    bad = tmp_path / "broken.flac"
    bad.write_bytes(b"fLaC" + bytes(100))
    return loud, quiet, bad


def test_json_lists_each_file_with_its_levels(files, capsys):
    loud, quiet, _ = files
    assert run(str(loud), str(quiet), "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["path"] for r in rows] == [str(loud), str(quiet)]
    assert set(rows[0]) == {"path", "integrated_lufs", "lra_lu", "sample_peak_dbfs",
                            "true_peak_dbtp"}
    assert rows[0]["integrated_lufs"] == pytest.approx(-13.0, abs=0.1)
    assert rows[1]["integrated_lufs"] == pytest.approx(-33.0, abs=0.1)
    assert rows[1]["sample_peak_dbfs"] == pytest.approx(-33.0, abs=0.05)


def test_a_bad_file_is_reported_and_the_rest_go_on(files, capsys):
    loud, quiet, bad = files
    assert run(str(loud), str(bad), str(quiet)) == 1
    out, err = capsys.readouterr()
    assert "broken.flac" in err and "companion:" in err
    assert "loud.wav" in out and "quiet.wav" in out and "broken.flac" not in out


def test_table_shows_levels_and_the_gain_to_the_target(files, capsys):
    loud, quiet, _ = files
    assert run(str(loud), str(quiet), "--target", "-23") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["LUFS", "LRA", "peak", "tpeak", "gain", "path"]
    assert lines[1].split()[0] == "-13.0" and lines[1].split()[4] == "-10.0"
    assert lines[2].split()[0] == "-33.0" and lines[2].split()[4] == "+10.0"


def test_playlist_tracks_and_builtins_are_analysed_and_cached(tmp_path, files, capsys,
                                                              cache_dir):
    loud, _, _ = files
    playlist = tmp_path / "p.yaml"
    playlist.write_text(
        "name: Test\n"
        "phases:\n"
        "  - name: One\n"
        "    minutes: 5\n"
        "    tracks:\n"
        "      - {file: loud.wav, title: Loud}\n"
        "      - {file: gone.wav, title: Gone}\n"
        "cues:\n"
        "  inhale: {builtin: chime, seed: 2}\n")
    assert run(str(playlist), "--json") == 1          # gone.wav is missing
    out, err = capsys.readouterr()
    assert "gone.wav" in err
    paths = [r["path"] for r in json.loads(out)]
    assert paths[0].endswith("loud.wav") and paths[1] == "builtin:chime (seed 2)"
    cache = LoudnessCache(cache_dir / "loudness")
    assert cache.get(loud) is not None and cache.get_builtin("chime", 2) is not None


def test_the_gain_column_aims_at_each_playlists_own_target(tmp_path, files, capsys):
    loud, _, _ = files
    playlist = tmp_path / "p.yaml"
    playlist.write_text("name: Test\nplayback:\n  loudness_target: -18\nphases:\n"
                        "  - name: One\n    minutes: 5\n    tracks:\n      - file: loud.wav\n")
    assert run(str(playlist), str(loud)) == 0          # loud.wav once: the playlist's target
    rows = capsys.readouterr().out.splitlines()[1:]
    assert len(rows) == 1 and rows[0].split()[4] == "-5.0"
    assert run(str(playlist), "--target", "-23") == 0
    assert capsys.readouterr().out.splitlines()[1].split()[4] == "-10.0"


def test_an_unloadable_playlist_is_reported(tmp_path, files, capsys):
    loud, _, _ = files
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n")
    assert run(str(broken), str(loud)) == 1
    out, err = capsys.readouterr()
    assert "broken.yaml" in err and "loud.wav" in out


def test_progress_bar_only_on_a_terminal(monkeypatch, files, capsys):
    loud, _, _ = files
    assert run(str(loud)) == 0
    assert capsys.readouterr().err == ""

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    monkeypatch.setattr("sys.stderr", tty)
    assert run(str(loud), "--refresh") == 0
    assert "[" in tty.getvalue() and "1/1" in tty.getvalue() and "loud.wav" in tty.getvalue()


def test_a_folder_stands_for_the_audio_files_in_it(tmp_path, files, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("not audio")
    assert run(".", "--json") == 1                   # broken.flac is in the folder too
    out, err = capsys.readouterr()
    assert sorted(r["path"] for r in json.loads(out)) == ["loud.wav", "quiet.wav"]
    assert "broken.flac" in err and "notes.txt" not in err + out
    (tmp_path / "empty").mkdir()
    assert run("empty") == 1
    assert "no audio files" in capsys.readouterr().err
