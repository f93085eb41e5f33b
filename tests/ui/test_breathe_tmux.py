"""`companion breathe` in a real terminal (tmux, 80x24): the words change in time, cues sound."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LABELS = ("Get comfortable", "Breathe in", "Hold", "Breathe out", "Rest", "Done")
# Seconds after "Breathe in" first shows at which each later label should appear.
SCHEDULE = {"Hold": 4.0, "Breathe out": 8.0, "Rest": 12.0, "Done": 16.0}
TOLERANCE = 0.35
"""Polling every 50 ms plus a terminal redraw; the pacer itself is exact."""

pytestmark = [pytest.mark.tmux,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")]


def tmux(socket: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True,
                          check=False)


def test_breathe_box_one_cycle_shows_each_step_word_on_time(tmp_path):
    socket = f"companion-breathe-{os.getpid()}"
    command = (f"env TERM=xterm-256color COMPANION_DATA_DIR={tmp_path / 'data'} "
               f"COMPANION_CONFIG_DIR={tmp_path / 'config'} "
               f"{sys.executable} -m companion breathe box --cycles 1 --no-sound")
    started = tmux(socket, "new-session", "-d", "-s", "breathe", "-x", "80", "-y", "24",
                   "-c", str(ROOT), command)
    assert started.returncode == 0, started.stderr
    try:
        first_seen: dict[str, float] = {}
        deadline = time.monotonic() + 30
        while "Done" not in first_seen and time.monotonic() < deadline:
            screen = tmux(socket, "capture-pane", "-p", "-t", "breathe").stdout
            now = time.monotonic()
            for label in LABELS:
                if label not in first_seen and any(line.strip() == label
                                                   for line in screen.splitlines()):
                    first_seen[label] = now
            time.sleep(0.05)
        assert list(first_seen) == list(LABELS), screen
        inhale = first_seen["Breathe in"]
        for label, offset in SCHEDULE.items():
            assert first_seen[label] - inhale == pytest.approx(offset, abs=TOLERANCE), label
        assert "Let your breath return to its own rhythm." in screen
        assert "Enter Close" in screen
        tmux(socket, "send-keys", "-t", "breathe", "Enter")
        deadline = time.monotonic() + 5
        while tmux(socket, "has-session", "-t", "breathe").returncode == 0:
            assert time.monotonic() < deadline, "the app did not close on Enter"
            time.sleep(0.05)
    finally:
        tmux(socket, "kill-server")


def onsets(envelope, window_s: float = 0.01) -> list[float]:
    """Seconds at which a new sound starts: the level jumps well above the recent past."""
    found: list[float] = []
    for index in range(30, len(envelope)):
        recent = envelope[index - 30:index - 3].max()
        if envelope[index] > 0.01 and envelope[index] > 2.5 * recent:
            if not found or index * window_s - found[-1] > 0.5:
                found.append(index * window_s)
    return found


@pytest.mark.realtime
def test_breathe_rings_soft_cues_on_inhale_exhale_and_end(tmp_path):
    """Calming breath (in 2, out 4), one cycle: a bell at the inhale, a chime 2 s later, a bowl
    at the end, played by the real engine into a paced fake sound card."""
    from tests.audio.alsa import PacedCard, envelope, make_alsa_home

    home, fifo = make_alsa_home(tmp_path)
    card = PacedCard(fifo)
    card.start()
    socket = f"companion-cues-{os.getpid()}"
    command = (f"env HOME={home} TERM=xterm-256color COMPANION_DATA_DIR={tmp_path / 'data'} "
               f"COMPANION_CONFIG_DIR={tmp_path / 'config'} "
               f"{sys.executable} -m companion breathe calming --cycles 1 --audio miniaudio")
    try:
        tmux(socket, "new-session", "-d", "-s", "cues", "-x", "80", "-y", "24", "-c", str(ROOT),
             command)
        deadline = time.monotonic() + 30
        while "Enter Close" not in tmux(socket, "capture-pane", "-p", "-t", "cues").stdout:
            assert time.monotonic() < deadline, "the pacer did not end"
            time.sleep(0.1)
        time.sleep(1.0)  # the end bowl has begun by now
        tmux(socket, "send-keys", "-t", "cues", "Enter")
        deadline = time.monotonic() + 10
        while tmux(socket, "has-session", "-t", "cues").returncode == 0:
            assert time.monotonic() < deadline, "the app did not close"
            time.sleep(0.1)
    finally:
        tmux(socket, "kill-server")
        card.stop()
    starts = onsets(envelope(card.samples()))
    assert len(starts) == 3, starts
    assert starts[1] - starts[0] == pytest.approx(2.0, abs=0.1)  # inhale 2 s, then the exhale
    assert starts[2] - starts[0] == pytest.approx(6.0, abs=0.3)  # the bowl swells in slowly
