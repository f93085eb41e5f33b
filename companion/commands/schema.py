"""`companion schema`: print the playlist format's JSON Schema, for editors."""

from __future__ import annotations

import argparse
import sys

NAME = "schema"
HELP = "print the JSON Schema of the playlist format (for editors that validate YAML)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No arguments."""


def run(args: argparse.Namespace) -> int:
    """Write the schema to stdout."""
    from companion.playlist.schema import schema_text

    sys.stdout.write(schema_text())
    return 0
