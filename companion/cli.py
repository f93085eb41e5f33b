"""The `companion` command line: sub-commands, exit statuses and messages for people.

Each sub-command lives in `companion/commands/<module>.py` and provides `NAME`, `HELP`,
`add_arguments(parser)` and `run(args) -> int`; modules import heavy things inside `run`
so that `--help` and `--version` stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from companion import __version__
from companion.errors import CompanionError

COMMAND_MODULES = (
    "run",
    "check",
    "import_m3u",
    "schema",
    "play",
    "log",
    "breathe",
    "ground",
    "journal",
)
DEFAULT_COMMAND = "run"


def _load_commands() -> list:
    return [importlib.import_module(f"companion.commands.{name}") for name in COMMAND_MODULES]


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="companion",
        description="A calm companion for ketamine-assisted psychotherapy sessions: "
        "music, breathing, grounding and a session record. "
        "Without a sub-command, starts a session (`companion run`).",
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep sessions and the journal here (default: $COMPANION_DATA_DIR or the "
        "platform's user data folder)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _load_commands():
        sub = subparsers.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(func=module.run)
    return parser


def _with_default_command(argv: list[str], commands: set[str]) -> list[str]:
    """Insert `run` when no sub-command is named, so `companion --audio none` starts a session."""
    for index, token in enumerate(argv):
        if token in ("-h", "--help", "--version"):
            return argv
        if token == "--data-dir":
            continue
        if index > 0 and argv[index - 1] == "--data-dir":
            continue
        if token.startswith("--data-dir="):
            continue
        if token in commands:
            return argv
        return argv[:index] + [DEFAULT_COMMAND] + argv[index:]
    return argv + [DEFAULT_COMMAND]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 problems found, 2 errors)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    args = parser.parse_args(_with_default_command(args_list, commands))
    if args.data_dir:
        os.environ["COMPANION_DATA_DIR"] = os.path.abspath(os.path.expanduser(args.data_dir))
    try:
        return int(args.func(args) or 0)
    except CompanionError as error:
        print(f"companion: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
