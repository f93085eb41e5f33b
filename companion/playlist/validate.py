"""Checking a composed YAML document against the playlist format, keeping every position.

`validate_document` walks the nodes with `spec.build_format()` and returns the values it
could read (as `Located` trees: every value with its line and column) and every problem
it found: unknown keys (with a did-you-mean), missing keys, wrong types, out-of-range
numbers, duplicate keys (PyYAML silently keeps the last one), duplicate names, unknown
tags and wording keys. It never stops at the first problem and never follows more than
`MAX_NODES` nodes, however the document's aliases multiply.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.audio.levels import DEFAULT_CEILING

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from companion.errors import CompanionError
from companion.playlist import spec
from companion.playlist.loader import AliasRef, Document
from companion.playlist.model import Problem, Severity

MAX_NODES = 100_000
"""Nodes visited per document, aliases included: far above any playlist, far below a bomb."""
MAX_MERGE_DEPTH = 8

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML}{name}" for name in ("str", "int", "float", "bool", "null",
                                              "timestamp", "binary", "value")}
_CONSTRUCTOR = SafeConstructor()


@dataclass
class Located:
    """A value read from the document with its 1-based position; mappings also keep key positions."""

    value: Any
    line: int
    column: int
    key_marks: dict[str, tuple[int, int]] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """The plain value under `key` of a mapping (`default` when absent)."""
        item = self.value.get(key)
        return default if item is None else item.value

    def where(self, key: str) -> tuple[int, int]:
        """Position of the value under `key`, or of the mapping itself when absent."""
        item = self.value.get(key)
        return (item.line, item.column) if item is not None else (self.line, self.column)


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...]) -> str:
    """`; did you mean `x`?` for the closest candidate, or "" when none is close."""
    lowered = {c.lower().replace("-", "_"): c for c in candidates}
    match = difflib.get_close_matches(word.lower().replace("-", "_"), list(lowered), n=1,
                                      cutoff=0.6)
    return f"; did you mean `{lowered[match[0]]}`?" if match else ""


def _mark(node: Node | AliasRef) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def has_control_characters(text: str) -> bool:
    """True when `text` holds a line break, tab, NUL or other control character."""
    return any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in text)


def one_line(text: str) -> str:
    """`text` with control characters escaped (`\\n`, `\\x00`), safe in a one-line message."""
    if not has_control_characters(text):
        return text
    return "".join(repr(ch)[1:-1] if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
                   for ch in text)


def _short(text: str, limit: int = 40) -> str:
    """`text` on one line, cut to `limit` characters."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Walker:
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
                self.report(_mark(node), f"the document expands to more than {MAX_NODES} "
                            "values (aliases nested in aliases?); a playlist is never this big")
            return None
        while isinstance(node, AliasRef):
            node = node.target
        return node

    # Descriptions of what was found, for "must be X, not Y" messages.
    @staticmethod
    def describe(node: Node) -> str:
        if isinstance(node, MappingNode):
            return "a mapping"
        if isinstance(node, SequenceNode):
            return "a list"
        tag = node.tag
        if tag == f"{_YAML}null":
            return "no value"
        if tag == f"{_YAML}bool":
            return f"yes/no ({node.value})"
        if tag in (f"{_YAML}int", f"{_YAML}float"):
            return f"the number {node.value}"
        return f"text {_short(node.value)!r}"

    def walk(self, node: Node | AliasRef, kind: spec.Type, name: str) -> Located | None:
        """The Located value of `node` read as `kind`, or None (with problems reported)."""
        where = _mark(node)
        real = self.resolve(node)
        if real is None:
            return None
        if real.tag.startswith("!") or (real.tag.startswith("tag:") and not (
                real.tag in _SCALAR_TAGS or real.tag in (f"{_YAML}map", f"{_YAML}seq"))):
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
            self.report(where, f"{_subject(name)} must be {expected}, not {self.describe(real)}")
            return None
        if isinstance(kind, spec.Number):
            return self.walk_number(real, where, kind, name)
        if isinstance(kind, spec.Text):
            return self.walk_text(real, where, kind, name)
        return self.walk_flag(real, where, kind, name)

    def walk_number(self, node: ScalarNode, where: tuple[int, int], kind: spec.Number,
                    name: str) -> Located | None:
        if node.tag not in (f"{_YAML}int", f"{_YAML}float"):
            hint = " (remove the quotes)" if _looks_numeric(node.value) else ""
            self.report(where, f"`{name}` must be a number, not {self.describe(node)}{hint}")
            return None
        if ":" in node.value:
            # YAML 1.1 reads 1:30 as 90 (base 60): never what a clinician meant.
            self.report(where, f"`{name}` must be a plain number, not {node.value!r} "
                        f"(write {kind.unit or 'the number'} as e.g. 90 or 1.5)")
            return None
        try:
            value = (_CONSTRUCTOR.construct_yaml_int(node) if node.tag.endswith("int")
                     else _CONSTRUCTOR.construct_yaml_float(node))
        except (ValueError, ConstructorError):
            self.report(where, f"`{name}` is not a number this program can read")
            return None
        unit = f" {kind.unit}" if kind.unit else ""
        if isinstance(value, float) and not math.isfinite(value):
            self.report(where, f"`{name}` must be a finite number, not {node.value}")
            return None
        if kind.integer and value != int(value):
            self.report(where, f"`{name}` must be a whole number, not {node.value}")
            return None
        low, high = kind.minimum, kind.maximum
        too_low = low is not None and (value <= low if kind.exclusive_minimum else value < low)
        too_high = high is not None and value > high
        if too_low or too_high:
            if kind.exclusive_minimum and high is not None:
                allowed = f"more than {_num(low)} and at most {_num(high)}{unit}"
            elif low is not None and high is not None:
                allowed = f"between {_num(low)} and {_num(high)}{unit}"
            elif low is not None:
                allowed = f"at least {_num(low)}{unit}"
            else:
                allowed = f"at most {_num(high)}{unit}"
            self.report(where, f"`{name}` must be {allowed}, not {node.value}{kind.hint}")
            return None
        return Located(int(value) if kind.integer else value, *where)

    def walk_text(self, node: ScalarNode, where: tuple[int, int], kind: spec.Text,
                  name: str) -> Located | None:
        if node.tag == f"{_YAML}null":  # empty, `~` or `null`: no value, never the text "~"
            if kind.allow_empty:
                return Located("", *where)
            self.report(where, f"`{name}` has no value")
            return None
        # A plain `no`, `1984` or `2024-05-01` is text here: keep what was written.
        text = node.value
        if not text.strip() and not kind.allow_empty:
            self.report(where, f"`{name}` is empty")
            return None
        if kind.choices and text not in kind.choices:
            hint = did_you_mean(text, kind.choices)
            listed = "" if hint else f" (known: {', '.join(kind.choices)})"
            self.report(where, f"unknown `{name}` {_short(text)!r}{hint}{listed}")
            return None
        if kind.pattern and not re.fullmatch(kind.pattern, text):
            self.report(where, f"`{name}` must be {kind.pattern_hint}, not {_short(text)!r}")
            return None
        return Located(text, *where)

    def walk_flag(self, node: ScalarNode, where: tuple[int, int], kind: spec.Flag,
                  name: str) -> Located | None:
        if node.tag != f"{_YAML}bool":
            self.report(where, f"`{name}` must be true or false, not {self.describe(node)}")
            return None
        value = _CONSTRUCTOR.construct_yaml_bool(node)
        if kind.only_true and not value:
            self.report(where, f"`{name}` is written `true` or left out, not {node.value}")
            return None
        return Located(value, *where)

    def walk_list(self, node: Node, where: tuple[int, int], kind: spec.List,
                  name: str) -> Located | None:
        if not isinstance(node, SequenceNode):
            item = kind.item.what if isinstance(kind.item, spec.Mapping) else "an item"
            hint = " (each item starts with `- `)" if isinstance(node, MappingNode) else ""
            self.report(where, f"`{name}` must be a list of {_plural(item)}{hint}, "
                        f"not {self.describe(node)}")
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
            if isinstance(key, ScalarNode) and key.tag == f"{_YAML}merge":
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
                        self.report(_mark(source), "`<<` merges mappings only")
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
                self.report(_mark(key), f"a key must be a plain word, not {self.describe(real)}")
                continue
            name = real.value
            if name in first:
                self.report(_mark(key), f"duplicate key `{name}` (first on line {first[name]}); "
                            "YAML keeps only the last one")
                continue
            first[name] = _mark(key)[0]
            out.append((name, _mark(key), value))
        return out

    def walk_mapping(self, node: Node, where: tuple[int, int], kind: spec.Mapping,
                     name: str) -> Located | None:
        if not isinstance(node, MappingNode):
            what = "" if name == "playlist" else f"{kind.what}: "
            self.report(where, f"{_subject(name)} must be {what}a mapping of keys "
                        f"({', '.join(k.name for k in kind.keys[:3])}, ...), "
                        f"not {self.describe(node)}")
            return None
        known = [key.name for key in kind.keys]
        values: dict[str, Located] = {}
        key_marks: dict[str, tuple[int, int]] = {}
        for key_name, key_where, value in self.keyed(node):
            if key_name not in known:
                hint = did_you_mean(key_name, known)
                listed = "" if hint else f" (known keys: {', '.join(known)})"
                self.report(key_where, f"unknown key `{_short(key_name)}` in {kind.what}"
                            f"{hint}{listed}")
                continue
            key_marks[key_name] = key_where
            located = self.walk(value, kind.key(key_name).type, key_name)
            if located is not None:
                values[key_name] = located
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
        return Located(values, *where, key_marks=key_marks)

    def walk_dictionary(self, node: Node, where: tuple[int, int], kind: spec.Dictionary,
                        name: str) -> Located | None:
        if not isinstance(node, MappingNode):
            self.report(where, f"`{name}` must be a mapping, not {self.describe(node)}")
            return None
        values: dict[str, Located] = {}
        key_marks: dict[str, tuple[int, int]] = {}
        for key_name, key_where, value in self.keyed(node):
            if not re.fullmatch(kind.key_pattern, key_name):
                self.report(key_where, f"`{_short(key_name)}` in `{name}` must be "
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


def _num(value: float | None) -> str:
    return f"{value:g}"


def _plural(what: str) -> str:
    return what.removeprefix("a ").removeprefix("an ") + "s"


def _either(keys: tuple[str, ...]) -> str:
    quoted = [f"`{k}`" for k in keys]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}"


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def validate_document(document: Document) -> tuple[Located | None, list[Problem]]:
    """The playlist's values (None if unreadable) and every problem in it, in file order."""
    walker = _Walker(document.path)
    if document.root is None:
        walker.report((1, 1), "the file is empty; a playlist needs at least `name` and `phases`")
        return None, walker.problems
    record = walker.walk(document.root, spec.build_format(), "playlist")
    if record is not None:
        _check_meaning(walker, record)
    walker.problems.sort(key=lambda p: (p.line, p.column))
    return record, walker.problems


def _check_meaning(walker: _Walker, record: Located) -> None:
    """Rules across keys: unique names, one dose phase, volume under ceiling, wording keys."""
    phases = record.get("phases", [])
    _unique_names(walker, phases, "phase name")
    _unique_names(walker, record.get("breathing", []), "breathing pattern name")
    _unique_names(walker, record.get("bilateral", []), "BLS preset name")
    for preset in record.get("bilateral", []):
        if "file" in preset.value and "sound" in preset.value:
            walker.report(preset.where("file"), "a BLS preset takes `sound` or `file`, not "
                          "both `sound` and `file`")
    dose_phases = [p for p in phases if p.get("until") == "dose"]
    for extra in dose_phases[1:]:
        walker.report(extra.where("until"), "only one phase can last until the dose (also on "
                      f"line {dose_phases[0].line})")
    tracks = [t for p in phases for t in p.get("tracks", [])]
    playback = record.value.get("playback")
    if playback is not None:
        if playback.get("holding") is not None:
            tracks.append(playback.value["holding"])
        volume, ceiling = playback.get("volume"), playback.get("ceiling", DEFAULT_CEILING)
        if volume is not None and volume > ceiling:
            walker.report(playback.where("volume"), f"`volume` {_num(volume)} is above the "
                          f"`ceiling` {_num(ceiling)}")
    cues = record.value.get("cues")
    tracks.extend(cues.value.values() if cues is not None else [])
    tracks.extend(_check_plan(walker, record))
    for track in tracks:
        if "seed" in track.value and "file" in track.value:
            walker.report(track.where("seed"), "`seed` only applies to a `builtin` sound")
    for pattern in record.get("breathing", []):
        kinds = {next(k for k in spec.STEP_KINDS if k in step.value)
                 for step in pattern.get("steps", []) if any(k in step.value
                                                            for k in spec.STEP_KINDS)}
        if pattern.get("steps") and not {"inhale", "exhale"} <= kinds:
            walker.report(pattern.where("steps"), "a breathing pattern needs at least one "
                          "`inhale` and one `exhale` step")
    wording = record.value.get("wording")
    if wording is not None and wording.value:
        _check_wording_keys(walker, wording)


def _check_plan(walker: _Walker, record: Located) -> list[Located]:
    """Rules of the plan in the room; returns its tracks and cues (for the track rules)."""
    tracks: list[Located] = []
    scales = record.value.get("scales")
    scale_names = list(scales.value) if scales is not None else []
    for name, scale in (scales.value.items() if scales is not None else ()):
        if name in spec.VITAL_READINGS or name in spec.VALUE_NAMES:
            walker.report(scales.key_marks[name], f"scale `{name}` has the name of a vital "
                          "sign; give the scale another name")
        low, high = scale.get("min"), scale.get("max")
        if low is not None and high is not None and low >= high:
            walker.report(scale.where("max"), f"scale `{name}`: `max` {_num(high)} must be "
                          f"above `min` {_num(low)}")
    ranges = record.value.get("ranges")
    value_names = list(spec.VALUE_NAMES) + scale_names
    for name, bounds in (ranges.value.items() if ranges is not None else ()):
        if name not in value_names:
            hint = " (blood pressure has two: systolic and diastolic)" if name == "bp" else (
                did_you_mean(name, value_names) or f" (known: {', '.join(value_names)})")
            walker.report(ranges.key_marks[name], f"no value called `{name}` to give a range"
                          f"{hint}")
        low, high = bounds.get("low"), bounds.get("high")
        if low is not None and high is not None and low > high:
            walker.report(bounds.where("high"), f"range of `{name}`: `high` {_num(high)} is "
                          f"below `low` {_num(low)}")
    readings = list(spec.VITAL_READINGS) + scale_names
    phase_names = [p.get("name") for p in record.get("phases", []) if p.get("name")]
    for item in record.get("schedule", []):
        seen: set[str] = set()
        for reading in item.value["vitals"].value if "vitals" in item.value else []:
            code = reading.value
            if code not in readings:
                hint = did_you_mean(code, readings) or (
                    f" (known: {', '.join(readings)}; name other scores under `scales`)")
                walker.report((reading.line, reading.column), f"unknown reading `{_short(code)}`"
                              f"{hint}")
            elif code in seen:
                walker.report((reading.line, reading.column), f"reading `{code}` is listed "
                              "twice")
            seen.add(code)
        if "check_in" in item.value and "words" in item.key_marks:
            walker.report(item.key_marks["words"], "a check-in's words are its `check_in` "
                          "text; `words` belongs to vitals checks")
        phase = item.get("phase")
        if phase is not None and phase not in phase_names:
            hint = did_you_mean(phase, phase_names) or f" (phases: {', '.join(phase_names)})"
            walker.report(item.where("phase"), f"no phase called {_short(phase)!r}{hint}")
        if item.value.get("cue") is not None:
            tracks.append(item.value["cue"])
    harbour = record.value.get("harbour")
    if harbour is not None:
        if harbour.value.get("track") is not None:
            tracks.append(harbour.value["track"])
        playback = record.value.get("playback")
        ceiling = (playback.get("ceiling", DEFAULT_CEILING) if playback is not None
                   else DEFAULT_CEILING)
        level = harbour.get("level")
        if level is not None and level > ceiling:
            walker.report(harbour.where("level"), f"harbour `level` {_num(level)} is above the "
                          f"`ceiling` {_num(ceiling)}")
    landing = record.value.get("landing")
    if landing is not None and landing.value.get("after") is not None:
        tracks.append(landing.value["after"])
    return tracks


def _unique_names(walker: _Walker, items: list[Located], what: str) -> None:
    first: dict[str, int] = {}
    for item in items:
        name = item.get("name")
        if not isinstance(name, str):
            continue
        folded = name.strip().casefold()
        if folded in first:
            walker.report(item.where("name"), f"{what} `{name}` is used twice (first on line "
                          f"{first[folded]})")
        else:
            first[folded] = item.where("name")[0]


def _check_wording_keys(walker: _Walker, wording: Located) -> None:
    """Each `wording:` line names a key English defines and would show as the clinician meant."""
    try:
        from companion import wording as prompts

        english = prompts.load_language(prompts.DEFAULT_LANGUAGE)
    except (ImportError, AttributeError):
        return
    except CompanionError as error:
        walker.report((wording.line, wording.column), f"cannot read the bundled wording to "
                      f"check these keys: {error}", "warning")
        return
    known = sorted(english)
    for key, line in wording.value.items():
        if key not in english:
            walker.report(wording.key_marks[key], f"unknown wording key `{key}`"
                          f"{did_you_mean(key, known)}")
            continue
        problem = _wording_line_problem(key, line.value, english[key])
        if problem:
            walker.report((line.line, line.column), problem)


def _wording_line_problem(key: str, text: str, english: str) -> str:
    """Why a playlist's line for `key` would show wrongly ("" when it is fine)."""
    from companion.wording import line_fields, may_be_blank

    if not text.strip():
        if may_be_blank(key):
            return ""
        return (f"`{key}` is empty; write its words, or leave the key out to keep "
                "Companion's own line")
    try:
        used = line_fields(text)
    except ValueError:
        return (f"`{key}` has a `{{` or `}}` without its pair; Companion fills fields written "
                "like {number}")
    allowed = sorted(line_fields(english))
    unknown = sorted(used - set(allowed))
    if not unknown:
        return ""
    name = unknown[0]
    if not allowed:
        return (f"`{key}` has `{{{name}}}`, but Companion fills nothing in this line; "
                "remove the braces")
    fields = ", ".join(f"{{{field}}}" for field in allowed)
    return (f"`{key}` has `{{{name}}}`, which Companion does not fill here (this line "
            f"takes {fields}){did_you_mean(name, allowed)}")
