"""`companion log list`, `show ID` and `export ID --format md|csv|json [-o FILE]`."""

from __future__ import annotations

import argparse
import json
import stat
from datetime import timedelta

import pytest

from companion.commands import log as log_command
from companion.errors import UsageError
from tests.record.conftest import Wall
from tests.record.sample import write_sample


@pytest.fixture
def sessions(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))
    directory = tmp_path / "data" / "sessions"
    first = write_sample(directory, client_code="A1")
    later = Wall()
    later.advance(timedelta(days=1).total_seconds())
    second = write_sample(directory, client_code="B2", end=False, wall=later)
    return first, second


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="companion log")
    log_command.add_arguments(parser)
    return log_command.run(parser.parse_args(argv))


def test_list_shows_sessions_oldest_first(sessions, capsys) -> None:
    assert run("list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "STARTED", "LENGTH", "CLIENT", "PLAYLIST", "STATUS"]
    assert sessions[0].stem in lines[1] and "ended" in lines[1] and "0:31:40" in lines[1]
    assert sessions[1].stem in lines[2] and "interrupted" in lines[2]


def test_list_shows_an_unreadable_file_with_the_reason(sessions, capsys) -> None:
    broken = sessions[0].with_name("2020-01-01_00-00-00.jsonl")
    broken.write_bytes(b'{"oops": 1}\n{"t": 1}\n')
    assert run("list") == 0
    assert "unreadable" in capsys.readouterr().out


def test_show_by_unique_prefix_prints_a_timeline(sessions, capsys) -> None:
    prefix = sessions[0].stem[:-1]
    assert run("show", prefix) == 0
    out = capsys.readouterr().out
    assert f"Session {sessions[0].stem}" in out
    assert "0:10:00   +0:00:00" in out and "Dose marked" in out
    assert "Note [vitals]: BP 150/88 HR 92 SpO2 97" in out


def test_show_last_is_the_latest_session(sessions, capsys) -> None:
    assert run("show", "last") == 0
    assert f"Session {sessions[1].stem}" in capsys.readouterr().out


def test_ambiguous_or_unknown_ids_are_refused(sessions) -> None:
    with pytest.raises(UsageError, match="matches 2 sessions"):
        run("show", "2026-11-2")
    with pytest.raises(UsageError, match="no session id or client code matches"):
        run("show", "1999")


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_export_writes_a_private_file(sessions, tmp_path, fmt, capsys) -> None:
    target = tmp_path / "out" / f"report.{fmt}"
    target.parent.mkdir(mode=0o755)
    assert run("export", "last", "--format", fmt, "-o", str(target)) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o755  # the folder is left alone
    text = target.read_text()
    if fmt == "json":
        assert json.loads(text)["session"]["client_code"] == "B2"
    elif fmt == "csv":
        assert text.startswith("t,elapsed,since_dose,type,description,fields,line,corrected_by\n")
    else:
        assert text.startswith("# Session record")


def test_export_prints_to_stdout_without_a_file(sessions, capsys) -> None:
    assert run("export", sessions[0].stem, "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["session"]["id"] == sessions[0].stem


def test_no_sessions_yet(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path))
    assert run("list") == 0
    assert "No sessions yet" in capsys.readouterr().out
    with pytest.raises(UsageError, match="no sessions"):
        run("show", "last")


def test_the_companion_command_runs_log_list(sessions, tmp_path, capsys) -> None:
    from companion.cli import main

    assert main(["--data-dir", str(tmp_path / "data"), "log", "list"]) == 0
    assert sessions[1].stem in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path / "data"), "log", "show", "zzz"]) == 2
    assert "no session id or client code matches 'zzz'" in capsys.readouterr().err


def test_list_shows_a_session_that_is_still_running(sessions, capsys) -> None:
    from companion.record import SessionRecord

    record = SessionRecord.start(sessions[0].parent, playlist_name="Live", playlist_hash="h",
                                 client_code="LIVE")
    assert run("list") == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "LIVE" in ln)
    assert line.rstrip().endswith("running")
    record.close()
