"""Shared helpers for the playlist tests: a minimal valid playlist and a writer."""

from __future__ import annotations

import io
import textwrap
import wave
from pathlib import Path

MINIMAL = """\
name: Test
phases:
  - name: Settling
    until: dose
    tracks:
      - builtin: ocean
"""


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    """Write dedented `text` as a playlist file and return its path."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def located(problems) -> list[str]:
    """Problems as `LINE:COL: message` (without the file), for comparing with tables."""
    return [f"{p.line}:{p.column}: {p.message}" for p in problems]


def wav_bytes(seconds: float = 0.1, rate: int = 8000) -> bytes:
    """A short silent 16-bit mono WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(int(rate * seconds) * 2))
    return buffer.getvalue()
