"""The kinds of value the playlist format is written in: numbers, text, flags, mappings, lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Number:
    """A number (or a whole number) within a range; `unit` words messages ("seconds")."""

    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    integer: bool = False
    unit: str = ""
    hint: str = ""
    """Added to an out-of-range message, e.g. how to write what was probably meant."""


@dataclass(frozen=True)
class Text:
    """A string; optionally one of `choices`, or matching `pattern` (explained by `pattern_hint`)."""

    choices: tuple[str, ...] = ()
    pattern: str | None = None
    pattern_hint: str = ""
    allow_empty: bool = False


@dataclass(frozen=True)
class Flag:
    """true or false; with `only_true`, a switch that is written `true` or left out."""

    only_true: bool = False


@dataclass(frozen=True)
class Key:
    """One key of a mapping: its type, whether it must be there, its default and meaning."""

    name: str
    type: "Type"
    doc: str
    required: bool = False
    default: object = None


@dataclass(frozen=True)
class Mapping:
    """A mapping with fixed keys; `one_of` names keys of which exactly one must be given."""

    name: str
    what: str
    keys: tuple[Key, ...]
    doc: str = ""
    one_of: tuple[str, ...] = ()
    at_most_one_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    """Keys of which at least one must be given."""
    also_one_of: tuple[str, ...] = ()
    """A second group of keys of which exactly one must be given (beside `one_of`)."""

    def key(self, name: str) -> Key:
        """The key called `name` (KeyError if the format has none)."""
        for key in self.keys:
            if key.name == name:
                return key
        raise KeyError(name)


@dataclass(frozen=True)
class List:
    """A sequence of items of one type."""

    item: "Type"
    min_items: int = 0


@dataclass(frozen=True)
class Dictionary:
    """A mapping with free keys matching `key_pattern` (explained by `key_hint`)."""

    value: "Type"
    key_pattern: str
    key_hint: str


Type = Union[Number, Text, Flag, Mapping, List, Dictionary]

SECONDS_OF_FADE = Number(minimum=0, maximum=120, unit="seconds")
GAIN = Number(minimum=-60, maximum=12, unit="dB")
PERCENT = Number(minimum=0, maximum=100, unit="percent")
