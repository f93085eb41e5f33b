"""Walking a composed YAML document against the playlist format, keeping every value's position.

The walker reads what it can (as `Located` trees) and reports every problem it meets on
the way: wrong types, unknown keys (with a did-you-mean), missing keys, duplicate keys
(PyYAML silently keeps the last one), unknown tags. It never follows more than
`MAX_NODES` nodes, however the document's aliases multiply.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml  # noqa: F401 (imported first, whole: see companion.lazy)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from companion.playlist import spec
from companion.playlist.loader import AliasRef
from companion.playlist.located import Located, did_you_mean, short
from companion.playlist.model import Problem, Severity
from companion.playlist.scalars import (SCALAR_TAGS, YAML, describe, read_flag, read_number,
                                        read_text)

MAX_NODES = 100_000
"""Nodes visited per document, aliases included: far above any playlist, far below a bomb."""
MAX_MERGE_DEPTH = 8


def mark(node: Node | AliasRef) -> tuple[int, int]:
    """The 1-based (line, column) where `node` starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1


class Walker:
    """Walks nodes against the format, collecting problems and Located values."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.visited = 0
        self.exhausted = False

    def report(self, where: tuple[int, int], message: str, severity: Severity = "error") -> None:
        """Record one problem at `where` (line, column)."""
        self.problems.append(Problem(self.path, where[0], where[1], message, severity))

    def resolve(self, node: Node | AliasRef, cost: int = 1) -> Node | None:
        """The node an alias names (`cost` counted against MAX_NODES), or the node itself."""
        self.visited += cost
        if self.visited > MAX_NODES:
            if not self.exhausted:
                self.exhausted = True
                self.report(mark(node), f"the document expands to more than {MAX_NODES} "
                            "values (aliases nested in aliases?); a playlist is never this big")
            return None
        while isinstance(node, AliasRef):
            node = node.target
        return node

    def walk(self, node: Node | AliasRef, kind: spec.Type, name: str) -> Located | None:
        """The Located value of `node` read as `kind`, or None (with problems reported)."""
        where = mark(node)
        real = self.resolve(node)
        if real is None:
            return None
        if real.tag.startswith("!") or (real.tag.startswith("tag:") and not (
                real.tag in SCALAR_TAGS or real.tag in (f"{YAML}map", f"{YAML}seq"))):
            self.report(where, f"unknown tag `{real.tag}` on {_subject(name)}: playlists use plain "
                        "YAML values, without tags")
            return None
        if isinstance(kind, spec.Mapping):
            return self.walk_mapping(real, where, kind, name)
        if isinstance(kind, spec.List):
            return self.walk_list(real, where, kind, name)
        if isinstance(kind, spec.Dictionary):
            return self.walk_dictionary(real, where, kind, name)
        if not isinstance(real, ScalarNode):
            expected = {spec.Number: "a number", spec.Text: "text",
                        spec.Flag: "true or false"}[type(kind)]
            self.report(where, f"{_subject(name)} must be {expected}, not {describe(real)}")
            return None
        if isinstance(kind, spec.Number):
            found = read_number(real, where, kind, name)
        elif isinstance(kind, spec.Text):
            found = read_text(real, where, kind, name)
        else:
            found = read_flag(real, where, kind, name)
        if isinstance(found, str):
            self.report(where, found)
            return None
        return found

    def walk_list(self, node: Node, where: tuple[int, int], kind: spec.List,
                  name: str) -> Located | None:
        if not isinstance(node, SequenceNode):
            item = kind.item.what if isinstance(kind.item, spec.Mapping) else "an item"
            hint = " (each item starts with `- `)" if isinstance(node, MappingNode) else ""
            self.report(where, f"`{name}` must be a list of {_plural(item)}{hint}, "
                        f"not {describe(node)}")
            return None
        if len(node.value) < kind.min_items:
            self.report(where, f"`{name}` needs at least {kind.min_items} item"
                        f"{'s' if kind.min_items > 1 else ''}")
        items = [self.walk(child, kind.item, f"{name}[]") for child in node.value]
        return Located([item for item in items if item is not None], *where)

    def pairs(self, node: MappingNode, depth: int = 0) -> list[tuple[Node, Node]]:
        """Key and value nodes of a mapping, with `<<` merge keys expanded (explicit keys win)."""
        explicit: list[tuple[Node, Node]] = []
        merged: list[tuple[Node, Node]] = []
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.tag == f"{YAML}merge":
                sources = self.resolve(value)
                if sources is None:
                    continue
                group = sources.value if isinstance(sources, SequenceNode) else [value]
                for source in group:
                    real = self.resolve(source)
                    if isinstance(real, MappingNode) and depth < MAX_MERGE_DEPTH:
                        # Merged keys count too, so nested merges cannot multiply unseen.
                        if self.resolve(source, cost=len(real.value)) is not None:
                            merged.extend(self.pairs(real, depth + 1))
                    elif real is not None:
                        self.report(mark(source), "`<<` merges mappings only")
            else:
                explicit.append((key, value))
        names = {k.value for k, _ in explicit if isinstance(k, ScalarNode)}
        seen: set[str] = set()
        for key, value in merged:
            if isinstance(key, ScalarNode) and key.value not in names | seen:
                seen.add(key.value)
                explicit.append((key, value))
        return explicit

    def keyed(self, node: MappingNode) -> list[tuple[str, tuple[int, int], Node]]:
        """(name, key position, value node) per key; reports duplicates and non-text keys."""
        out: list[tuple[str, tuple[int, int], Node]] = []
        first: dict[str, int] = {}
        for key, value in self.pairs(node):
            real = self.resolve(key)
            if real is None:
                continue
            if not isinstance(real, ScalarNode):
                self.report(mark(key), f"a key must be a plain word, not {describe(real)}")
                continue
            name = real.value
            if name in first:
                self.report(mark(key), f"duplicate key `{name}` (first on line {first[name]}); "
                            "YAML keeps only the last one")
                continue
            first[name] = mark(key)[0]
            out.append((name, mark(key), value))
        return out

    def walk_mapping(self, node: Node, where: tuple[int, int], kind: spec.Mapping,
                     name: str) -> Located | None:
        if not isinstance(node, MappingNode):
            what = "" if name == "playlist" else f"{kind.what}: "
            self.report(where, f"{_subject(name)} must be {what}a mapping of keys "
                        f"({', '.join(k.name for k in kind.keys[:3])}, ...), "
                        f"not {describe(node)}")
            return None
        known = [key.name for key in kind.keys]
        values: dict[str, Located] = {}
        key_marks: dict[str, tuple[int, int]] = {}
        for key_name, key_where, value in self.keyed(node):
            if key_name not in known:
                hint = did_you_mean(key_name, known)
                listed = "" if hint else f" (known keys: {', '.join(known)})"
                self.report(key_where, f"unknown key `{short(key_name)}` in {kind.what}"
                            f"{hint}{listed}")
                continue
            key_marks[key_name] = key_where
            located = self.walk(value, kind.key(key_name).type, key_name)
            if located is not None:
                values[key_name] = located
        self._check_groups(kind, where, key_marks)
        return Located(values, *where, key_marks=key_marks)

    def _check_groups(self, kind: spec.Mapping, where: tuple[int, int],
                      key_marks: dict[str, tuple[int, int]]) -> None:
        """Required keys, and the groups of which one (or at most one) must be given."""
        for key in kind.keys:
            if key.required and key.name not in key_marks:
                self.report(where, f"{kind.what} needs `{key.name}`")
        for group in (kind.one_of, kind.also_one_of, kind.any_of):
            if group and not any(k in key_marks for k in group):
                self.report(where, f"{kind.what} needs {_either(group)}")
        for group in (kind.one_of, kind.also_one_of, kind.at_most_one_of):
            given = [k for k in group if k in key_marks]
            if len(given) > 1:
                self.report(key_marks[given[1]], f"{kind.what} takes {_either(group)}, "
                            f"not both `{given[0]}` and `{given[1]}`")

    def walk_dictionary(self, node: Node, where: tuple[int, int], kind: spec.Dictionary,
                        name: str) -> Located | None:
        if not isinstance(node, MappingNode):
            self.report(where, f"`{name}` must be a mapping, not {describe(node)}")
            return None
        values: dict[str, Located] = {}
        key_marks: dict[str, tuple[int, int]] = {}
        for key_name, key_where, value in self.keyed(node):
            if not re.fullmatch(kind.key_pattern, key_name):
                self.report(key_where, f"`{short(key_name)}` in `{name}` must be "
                            f"{kind.key_hint}")
                continue
            key_marks[key_name] = key_where
            located = self.walk(value, kind.value, key_name)
            if located is not None:
                values[key_name] = located
        return Located(values, *where, key_marks=key_marks)


def _subject(name: str) -> str:
    """How a message names a value: `key`, each item of `list`, or a playlist (the root)."""
    if name == "playlist":
        return "a playlist"
    if name.endswith("[]"):
        return f"each item of `{name[:-2]}`"
    return f"`{name}`"


def _plural(what: str) -> str:
    return what.removeprefix("a ").removeprefix("an ") + "s"


def _either(keys: tuple[str, ...]) -> str:
    quoted = [f"`{k}`" for k in keys]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}"
