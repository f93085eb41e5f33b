"""Reading playlists: bounded, safe YAML with a line and column for every node, and `load_playlist`.

The text is checked before PyYAML sees it (size, binary data, encoding), then composed
into nodes with the safe resolver; nothing is constructed from tags, and aliases are
kept as references (`AliasRef`) rather than expanded, so an alias bomb costs nothing
until a walker follows it, and walkers count what they visit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.events import AliasEvent
from yaml.nodes import Node

from companion.errors import PlaylistError
from companion.playlist.model import Playlist

MAX_BYTES = 512 * 1024
"""A playlist is a small text file; a two-hour plan with a hundred tracks is about 10 kB."""


@dataclass(frozen=True)
class AliasRef:
    """A use of `*anchor`: the node it names and where the alias stands."""

    target: Node
    start_mark: yaml.Mark
    tag: str = ""


class _MarkingLoader(yaml.SafeLoader):
    """The safe loader, composing only, that keeps aliases as `AliasRef` with their position."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.get_event()
            if event.anchor not in self.anchors:
                raise yaml.composer.ComposerError(
                    None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
            target = self.anchors[event.anchor]
            return AliasRef(target, event.start_mark, target.tag)
        return super().compose_node(parent, index)


@dataclass(frozen=True)
class Document:
    """A composed YAML document: its root node (None when empty), text and content hash."""

    path: Path
    root: Node | None
    text: str
    content_hash: str


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of character `index` in `text`."""
    before = text[:index]
    line = before.count("\n") + 1
    return line, index - (before.rfind("\n") + 1) + 1


def _decode(path: Path, data: bytes) -> str:
    """The text of `data`: UTF-8 (BOM allowed) or UTF-16 with a BOM; PlaylistError otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise PlaylistError("not valid UTF-16 text; save the playlist as UTF-8",
                                path, 1, 1) from error
    nul = data.find(b"\x00")
    if nul >= 0:
        prefix = data[:nul].decode("utf-8-sig", "replace")
        line, column = _position(prefix, len(prefix))
        raise PlaylistError("binary data (a NUL byte), not a YAML text file", path, line, column)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        prefix = data[: error.start].decode("utf-8-sig", "replace")
        line, column = _position(prefix, len(prefix))
        raise PlaylistError(f"not valid UTF-8 (byte 0x{data[error.start]:02X}); save the "
                            "playlist as UTF-8", path, line, column) from error


def yaml_error(path: Path, error: yaml.YAMLError, text: str) -> PlaylistError:
    """A YAML syntax error as a located PlaylistError with PyYAML's own words."""
    if isinstance(error, yaml.reader.ReaderError):
        line, column = _position(text, min(error.position, len(text)))
        return PlaylistError(f"YAML syntax: {error.reason} (character U+{error.character:04X})"
                             if isinstance(error.character, int) else
                             f"YAML syntax: {error.reason}", path, line, column)
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or getattr(error, "reason", None) or str(error)
    context = getattr(error, "context", None)
    message = f"YAML syntax: {problem}"
    if "'\\t'" in problem:
        message += "; indent with spaces, not tabs"
    if context and problem.startswith("but "):
        message = f"YAML syntax: {context}, {problem}"
    elif context and getattr(error, "context_mark", None) is not None and mark is not None:
        cmark = error.context_mark  # type: ignore[attr-defined]
        if (cmark.line, cmark.column) != (mark.line, mark.column):
            message += f" ({context} on line {cmark.line + 1})"
    if mark is not None:
        return PlaylistError(message, path, mark.line + 1, mark.column + 1)
    return PlaylistError(message, path, 1, 1)


def read_document(path: Path) -> Document:
    """Read and compose `path` safely; PlaylistError (with a position) if it is not YAML text."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError as error:
        raise PlaylistError("no such playlist file", path) from error
    except IsADirectoryError as error:
        raise PlaylistError("is a folder, not a playlist file", path) from error
    except OSError as error:
        raise PlaylistError(f"cannot read: {error.strerror}", path) from error
    if len(data) > MAX_BYTES:
        raise PlaylistError(f"larger than {MAX_BYTES // 1024} kB: not a playlist "
                            "(a playlist is a small text file)", path, 1, 1)
    text = _decode(path, data)
    content_hash = hashlib.sha256(data).hexdigest()
    try:
        loader = _MarkingLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        raise yaml_error(path, error, text) from error
    except RecursionError as error:
        raise PlaylistError("YAML nested too deeply to be a playlist", path, 1, 1) from error
    return Document(path, root, text, content_hash)


def load_playlist(path: Path | str) -> Playlist:
    """The playlist at `path`; PlaylistError on the first problem that stops it from playing."""
    # Imported here: the validator builds on this module's reader.
    from companion.playlist.build import build_playlist
    from companion.playlist.validate import validate_document

    document = read_document(Path(path))
    record, problems = validate_document(document)
    errors = [p for p in problems if p.severity == "error"]
    if errors or record is None:
        first = errors[0]
        raise PlaylistError(first.message, first.path, first.line, first.column)
    return build_playlist(document, record)
