"""`companion bls` in a real terminal (tmux, 80x24): a set runs, the counter moves, + speeds it up."""

from __future__ import annotations

import pytest

from tests.terminal import COMPANION, HAVE_TMUX, Terminal

pytestmark = [pytest.mark.tmux, pytest.mark.skipif(not HAVE_TMUX, reason="needs tmux")]


def test_bls_panel_runs_a_set_counts_passes_and_changes_speed(tmp_path):
    term = Terminal(f"{COMPANION} bls --audio none",
                    {"COMPANION_DATA_DIR": str(tmp_path / "data"),
                     "COMPANION_CONFIG_DIR": str(tmp_path / "config")})
    try:
        term.wait_for_text("Ready: space starts a set.", timeout=15)
        term.keys("Space")
        term.wait_for_text("Pass 1 of 24", timeout=10)
        term.wait_for_text("Pass 3 of 24", timeout=10)
        term.keys("+")
        term.wait_for_text("Speed: 1.1 cycles/s (2.2 passes/s)", timeout=10)
        term.keys("Space")
        screen = term.wait_for_text("stopped early", timeout=10)
        assert "RIGHT" in screen or "LEFT" in screen
        term.keys("Escape")
        assert term.wait_closed(timeout=8), term.screen()
        out = term.screen(join=True)  # the summary's line may be wider than the terminal
        assert "Set 1 (Processing):" in out and "stopped early" in out, out
    finally:
        term.close()
