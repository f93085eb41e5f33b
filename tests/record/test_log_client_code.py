"""`companion log show/export` by client code, and `export -o` that will not overwrite unasked."""

from __future__ import annotations

import argparse
from datetime import timedelta

import pytest

from companion.commands import log as log_command
from companion.errors import UsageError
from tests.record.conftest import Wall
from tests.record.sample import write_sample


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="companion log")
    log_command.add_arguments(parser)
    return log_command.run(parser.parse_args(argv))


@pytest.fixture
def sessions(tmp_path, monkeypatch):
    """K-17 twice (a day apart), B2 once in between."""
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))
    directory = tmp_path / "data" / "sessions"
    wall = Wall()
    first = write_sample(directory, client_code="K-17", wall=wall)
    wall.advance(timedelta(days=1).total_seconds())
    other = write_sample(directory, client_code="B2", wall=wall)
    wall.advance(timedelta(days=1).total_seconds())
    latest = write_sample(directory, client_code="K-17", wall=wall)
    return first, other, latest


def test_show_by_client_code_is_that_clients_latest_session(sessions, capsys) -> None:
    first, _, latest = sessions
    assert run("show", "K-17") == 0
    captured = capsys.readouterr()
    assert f"Session {latest.stem}" in captured.out
    assert "Client code: K-17" in captured.out
    # The other session is listed, with how to pick it.
    assert "K-17 has 2 sessions; using the latest" in captured.err
    assert "give its ID" in captured.err
    assert first.stem in captured.err and latest.stem in captured.err


def test_a_client_code_is_matched_whatever_its_case(sessions, capsys) -> None:
    assert run("show", "b2") == 0
    captured = capsys.readouterr()
    assert f"Session {sessions[1].stem}" in captured.out
    assert captured.err == ""  # one session: nothing to choose


def test_export_by_client_code_keeps_the_choice_off_stdout(sessions, capsys) -> None:
    assert run("export", "K-17", "--format", "json") == 0
    captured = capsys.readouterr()
    assert captured.out.lstrip().startswith("{")
    assert sessions[2].stem in captured.out and "using the latest" in captured.err


def test_an_unknown_code_says_what_was_looked_for(sessions) -> None:
    with pytest.raises(UsageError, match="no session id or client code matches 'Z-9'"):
        run("show", "Z-9")


def test_export_o_refuses_to_overwrite_without_force(sessions, tmp_path, capsys) -> None:
    target = tmp_path / "report.md"
    target.write_text("the integration notes\n")
    with pytest.raises(UsageError, match="report.md exists; use --force to overwrite it"):
        run("export", "K-17", "-o", str(target))
    assert target.read_text() == "the integration notes\n"
    assert run("export", "K-17", "-o", str(target), "--force") == 0
    assert "# " in target.read_text() and "K-17" in target.read_text()
