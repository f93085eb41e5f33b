"""What several sub-commands share on their command line: numbers within a range, `--audio`."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import TypeVar

from companion.audio.outputs import BACKENDS

Number = TypeVar("Number", int, float)


def number_type(kind: type[Number], what: str, give: str, *, above: float | None = None,
                at_least: float | None = None, at_most: float | None = None
                ) -> Callable[[str], Number]:
    """An argparse `type=` reading a finite `kind` (int or float) within the bounds given.

    Text that does not read is refused as "'TEXT' is not WHAT"; a value out of range (or
    not finite) as "'TEXT': give GIVE".
    """

    def read(text: str) -> Number:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        finite = not isinstance(value, float) or math.isfinite(value)
        if not (finite and (above is None or value > above)
                and (at_least is None or value >= at_least)
                and (at_most is None or value <= at_most)):
            raise argparse.ArgumentTypeError(f"{text!r}: give {give}")
        return value

    return read


def add_audio_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup, *,
                     purpose: str = "", help: str | None = None,
                     metavar: str | None = "BACKEND") -> None:
    """`--audio`: the output to play on, one of `audio.outputs.BACKENDS` (default auto).

    The help says what the sound is for (`purpose`, e.g. " for cue sounds") and lists the
    outputs, unless `help` words it otherwise.
    """
    listed = f"{BACKENDS[0]} (default), {', '.join(BACKENDS[1:-1])} or {BACKENDS[-1]}"
    parser.add_argument("--audio", default="auto", metavar=metavar, choices=BACKENDS,
                        help=f"audio output{purpose}: {listed}" if help is None else help)
