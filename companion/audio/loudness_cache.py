"""The loudness cache: one small JSON file per analysed sound, in the user's cache directory.

A file's entry is keyed by its resolved path and checked against the size and modification
time (ns) recorded with it, so an edited or replaced file is measured again. Built-ins are
keyed by name and seed, and checked against the soundscapes module's own size and mtime (a
change in how they are rendered invalidates them). Entries are written atomically (temporary
file, fsync, rename); an unreadable, corrupt or foreign entry counts as a miss. The cache is
disposable: a write that fails is skipped, never an error. `Levelling` turns what is cached
into the gain each track plays at.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.audio.loudness import Loudness, Progress

if TYPE_CHECKING:
    from companion.audio.normalise import GainDecision

#: Bumped whenever the measurement changes, so old entries are measured again.
VERSION = 1
SUBDIR = "loudness"


class LoudnessCache:
    """Cached loudness per file (path, size, mtime) and per built-in (name, seed)."""

    def __init__(self, directory: Path | None = None) -> None:
        """Keep entries in `directory` (default: `paths.cache_dir() / "loudness"`)."""
        if directory is None:
            from companion import paths

            directory = paths.cache_dir() / SUBDIR
        self.directory = Path(directory)

    # -- keys ---------------------------------------------------------------------------
    @staticmethod
    def _file_key(path: Path) -> dict | None:
        try:
            resolved = path.resolve()
            st = resolved.stat()
        except OSError:
            return None
        return {"kind": "file", "path": str(resolved), "size": st.st_size,
                "mtime_ns": st.st_mtime_ns}

    @staticmethod
    def _builtin_key(name: str, seed: int) -> dict:
        from companion.audio import soundscapes

        # The synthesis is a package: a change to any of its modules makes the sound anew.
        stats = [os.stat(f) for f in Path(soundscapes.__file__).parent.glob("*.py")]
        return {"kind": "builtin", "name": name, "seed": int(seed),
                "size": sum(st.st_size for st in stats),
                "mtime_ns": max(st.st_mtime_ns for st in stats)}

    def _entry_path(self, key: dict) -> Path:
        ident = key["path"] if key["kind"] == "file" else f"{key['name']}#{key['seed']}"
        digest = hashlib.sha256(f"{key['kind']}:{ident}".encode()).hexdigest()[:32]
        return self.directory / f"{digest}.json"

    # -- reading and writing --------------------------------------------------------------
    def _get(self, key: dict | None) -> Loudness | None:
        if key is None:
            return None
        try:
            data = json.loads(self._entry_path(key).read_text(encoding="utf-8"))
            if data.get("version") != VERSION or data.get("key") != key:
                return None
            return Loudness.from_json(data["loudness"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None       # missing, corrupt or foreign: measure again

    def _put(self, key: dict | None, loudness: Loudness) -> bool:
        if key is None:
            return False
        text = json.dumps({"version": VERSION, "key": key, "loudness": loudness.to_json()},
                          indent=1)
        try:
            from companion import paths

            paths.ensure_private_dir(self.directory)
            with paths.atomic_replace(self._entry_path(key)) as tmp:
                tmp.write_text(text, encoding="utf-8")
        except OSError:
            return False
        return True

    def get(self, path: str | Path) -> Loudness | None:
        """The cached loudness of file `path`, or None (never analysed, or changed since)."""
        return self._get(self._file_key(Path(path)))

    def put(self, path: str | Path, loudness: Loudness) -> bool:
        """Remember `loudness` for file `path` as it is now; False if it could not be written."""
        return self._put(self._file_key(Path(path)), loudness)

    def get_builtin(self, name: str, seed: int = 0) -> Loudness | None:
        """The cached loudness of a built-in sound, or None."""
        return self._get(self._builtin_key(name, seed))

    def put_builtin(self, name: str, seed: int, loudness: Loudness) -> bool:
        """Remember `loudness` for a built-in sound."""
        return self._put(self._builtin_key(name, seed), loudness)

    # -- measure on a miss ----------------------------------------------------------------
    def file_loudness(self, path: str | Path, progress: Progress | None = None,
                      refresh: bool = False) -> Loudness:
        """The loudness of file `path`: from the cache, or measured and stored (AudioError)."""
        from companion.audio.loudness import measure_file

        key = self._file_key(Path(path))
        found = None if refresh else self._get(key)
        if found is not None:
            return found
        measured = measure_file(path, progress)
        # Store under the key taken before measuring: a file changed meanwhile is a miss later.
        self._put(key, measured)
        return measured

    def builtin_loudness(self, name: str, seed: int = 0, refresh: bool = False) -> Loudness:
        """The loudness of a built-in (measured once per seed, under a second, then cached)."""
        from companion.audio.loudness import measure_builtin

        found = None if refresh else self.get_builtin(name, seed)
        if found is not None:
            return found
        measured = measure_builtin(name, seed)
        self.put_builtin(name, seed, measured)
        return measured

    def lookup(self, file: str | Path | None = None, builtin: str | None = None,
               seed: int = 0) -> Loudness | None:
        """For playback, never measuring (a session must not wait): a file's cached loudness
        (None if not analysed); a built-in's for its seed if analysed, else its typical one."""
        from companion.audio.loudness import typical_builtin

        if builtin is not None:
            return self.get_builtin(builtin, seed) or typical_builtin(builtin)
        return self.get(file) if file is not None else None


def not_analysed(playlist: Any, cache: LoudnessCache | None = None) -> list[Any]:
    """The playlist's tracks whose files exist but have no loudness in the cache yet, each file
    once: they play at their own level until `companion analyse` measures them."""
    cache = cache if cache is not None else LoudnessCache()
    seen: set[Path] = set()
    found = []
    for track in playlist.sounds():
        if track.file is None or track.file in seen or not Path(track.file).is_file():
            continue
        seen.add(track.file)
        if cache.get(track.file) is None:
            found.append(track)
    return found


def not_analysed_note(playlist: Any) -> str:
    """For the sitter as a session starts: the files that will not be levelled ("" if none)."""
    if not playlist.playback.normalise:
        return ""
    found = not_analysed(playlist)
    if not found:
        return ""
    names = ", ".join(track.title for track in found[:3]) + (", ..." if len(found) > 3 else "")
    return (f"{len(found)} file{'s' if len(found) != 1 else ''} not analysed for loudness "
            f"({names}) will play at {'their' if len(found) != 1 else 'its'} own level: "
            f"`companion analyse {playlist.path.name}` before the next session evens them out.")


class Levelling:
    """The gain each track plays at: its cached loudness brought to the target, within limits."""

    def __init__(self, cache: LoudnessCache | None = None,
                 target_lufs: float | None = None) -> None:
        """Look loudness up in `cache` (default: the user's) and aim at `target_lufs`."""
        from companion.audio.normalise import DEFAULT_TARGET_LUFS

        self.cache = cache if cache is not None else LoudnessCache()
        self.target_lufs = DEFAULT_TARGET_LUFS if target_lufs is None else target_lufs
        self._known: dict[tuple, Loudness | None] = {}

    @classmethod
    def for_playlist(cls, playlist: Any) -> Levelling | None:
        """Levelling to the playlist's loudness target, or None when it turns levelling off."""
        playback = playlist.playback
        return cls(target_lufs=playback.loudness_target) if playback.normalise else None

    def decision(self, file: str | Path | None = None, builtin: str | None = None,
                 seed: int = 0, gain_db: float = 0.0) -> GainDecision:
        """The GainDecision for a sound and its own gain (looked up once per sound)."""
        from companion.audio.normalise import track_gain_db

        key = (builtin, int(seed)) if builtin is not None else (str(file),)
        if key not in self._known or self._known[key] is None:
            # A file analysed meanwhile (`companion analyse` in another terminal) is picked up.
            self._known[key] = self.cache.lookup(file=file, builtin=builtin, seed=seed)
        return track_gain_db(self._known[key], self.target_lufs, gain_db)

    def below_target_db(self, track: Any) -> float | None:
        """How far below the target a Track plays at full volume (inf: silent; None: unknown)."""
        from companion.audio.normalise import below_target_db

        decision = self.decision(track.file, track.builtin, track.seed, track.gain_db)
        key = (track.builtin, int(track.seed)) if track.builtin is not None else (str(track.file),)
        return below_target_db(self._known.get(key), decision, self.target_lufs)

    def gain_db(self, track: Any) -> float:
        """The gain in dB for a playlist Track (or anything with file, builtin, seed, gain_db)."""
        return self.decision(track.file, track.builtin, track.seed, track.gain_db).gain_db
