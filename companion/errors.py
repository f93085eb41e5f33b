"""The error types of Companion: one base, one subclass per area, messages meant for people."""

from __future__ import annotations

from pathlib import Path


class CompanionError(Exception):
    """An error whose message is written for the person at the keyboard."""


class UsageError(CompanionError):
    """The command line asked for something that cannot be done (exit status 2)."""


class PlaylistError(CompanionError):
    """A playlist (or other YAML input) is wrong; knows where, for `FILE:LINE:COL:` messages."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        super().__init__(self.located())

    def located(self) -> str:
        """The message prefixed with `FILE:LINE:COL:` as far as the position is known."""
        parts = [str(self.path)] if self.path is not None else []
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        prefix = ":".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class AudioError(CompanionError):
    """A sound cannot be decoded or played; names the file and the reason."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.reason = message
        super().__init__(f"{self.path}: {message}" if self.path is not None else message)


class AudioDeviceError(AudioError):
    """No audio output could be opened."""


class RecordError(CompanionError):
    """The session record cannot be read or written."""


class ExerciseError(CompanionError):
    """A breathing pattern, grounding wording or other exercise input is unknown or invalid."""
