"""The command line: version, help everywhere, the default sub-command, errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from companion import __version__, cli


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"companion {__version__}"


@pytest.mark.parametrize("command", cli.COMMANDS)
def test_every_sub_command_has_help(command, capsys):
    assert cli._command_module(command).NAME == command
    with pytest.raises(SystemExit) as exit_info:
        cli.main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: companion" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ["run"]),
        (["--audio", "none"], ["run", "--audio", "none"]),
        (["--data-dir", "/tmp/x"], ["--data-dir", "/tmp/x", "run"]),
        (["--data-dir", "/tmp/x", "check"], ["--data-dir", "/tmp/x", "check"]),
        (["playlists/default.yaml"], ["run", "playlists/default.yaml"]),
        (["--help"], ["--help"]),
        (["check", "a.yaml"], ["check", "a.yaml"]),
    ],
)
def test_no_sub_command_means_run(argv, expected):
    commands = {"run", "check"}
    assert cli._with_default_command(argv, commands) == expected


def test_a_named_sub_command_imports_only_its_own_module():
    code = (
        "import sys; from companion import cli; cli.build_parser(only='schema'); "
        "print(sorted(m for m in sys.modules if m.startswith('companion.commands.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "['companion.commands.schema']"


def test_python_dash_m_runs_the_cli():
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"companion {__version__}"
