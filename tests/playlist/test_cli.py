"""`companion check`, `import` and `schema` run in-process: output and exit statuses."""

from __future__ import annotations


import pytest

from companion import cli, paths
from companion.playlist.schema import schema_text
from tests.playlist.helpers import MINIMAL, wav_bytes, write


@pytest.fixture
def run(monkeypatch, capsys, tmp_path):
    """Run `companion ARGS` in-process in an empty folder; returns (status, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COMPANION_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))

    def invoke(*args: str) -> tuple[int, str, str]:
        status = cli.main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    return invoke


def test_check_clean_playlist_exits_0_and_prints_phase_lengths(run, tmp_path):
    path = write(tmp_path, MINIMAL.replace("until: dose", "minutes: 10").replace(
        "- builtin: ocean", "- {builtin: ocean, minutes: 8}"))
    status, out, _ = run("check", str(path.name))
    assert status == 0
    assert out.splitlines() == [
        "p.yaml: 'Test', 1 phase",
        "  Settling: target 10:00, tracks 8:00 (2:00 short)",
        "  planned: 10:00",
        "no problems in 1 playlist",
    ]


def test_check_problems_exit_1_one_per_line(run, tmp_path):
    write(tmp_path, "name: x\nphases:\n  - {name: a, minutes: 1, tracks: [{builtin: ocen}]}\n"
          "playback: {fadein: 2}\n")
    status, out, _ = run("check", "-q", "p.yaml")
    assert status == 1
    assert out.splitlines() == [
        "p.yaml:3:46: unknown `builtin` 'ocen'; did you mean `ocean`?",
        "p.yaml:4:12: unknown key `fadein` in the playback settings; did you mean `fade_in`?",
    ]


def test_check_missing_path_is_a_usage_error(run, tmp_path):
    write(tmp_path, MINIMAL)
    status, out, err = run("check", "p.yaml", "nope.yaml")
    assert status == 2
    assert "companion: nope.yaml: no such file" in err
    assert "no problems in 1 playlist" in out


def test_check_without_paths_checks_every_playlist_found(run, tmp_path):
    write(tmp_path / "playlists" if (tmp_path / "playlists").mkdir() is None else tmp_path,
          "name: [\n", name="broken.yaml")
    status, out, _ = run("check", "-q")
    assert status == 1
    assert out.splitlines()[0].startswith("playlists/broken.yaml:2:1: YAML syntax: ")
    assert all(not line.startswith(str(paths.bundled_playlists_dir())) for line in out.splitlines())


def test_check_a_folder_checks_its_yaml_files(run, tmp_path):
    folder = tmp_path / "lists"
    folder.mkdir()
    write(folder, MINIMAL, name="a.yaml")
    write(folder, MINIMAL, name="b.yml")
    status, out, _ = run("check", "lists")
    assert status == 0 and out.splitlines()[-1] == "no problems in 2 playlists"


def test_check_binary_garbage_gives_a_message_not_a_traceback(run, tmp_path):
    (tmp_path / "junk.yaml").write_bytes(bytes(range(256)) * 4)
    status, out, err = run("check", "junk.yaml")
    assert status == 1
    assert out.startswith("junk.yaml:1:1: binary data") and "Traceback" not in out + err


def test_schema_prints_the_bundled_schema(run):
    status, out, _ = run("schema")
    assert status == 0 and out == schema_text()


def test_import_writes_yaml_to_stdout_and_notes_to_stderr(run, tmp_path):
    (tmp_path / "a.wav").write_bytes(wav_bytes())
    (tmp_path / "l.m3u").write_bytes(b"#EXTM3U\r\n#EXTINF:30,First\r\na.wav\r\n"
                                     b"http://radio.example/x\r\n")
    status, out, err = run("import", "l.m3u")
    assert status == 0
    assert "      - file: a.wav\n        title: First  # 0:30\n" in out
    assert "l.m3u:4: web address left out" in err


def test_import_to_a_file_refuses_to_overwrite_without_force(run, tmp_path):
    (tmp_path / "a.wav").write_bytes(wav_bytes())
    (tmp_path / "l.m3u").write_text("a.wav\n")
    assert run("import", "l.m3u", "-o", "out.yaml")[0] == 0
    status, _, err = run("import", "l.m3u", "-o", "out.yaml")
    assert status == 2 and "exists; use --force" in err
    assert run("import", "l.m3u", "-o", "out.yaml", "--force")[0] == 0
    assert run("check", "out.yaml")[0] == 0


def test_import_of_nothing_importable_exits_1(run, tmp_path):
    (tmp_path / "radio.m3u").write_text("http://radio.example/live\n")
    status, out, err = run("import", "radio.m3u")
    assert status == 1 and out == "" and "nothing to import" in err


def test_import_missing_m3u_is_a_usage_error(run):
    status, _, err = run("import", "none.m3u")
    assert status == 2 and "none.m3u: no such file" in err
