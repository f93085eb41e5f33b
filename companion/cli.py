"""The `companion` command line: sub-commands, exit statuses and messages for people.

Each sub-command lives in `companion/commands/<module>.py` and provides `NAME`, `HELP`,
`add_arguments(parser)` and `run(args) -> int`; modules import heavy things inside `run`
so that `--help`, `--version` and the first screen stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from companion import __version__
from companion.errors import CompanionError

COMMANDS = {
    # sub-command: its module in companion/commands/
    "run": "run",
    "check": "check",
    "import": "import_m3u",
    "schema": "schema",
    "play": "play",
    "log": "log",
    "breathe": "breathe",
    "ground": "ground",
    "journal": "journal",
    "plan": "plan",
    "analyse": "analyse",
    "voice": "voice",
    "bls": "bls",
}
DEFAULT_COMMAND = "run"


def _command_module(name: str):
    return importlib.import_module(f"companion.commands.{COMMANDS[name]}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with `only`, the other sub-commands' modules are not imported.

    Importing every command module costs ~50 ms of a session's launch, so a named
    sub-command loads just its own; `companion --help` loads them all for their help lines.
    """
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
    for name in COMMANDS:
        if only is not None and name != only:
            subparsers.add_parser(name)
            continue
        module = _command_module(name)
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
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
    args_list = _with_default_command(list(sys.argv[1:] if argv is None else argv), set(COMMANDS))
    chosen = next((token for token in args_list if token in COMMANDS), None)
    wants_top_help = chosen is None or any(
        token in ("-h", "--help") for token in args_list[: args_list.index(chosen)]
    )
    parser = build_parser(None if wants_top_help else chosen)
    args = parser.parse_args(args_list)
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
