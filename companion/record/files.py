"""Session files: their names, the advisory lock a running session holds, a durable new name.

Names carry the start time and a file-system-safe client code, never a name.
"""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: no advisory locks, one window per session is up to people
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".jsonl"


def safe_client_code(code: str | None, limit: int = 32) -> str:
    """`code` reduced to ASCII letters, digits and '-' (safe on any file system), or ''."""
    if not code:
        return ""
    ascii_text = unicodedata.normalize("NFKD", code).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-")


def session_file_name(started_at: datetime, client_code: str | None) -> str:
    """`2026-11-25_14-44-12_C07.jsonl`: local start time, then the safe client code."""
    stamp = started_at.astimezone().strftime("%Y-%m-%d_%H-%M-%S")
    code = safe_client_code(client_code)
    return f"{stamp}_{code}{SUFFIX}" if code else f"{stamp}{SUFFIX}"


def fsync_dir(directory: Path) -> None:
    """Make a directory's entries (a new file's name) durable."""
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def lock_session_file(fd: int, shared: bool = False) -> bool:
    """Take the advisory lock a running session holds on its file; False if another has it."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
