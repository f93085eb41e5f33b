"""Where Companion keeps its data, config and cache, and how private files are made."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

APP_NAME = "companion"
PLAYLIST_SUFFIXES = (".yaml", ".yml")
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by this user alone; tighten it if it exists."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if os.name == "posix" and (path.stat().st_mode & 0o777) != PRIVATE_DIR_MODE:
        path.chmod(PRIVATE_DIR_MODE)
    return path


def open_private(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_APPEND) -> int:
    """Open `path` as a file descriptor that only this user can read (0600), in a private dir."""
    ensure_private_dir(path.parent)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE_MODE)
    if os.name == "posix":
        os.fchmod(fd, PRIVATE_FILE_MODE)
    return fd


@contextmanager
def atomic_replace(path: Path, *, suffix: str = ".tmp") -> Iterator[Path]:
    """A new temporary file beside `path` (mode 0600) for the caller to fill.

    When the block ends well the file is fsynced and renamed onto `path`, so a reader (or a
    crash) sees the old file or the new one, never half of it; when it fails the file is
    removed. Each call has its own name: two writers of one path never share a temporary.
    """
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{path.name}-", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_private_text(path: Path, text: str) -> None:
    """Write `path` atomically (temporary file, fsync, rename) with mode 0600, in a private folder."""
    ensure_private_dir(path.parent)
    with atomic_replace(path) as tmp:
        tmp.write_bytes(text.encode("utf-8"))


def data_dir() -> Path:
    """The private data directory (sessions, journal): `$COMPANION_DATA_DIR` or the platform's."""
    return ensure_private_dir(_user_dir("COMPANION_DATA_DIR", "data"))


def sessions_dir() -> Path:
    """Where session records live."""
    return ensure_private_dir(data_dir() / "sessions")


def journal_dir() -> Path:
    """Where the client's private grounding journal lives."""
    return ensure_private_dir(data_dir() / "journal")


def config_dir() -> Path:
    """The user's config directory: `$COMPANION_CONFIG_DIR` or the platform's (not created)."""
    return _user_dir("COMPANION_CONFIG_DIR", "config")


def cache_dir() -> Path:
    """Disposable caches (loudness analysis): `$COMPANION_CACHE_DIR` or the platform's."""
    return ensure_private_dir(_user_dir("COMPANION_CACHE_DIR", "cache"))


def _user_dir(variable: str, kind: str) -> Path:
    """`$variable` when set, else the platform's user folder of `kind` (data, config, cache)."""
    override = os.environ.get(variable)
    if override:
        return Path(override).expanduser()
    import platformdirs

    where = {"data": platformdirs.user_data_dir, "config": platformdirs.user_config_dir,
             "cache": platformdirs.user_cache_dir}[kind]
    return Path(where(APP_NAME, appauthor=False))


def bundled_playlists_dir() -> Path:
    """The playlists shipped with Companion (the repository's `playlists/` folder)."""
    return Path(__file__).resolve().parent / "bundled"


def playlist_dirs() -> list[Path]:
    """Folders searched for playlists, in order: `./playlists`, the user's config, bundled."""
    candidates = [Path.cwd() / "playlists", config_dir() / "playlists", bundled_playlists_dir()]
    seen: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and all(folder.resolve() != s.resolve() for s in seen):
            seen.append(folder)
    return seen


def find_playlists() -> list[Path]:
    """Every playlist file in the search folders, first folder first, sorted by name."""
    found: list[Path] = []
    names: set[str] = set()
    for folder in playlist_dirs():
        for path in sorted(folder.iterdir()):
            if path.suffix in PLAYLIST_SUFFIXES and path.is_file() and path.name not in names:
                names.add(path.name)
                found.append(path)
    return found


def default_playlist() -> Path:
    """The bundled default playlist, which needs no music files."""
    return bundled_playlists_dir() / "default.yaml"
