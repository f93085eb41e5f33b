"""The user's config file: key remaps, reduced motion, breath sound and vitals reference ranges.

Read from `paths.config_dir() / "config.yaml"` with a safe YAML loader. Every problem is
reported as a `PlaylistError` naming the file and line, so the CLI prints
`FILE:LINE:COL: message` like it does for playlists. A missing file means the defaults.

```yaml
keys:              # binding id: key (or several, comma-separated)
  pause: space
  end: q
  note: a,ctrl+n
  breathing.stop: escape   # other screens' keys are named screen.id
reduced_motion: true
breath_sound: true # the soft breath sound under the breathing pacer in a session (off by default)
vitals:            # the clinic's own reference ranges; notes outside them are marked quietly
  heart_rate: [50, 110]
  spo2: [94, 100]
  systolic: [90, 150]
```
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from companion import paths
from companion.errors import PlaylistError

if TYPE_CHECKING:
    from companion.record.vitals import VitalsRanges

CONFIG_NAME = "config.yaml"
KNOWN_SECTIONS = ("keys", "reduced_motion", "breath_sound", "vitals")


@dataclass(frozen=True)
class Config:
    """The user's settings; the defaults when no config file exists."""

    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Key remaps by binding id (`pause`, `next`, ...), each a comma-separated key list."""

    reduced_motion: bool = False
    """No moving pacer or progress animation: text and numbers only."""

    breath_sound: bool = False
    """Play the soft breath sound under the breathing pacer in a session (off by default)."""

    vitals: VitalsRanges | None = None
    """The clinic's reference ranges (none built in); notes outside them are marked low/high."""

    path: Path | None = None
    """The file this came from, or None for the defaults."""


def _line_loader() -> type:
    """A safe YAML loader that remembers the line of each mapping key, for messages.

    Made on first use: YAML is imported only when a config file exists, which keeps the
    app's first screen fast.
    """
    import yaml

    class LineLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: Any, node: Any) -> dict:
        mapping: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            mapping[key] = loader.construct_object(value_node, deep=True)
            mapping.setdefault("__lines__", {})[key] = key_node.start_mark.line + 1
        return mapping

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return LineLoader


def config_path() -> Path:
    """Where the config file is looked for."""
    return paths.config_dir() / CONFIG_NAME


def load_config(path: Path | None = None, *, binding_ids: Iterable[str] | None = None) -> Config:
    """Read the config file (default location when `path` is None); defaults if it is absent.

    `binding_ids`, when given, are the ids a `keys:` entry may name; others are an error,
    except dotted ones (`breathing.stop`), which name keys of the exercise screens.
    """
    path = config_path() if path is None else path
    if not path.exists():
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PlaylistError(f"cannot read the config file: {error.strerror}", path) from error
    import yaml

    try:
        data = yaml.load(text, Loader=_line_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise PlaylistError(
            f"not valid YAML: {error.problem}", path,
            mark.line + 1 if mark else None, mark.column + 1 if mark else None,
        ) from error
    if data is None:
        return Config(path=path)
    if not isinstance(data, dict):
        raise PlaylistError("the config file must be a mapping (key: value lines)", path, 1)
    lines = data.pop("__lines__", {})
    for key in data:
        if key not in KNOWN_SECTIONS:
            raise PlaylistError(
                f"unknown setting {key!r} (known: {', '.join(KNOWN_SECTIONS)})", path, lines.get(key)
            )
    keys = _read_keys(data.get("keys"), path, lines.get("keys"), binding_ids)
    reduced = data.get("reduced_motion", False)
    if not isinstance(reduced, bool):
        raise PlaylistError(
            f"reduced_motion must be true or false, not {reduced!r}", path, lines.get("reduced_motion")
        )
    breath_sound = data.get("breath_sound", False)
    if not isinstance(breath_sound, bool):
        raise PlaylistError(
            f"breath_sound must be true or false, not {breath_sound!r}", path, lines.get("breath_sound")
        )
    vitals = _read_vitals(data.get("vitals"), path, lines.get("vitals"))
    return Config(keys=MappingProxyType(keys), reduced_motion=reduced, breath_sound=breath_sound,
                  vitals=vitals, path=path)


def _read_keys(section: object, path: Path, line: int | None,
               binding_ids: Iterable[str] | None) -> dict[str, str]:
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise PlaylistError("keys must be a mapping of binding id to key, e.g. `pause: space`",
                            path, line)
    lines = section.pop("__lines__", {})
    known = set(binding_ids) if binding_ids is not None else None
    keys: dict[str, str] = {}
    for binding_id, value in section.items():
        where = lines.get(binding_id, line)
        # Dotted ids (`breathing.stop`, `grounding.next`) belong to other screens' keys.
        if known is not None and binding_id not in known and "." not in str(binding_id):
            raise PlaylistError(
                f"unknown key binding {binding_id!r} (known: {', '.join(sorted(known))})", path, where
            )
        if isinstance(value, list):
            value = ",".join(str(item) for item in value)
        if not isinstance(value, str) or not value.strip():
            raise PlaylistError(f"the key for {binding_id!r} must be text such as 'space' or 'n'",
                                path, where)
        keys[str(binding_id)] = value.strip()
    return keys


def _read_vitals(section: object, path: Path, line: int | None) -> VitalsRanges | None:
    from companion.record.vitals import VitalsRanges

    if section is None:
        return None
    if not isinstance(section, dict):
        raise PlaylistError("vitals must be a mapping such as `heart_rate: [50, 110]`", path, line)
    lines = section.pop("__lines__", {})
    for name, bounds in section.items():
        try:
            VitalsRanges.from_mapping({name: bounds})
        except ValueError as error:
            raise PlaylistError(str(error), path, lines.get(name, line)) from error
    return VitalsRanges.from_mapping(section)
