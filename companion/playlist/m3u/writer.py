"""Writing an imported M3U as a Companion playlist: one phase holding every entry, to split up."""

from __future__ import annotations

import math
import os
from pathlib import Path

import yaml

from companion.clock import length_text
from companion.errors import PlaylistError
from companion.playlist.m3u.model import M3U
from companion.playlist.m3u.reader import WINDOWS_PATH
from companion.playlist.spec import MAX_PHASE_MINUTES


def _scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when that reads back the same, double-quoted otherwise."""
    try:
        plain_ok = yaml.safe_load(f"k: {text}\n") == {"k": text} and text == text.strip()
    except yaml.YAMLError:
        plain_ok = False
    if plain_ok and "#" not in text and text:
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'


def _output_path(location: str, source_dir: Path, out_dir: Path) -> str:
    """A location rewritten relative to where the YAML is written (absolute paths stay)."""
    if WINDOWS_PATH.match(location) or os.path.isabs(location):
        return location
    absolute = os.path.abspath(source_dir / location)
    return Path(os.path.relpath(absolute, os.path.abspath(out_dir))).as_posix()


def to_yaml(m3u: M3U, out_dir: Path) -> str:
    """A Companion playlist holding the M3U's entries as one phase, ready to be split up."""
    if not m3u.entries:
        raise PlaylistError("nothing to import: no local audio files in it", m3u.path)
    name = m3u.name or m3u.path.stem
    lengths = [e.seconds for e in m3u.entries]
    known = all(s is not None for s in lengths)
    total = sum(s or 0 for s in lengths)
    minutes = max(1, math.ceil(total / 60)) if known else 60
    if minutes > MAX_PHASE_MINUTES:
        minutes = MAX_PHASE_MINUTES
        comment = f"  # the tracks last {length_text(total)}: split them up"
    else:
        comment = "  # the tracks' total length" if known else "  # set the target length"
    out = [
        f"# Imported by `companion import` from {m3u.path.name}.",
        "# Split the tracks into phases (settling, onset, peak, return, integration), give",
        "# each phase its target length, then run `companion check` on this file.",
        f"name: {_scalar(name)}",
        f"description: {_scalar(f'Imported from {m3u.path.name}')}",
        "phases:",
        "  - name: Music",
        f"    minutes: {minutes}{comment}",
        "    tracks:",
    ]
    for entry in m3u.entries:
        title = entry.title or Path(entry.location).stem
        length = f"  # {length_text(entry.seconds)}" if entry.seconds else ""
        out.append(f"      - file: {_scalar(_output_path(entry.location, m3u.path.parent, out_dir))}")
        out.append(f"        title: {_scalar(title)}{length}")
    return "\n".join(out) + "\n"
