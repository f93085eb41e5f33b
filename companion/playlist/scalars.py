"""Reading one YAML value as the format's number, text or flag: the value, or the words why not."""

from __future__ import annotations

import math
import re

import yaml  # noqa: F401 (imported first, whole: see companion.lazy)
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from companion.playlist import spec
from companion.playlist.located import Located, did_you_mean, number_text, short

YAML = "tag:yaml.org,2002:"
SCALAR_TAGS = {f"{YAML}{name}" for name in ("str", "int", "float", "bool", "null",
                                            "timestamp", "binary", "value")}
_CONSTRUCTOR = SafeConstructor()


def describe(node: Node) -> str:
    """What was found, for "must be X, not Y" messages."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    tag = node.tag
    if tag == f"{YAML}null":
        return "no value"
    if tag == f"{YAML}bool":
        return f"yes/no ({node.value})"
    if tag in (f"{YAML}int", f"{YAML}float"):
        return f"the number {node.value}"
    return f"text {short(node.value)!r}"


def read_number(node: ScalarNode, where: tuple[int, int], kind: spec.Number,
                name: str) -> Located | str:
    """The number `node` holds, within `kind`'s range, or why it is not one."""
    if node.tag not in (f"{YAML}int", f"{YAML}float"):
        hint = " (remove the quotes)" if _looks_numeric(node.value) else ""
        return f"`{name}` must be a number, not {describe(node)}{hint}"
    if ":" in node.value:
        # YAML 1.1 reads 1:30 as 90 (base 60): never what a clinician meant.
        return (f"`{name}` must be a plain number, not {node.value!r} "
                f"(write {kind.unit or 'the number'} as e.g. 90 or 1.5)")
    try:
        value = (_CONSTRUCTOR.construct_yaml_int(node) if node.tag.endswith("int")
                 else _CONSTRUCTOR.construct_yaml_float(node))
    except (ValueError, ConstructorError):
        return f"`{name}` is not a number this program can read"
    if isinstance(value, float) and not math.isfinite(value):
        return f"`{name}` must be a finite number, not {node.value}"
    if kind.integer and value != int(value):
        return f"`{name}` must be a whole number, not {node.value}"
    low, high = kind.minimum, kind.maximum
    too_low = low is not None and (value <= low if kind.exclusive_minimum else value < low)
    too_high = high is not None and value > high
    if too_low or too_high:
        return f"`{name}` must be {_allowed(kind)}, not {node.value}{kind.hint}"
    return Located(int(value) if kind.integer else value, *where)


def _allowed(kind: spec.Number) -> str:
    """The range `kind` allows, in words: `between 0 and 100 percent`."""
    low, high = kind.minimum, kind.maximum
    unit = f" {kind.unit}" if kind.unit else ""
    if kind.exclusive_minimum and high is not None:
        return f"more than {number_text(low)} and at most {number_text(high)}{unit}"
    if low is not None and high is not None:
        return f"between {number_text(low)} and {number_text(high)}{unit}"
    if low is not None:
        return f"at least {number_text(low)}{unit}"
    return f"at most {number_text(high)}{unit}"


def read_text(node: ScalarNode, where: tuple[int, int], kind: spec.Text,
              name: str) -> Located | str:
    """The text `node` holds, one of `kind`'s choices or matching its pattern, or why not."""
    if node.tag == f"{YAML}null":  # empty, `~` or `null`: no value, never the text "~"
        if kind.allow_empty:
            return Located("", *where)
        return f"`{name}` has no value"
    # A plain `no`, `1984` or `2024-05-01` is text here: keep what was written.
    text = node.value
    if not text.strip() and not kind.allow_empty:
        return f"`{name}` is empty"
    if kind.choices and text not in kind.choices:
        hint = did_you_mean(text, kind.choices)
        listed = "" if hint else f" (known: {', '.join(kind.choices)})"
        return f"unknown `{name}` {short(text)!r}{hint}{listed}"
    if kind.pattern and not re.fullmatch(kind.pattern, text):
        return f"`{name}` must be {kind.pattern_hint}, not {short(text)!r}"
    return Located(text, *where)


def read_flag(node: ScalarNode, where: tuple[int, int], kind: spec.Flag,
              name: str) -> Located | str:
    """The true or false `node` holds, or why it is not one."""
    if node.tag != f"{YAML}bool":
        return f"`{name}` must be true or false, not {describe(node)}"
    value = _CONSTRUCTOR.construct_yaml_bool(node)
    if kind.only_true and not value:
        return f"`{name}` is written `true` or left out, not {node.value}"
    return Located(value, *where)


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
