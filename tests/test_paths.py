"""Where data lives, and that it is private."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from companion import paths


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_dir_is_created_private_under_override(tmp_path, monkeypatch):
    target = tmp_path / "deep" / "data"
    monkeypatch.setenv("COMPANION_DATA_DIR", str(target))
    assert paths.data_dir() == target
    assert mode(target) == 0o700
    assert mode(paths.sessions_dir()) == 0o700
    assert mode(paths.journal_dir()) == 0o700


def test_existing_open_data_dir_is_tightened(tmp_path, monkeypatch):
    target = tmp_path / "data"
    target.mkdir(mode=0o755)
    target.chmod(0o755)
    monkeypatch.setenv("COMPANION_DATA_DIR", str(target))
    paths.data_dir()
    assert mode(target) == 0o700


def test_private_files_are_0600_even_with_a_loose_umask(tmp_path):
    old = os.umask(0)
    try:
        fd = paths.open_private(tmp_path / "sub" / "record.jsonl")
        os.close(fd)
        paths.write_private_text(tmp_path / "sub" / "report.md", "# report\n")
    finally:
        os.umask(old)
    assert mode(tmp_path / "sub") == 0o700
    assert mode(tmp_path / "sub" / "record.jsonl") == 0o600
    assert mode(tmp_path / "sub" / "report.md") == 0o600
    assert (tmp_path / "sub" / "report.md").read_text() == "# report\n"


def test_default_data_dir_follows_the_platform(tmp_path, monkeypatch):
    monkeypatch.delenv("COMPANION_DATA_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir() == tmp_path / "xdg" / "companion"


def test_playlists_are_found_in_cwd_config_and_bundled(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "playlists").mkdir()
    (tmp_path / "playlists" / "mine.yaml").write_text("name: mine\n")
    config = tmp_path / "config"
    (config / "playlists").mkdir(parents=True)
    (config / "playlists" / "theirs.yml").write_text("name: theirs\n")
    (config / "playlists" / "mine.yaml").write_text("name: shadowed\n")
    monkeypatch.setenv("COMPANION_CONFIG_DIR", str(config))
    found = paths.find_playlists()
    names = [p.name for p in found]
    assert names[:2] == ["mine.yaml", "theirs.yml"]
    assert found[0].parent == tmp_path / "playlists"
    assert "default.yaml" in names
    assert names.count("mine.yaml") == 1


def test_bundled_default_playlist_exists():
    assert paths.default_playlist().is_file()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_bundled_folder_is_the_repository_playlists():
    assert paths.bundled_playlists_dir().resolve() == (Path(__file__).parent.parent / "playlists").resolve()
