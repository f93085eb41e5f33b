"""Importing: the layers hold, and no two threads importing at once can deadlock.

The UI thread and its workers import modules lazily, at any moment. A package whose
`__init__` imports its own modules deadlocks two threads that each import one of them first
(Python then hands one of them a half-made module: an ImportError on the sitter's screen).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "companion"


def modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return [n for n in names if n not in ("companion.__main__",)]


def imports_in(path: Path) -> list[tuple[str, list[str]]]:
    """The absolute imports of one file: (module, names taken from it; none for `import m`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def test_every_package_loads_its_modules_only_when_a_name_is_asked_for():
    eager = []
    for init in PACKAGE.rglob("__init__.py"):
        top = [n for n in ast.parse(init.read_text()).body
               if isinstance(n, (ast.Import, ast.ImportFrom))]
        names = {getattr(n, "module", None) or n.names[0].name for n in top}
        if names - {"companion.lazy", "__future__", "typing"}:
            eager.append(f"{init.relative_to(ROOT)} imports {sorted(names)}")
    assert not eager, "use companion.lazy.exports:\n" + "\n".join(eager)


def outside_names() -> list[tuple[str, list[str]]]:
    """What companion imports from outside itself: (module, names taken from it)."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for module, names in imports_in(path):
            if not module.startswith("companion"):
                found.setdefault(module, set()).update(names)
    return sorted((module, sorted(names)) for module, names in found.items())


def test_every_module_imported_at_once_from_its_own_thread():
    # Other packages (Textual, PyYAML, NumPy) first, from one thread, as the app does at
    # start: their own first imports are not ours to make thread-safe.
    script = (
        "import importlib, json, sys, threading\n"
        "for module, names in json.loads(sys.argv[1]):\n"
        "    try:\n"
        "        loaded = importlib.import_module(module)\n"
        "        for name in names:\n"
        "            getattr(loaded, name, None)\n"
        "    except Exception:\n"
        "        pass  # optional packages (simpleaudio, Windows-only modules)\n"
        "errors = []\n"
        "def load(name):\n"
        "    try:\n"
        "        __import__(name)\n"
        "    except Exception as error:\n"
        "        errors.append(f'{name}: {error!r}')\n"
        "threads = [threading.Thread(target=load, args=(n,)) for n in sys.argv[2:]]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "print('\\n'.join(errors))\n"
    )
    outside = json.dumps(outside_names())
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", script, outside, *modules()], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "", done.stdout


def test_the_layers_hold():
    """Nothing outside the UI imports Textual; the audio engine never imports playlists or
    records (it gets plain values over its pipe)."""
    crossings = []
    for path in PACKAGE.rglob("*.py"):
        where = path.relative_to(PACKAGE).as_posix()
        for name, _ in imports_in(path):
            if name.split(".")[0] in ("textual", "rich") and not where.startswith("ui/"):
                crossings.append(f"{where} imports {name}")
            if where.startswith("audio/") and name.startswith(("companion.playlist",
                                                               "companion.record")):
                crossings.append(f"{where} imports {name}")
    assert not crossings, "\n".join(crossings)
