"""A voice pack on disk: the folder of takes and its index, read and rewritten atomically."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from companion.errors import CompanionError

INDEX_NAME = "voice-pack.yaml"
DEFAULT_LOUDNESS_LUFS = -20.0
DEFAULT_FORMAT = "wav"


class VoicePackError(CompanionError):
    """A voice pack that cannot be read or written."""


@dataclass(frozen=True)
class TakeEntry:
    """One recorded take in a pack's index."""

    file: str
    text: str
    seconds: float


@dataclass
class VoicePack:
    """A voice pack folder and its index (load with `VoicePack.open`)."""

    path: Path
    language: str = "en"
    loudness_lufs: float = DEFAULT_LOUDNESS_LUFS
    format: str = DEFAULT_FORMAT
    takes: dict[str, TakeEntry] = field(default_factory=dict)

    @property
    def index_path(self) -> Path:
        """The pack's index file."""
        return self.path / INDEX_NAME

    @classmethod
    def open(cls, path: str | os.PathLike, *, create: bool = False, language: str = "en",
             fmt: str = DEFAULT_FORMAT) -> VoicePack:
        """Read the pack at `path` (a folder, or its index file); with `create`, start a new one."""
        folder = Path(path)
        if folder.name == INDEX_NAME:
            folder = folder.parent
        index = folder / INDEX_NAME
        if not index.exists():
            if not create:
                raise VoicePackError(f"{folder}: not a voice pack (no {INDEX_NAME}); "
                                     f"record one with `companion voice record {folder}`")
            folder.mkdir(parents=True, exist_ok=True)
            pack = cls(folder, language=language, format=fmt)
            pack.save()
            return pack
        try:
            data = yaml.safe_load(index.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise VoicePackError(f"{index}: cannot read the voice pack index: {error}") from None
        if not isinstance(data, dict):
            raise VoicePackError(f"{index}: the index should be a mapping")
        takes: dict[str, TakeEntry] = {}
        for key, entry in (data.get("takes") or {}).items():
            if isinstance(entry, dict) and isinstance(entry.get("file"), str):
                takes[str(key)] = TakeEntry(entry["file"], str(entry.get("text", "")),
                                            float(entry.get("seconds") or 0.0))
        return cls(folder, language=str(data.get("language", language)),
                   loudness_lufs=float(data.get("loudness_lufs", DEFAULT_LOUDNESS_LUFS)),
                   format=str(data.get("format", fmt)), takes=takes)

    def save(self) -> None:
        """Rewrite the index atomically (a reader sees the old or the new one, never half)."""
        data = {"language": self.language, "loudness_lufs": self.loudness_lufs,
                "format": self.format,
                "takes": {key: {"file": t.file, "text": t.text, "seconds": round(t.seconds, 3)}
                          for key, t in sorted(self.takes.items())}}
        text = "# Companion voice pack: prompt key -> recorded take\n" + yaml.safe_dump(
            data, allow_unicode=True, sort_keys=False, width=100)
        from companion.paths import atomic_replace

        with atomic_replace(self.index_path) as tmp:
            tmp.write_text(text, encoding="utf-8")

    def file_for(self, key: str) -> Path:
        """Where a new take for `key` is saved."""
        return self.path / f"{safe_name(key)}.{self.format}"

    def take_path(self, key: str, text: str | None = None) -> Path | None:
        """The take for `key` if it exists (and, given `text`, was read from those words)."""
        entry = self.takes.get(key)
        if entry is None or (text is not None and _norm(entry.text) != _norm(text)):
            return None
        path = self.path / entry.file
        return path if path.is_file() else None

    def keep(self, key: str, file: Path, text: str, seconds: float) -> None:
        """Record that `file` (inside the pack) is the take for `key`, and save the index."""
        self.takes[key] = TakeEntry(Path(file).name, text, float(seconds))
        self.save()


def safe_name(key: str) -> str:
    """A file name for a prompt key (letters, digits, dots, dashes)."""
    return re.sub(r"[^A-Za-z0-9.\-]+", "_", key).strip("._") or "take"


def _norm(text: str) -> str:
    return " ".join(text.split())
