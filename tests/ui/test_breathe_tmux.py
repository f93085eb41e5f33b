"""`companion breathe` in a real terminal (tmux, 80x24): the words change in time, cues sound."""

from __future__ import annotations

import time

import pytest

from tests.terminal import COMPANION, HAVE_TMUX, Terminal

LABELS = ("Get comfortable", "Breathe in", "Hold", "Breathe out", "Rest", "Done")
# Seconds after "Breathe in" first shows at which each later label should appear.
SCHEDULE = {"Hold": 4.0, "Breathe out": 8.0, "Rest": 12.0, "Done": 16.0}
TOLERANCE = 0.35
"""Polling every 50 ms plus a terminal redraw; the pacer itself is exact."""

pytestmark = [pytest.mark.tmux, pytest.mark.skipif(not HAVE_TMUX, reason="needs tmux")]


def test_breathe_box_one_cycle_shows_each_step_word_on_time(tmp_path):
    term = Terminal(f"{COMPANION} breathe box --cycles 1 --no-sound",
                    {"COMPANION_DATA_DIR": str(tmp_path / "data"),
                     "COMPANION_CONFIG_DIR": str(tmp_path / "config")})
    try:
        first_seen: dict[str, float] = {}
        deadline = time.monotonic() + 30
        while "Done" not in first_seen and time.monotonic() < deadline:
            screen = term.screen()
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
        term.keys("Enter")
        assert term.wait_closed(timeout=5), "the app did not close on Enter"
    finally:
        term.close()


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
    term = Terminal(f"{COMPANION} breathe calming --cycles 1 --audio miniaudio",
                    {"HOME": str(home), "COMPANION_DATA_DIR": str(tmp_path / "data"),
                     "COMPANION_CONFIG_DIR": str(tmp_path / "config")})
    try:
        term.wait_for_text("Enter Close", timeout=30)
        time.sleep(1.0)  # the end bowl has begun by now
        term.keys("Enter")
        assert term.wait_closed(timeout=10), "the app did not close"
    finally:
        term.close()
        card.stop()
    starts = onsets(envelope(card.samples()))
    assert len(starts) == 3, starts
    assert starts[1] - starts[0] == pytest.approx(2.0, abs=0.1)  # inhale 2 s, then the exhale
    assert starts[2] - starts[0] == pytest.approx(6.0, abs=0.3)  # the bowl swells in slowly
