"""The two README commands work on a fresh clone, and the second start is quick."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from companion import __version__

ROOT = Path(__file__).resolve().parent.parent


def fresh_clone(tmp_path: Path) -> Path:
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs the git checkout to clone from")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    return clone


def run(cmd: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTEST"))}
    env["COMPANION_DATA_DIR"] = str(cwd / "data")
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    return result, time.perf_counter() - start


@pytest.mark.slow
def test_scripts_run_sets_up_a_fresh_clone_and_starts_quickly_the_second_time(tmp_path):
    clone = fresh_clone(tmp_path)
    first, _ = run([str(clone / "scripts" / "run"), "--version"], clone)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"companion {__version__}"
    assert (clone / ".venv" / "bin" / "companion").exists()
    second, seconds = run([str(clone / "scripts" / "run"), "--version"], clone)
    assert second.returncode == 0, second.stderr
    assert "installing" not in second.stderr
    assert seconds < 3.0, f"second start took {seconds:.2f} s"


@pytest.mark.slow
def test_scripts_test_sets_up_the_test_tools_on_a_fresh_clone(tmp_path):
    clone = fresh_clone(tmp_path)
    result, _ = run([str(clone / "scripts" / "test"), "--version"], clone)
    assert result.returncode == 0, result.stderr
    assert "pytest" in (result.stdout + result.stderr)
    check = subprocess.run(
        [str(clone / ".venv" / "bin" / "python"), "-c", "import simpleaudio, miniaudio, textual, xdist"],
        capture_output=True, text=True, timeout=60,
    )
    assert check.returncode == 0, check.stderr
