"""`companion bls` in a real terminal (tmux, 80x24): a set runs, the counter moves, + speeds it up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(os.path.abspath(__file__)).parents[2]

pytestmark = [pytest.mark.tmux,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")]


def tmux(socket: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True,
                          check=False)


def wait_for_text(socket: str, text: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux(socket, "capture-pane", "-p", "-J", "-t", "bls").stdout
        if text in screen:
            return screen
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never showed:\n{screen}")


def test_bls_panel_runs_a_set_counts_passes_and_changes_speed(tmp_path):
    socket = f"companion-bls-{os.getpid()}"
    command = (f"env TERM=xterm-256color COMPANION_DATA_DIR={tmp_path / 'data'} "
               f"COMPANION_CONFIG_DIR={tmp_path / 'config'} "
               f"sh -c '{sys.executable} -m companion bls --audio none; echo EXITED; sleep 30'")
    started = tmux(socket, "new-session", "-d", "-s", "bls", "-x", "80", "-y", "24",
                   "-c", str(ROOT), command)
    assert started.returncode == 0, started.stderr
    try:
        wait_for_text(socket, "Ready: space starts a set.", timeout=15)
        tmux(socket, "send-keys", "-t", "bls", "Space")
        wait_for_text(socket, "Pass 1 of 24")
        wait_for_text(socket, "Pass 3 of 24")
        tmux(socket, "send-keys", "-t", "bls", "+")
        wait_for_text(socket, "Speed: 1.1 cycles/s (2.2 passes/s)")
        tmux(socket, "send-keys", "-t", "bls", "Space")
        screen = wait_for_text(socket, "stopped early")
        assert "RIGHT" in screen or "LEFT" in screen
        tmux(socket, "send-keys", "-t", "bls", "Escape")
        out = wait_for_text(socket, "EXITED", timeout=8)
        assert "Set 1 (Processing):" in out and "stopped early" in out, out
    finally:
        tmux(socket, "kill-server")
