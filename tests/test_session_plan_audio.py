"""The safe harbour and the soft landing heard for real: the session controller on the real
engine, played through ALSA's file plugin into a paced fake card (`tests/audio/alsa.py`).

The harbour must fade the music to the harbour track at the harbour level and back, the
landing must fade everything to silence, both as smooth ramps: no sample step larger than
the tones themselves make (the engine's own limit in its tests), no jump in the level.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from companion.audio.levels import percent_to_gain
from companion.session import AudioSetup, begin_session
from tests.audio.alsa import (
    CAPTURE_RATE,
    capture_fixture,
    envelope,
    max_step,
    retry_on_dropout,
    rms,
    silent_gaps,
    sine_step_limit,
    write_tone_wav,
    zero_crossing_hz,
)

pytestmark = [pytest.mark.realtime, pytest.mark.slow]

AMP = 0.37
FULL_RMS = AMP / np.sqrt(2)
HARBOUR_LEVEL = 70
FADE = 1.0
LANDING = 1.5

PLAYLIST = f"""\
name: Harbour and landing, heard
playback: {{volume: 100, ceiling: 100, crossfade: 0, fade_in: 0.1, fade_out: 0.1}}
phases:
  - name: Only
    minutes: 5
    tracks:
      - {{file: music.wav, title: Music}}
harbour:
  track: {{file: harbour.wav, title: Harbour}}
  fade: {FADE}
  level: {HARBOUR_LEVEL}
landing:
  fade: {LANDING}
"""

capture = capture_fixture()


def _window(x: np.ndarray, start_s: float, span_s: float) -> np.ndarray:
    a = int(start_s * CAPTURE_RATE)
    return x[a:a + int(span_s * CAPTURE_RATE)]


@retry_on_dropout
def test_harbour_and_landing_fades_are_smooth_ramps_on_the_real_output(capture, tmp_path):
    from companion.audio.client import AudioEngine

    write_tone_wav(tmp_path / "music.wav", 12, 440, AMP)
    write_tone_wav(tmp_path / "harbour.wav", 12, 660, AMP)
    playlist = tmp_path / "heard.yaml"
    playlist.write_text(PLAYLIST, encoding="utf-8")
    engine = AudioEngine(env=capture.env)
    info = engine.start("miniaudio")
    assert info.backend != "none", info.reason
    controller = begin_session(playlist, tmp_path / "sessions",
                               audio=AudioSetup(engine, info, None))
    marks: dict[str, float] = {}

    def wait(seconds: float) -> None:
        limit = time.monotonic() + seconds
        while time.monotonic() < limit:
            controller.poll()
            time.sleep(0.02)

    try:
        wait(1.0)
        marks["harbour"] = time.monotonic()
        assert controller.start_harbour()
        wait(1.6)
        marks["back"] = time.monotonic()
        assert controller.stop_harbour("key")
        wait(1.6)
        marks["landing"] = time.monotonic()
        controller.end("heard")
        time.sleep(LANDING + 0.4)
    finally:
        controller.close()
    x = capture.card.samples()
    started = capture.card.started_at
    assert started is not None

    def t(name: str) -> float:
        """Seconds into the capture when the action was taken."""
        return marks[name] - started

    limit = sine_step_limit(AMP, np.hypot(440, 660))  # both tones while they cross
    assert max_step(x) <= limit, "a click: a step larger than the tones make"
    env = envelope(x, 0.02)
    first = int(np.flatnonzero(env > 0.01)[0]) / 50  # the music's own 0.1 s fade-in begins
    # From there on, a ramp changes the level a little every 20 ms (measured: at most 4 % of
    # the full level, where two tones cross); a cut or a jump changes it by half or more.
    jumps = np.abs(np.diff(env[int((first + 0.2) * 50):]))
    assert jumps.max() < 0.08 * FULL_RMS, f"a jump of {jumps.max():.3f} in the level"
    assert silent_gaps(_window(x, first + 0.2, t("landing") - first)) == []

    harbour_gain = percent_to_gain(HARBOUR_LEVEL)
    before = _window(x, t("harbour") - 0.5, 0.4)
    assert zero_crossing_hz(before) == pytest.approx(440, abs=2)
    assert rms(before) == pytest.approx(FULL_RMS, rel=0.05)
    during = _window(x, t("harbour") + FADE + 0.2, 0.3)
    assert zero_crossing_hz(during) == pytest.approx(660, abs=2)
    assert rms(during) == pytest.approx(FULL_RMS * harbour_gain, rel=0.1)
    # Half-way through the fade the level is between the two, not at either end.
    middle = rms(_window(x, t("harbour") + FADE / 2, 0.05))
    assert FULL_RMS * harbour_gain * 0.5 < middle < FULL_RMS * 0.95
    after = _window(x, t("back") + FADE + 0.2, 0.3)
    assert zero_crossing_hz(after) == pytest.approx(440, abs=2)
    assert rms(after) == pytest.approx(FULL_RMS, rel=0.05)

    landing = envelope(_window(x, t("landing") + 0.05, LANDING - 0.1), 0.05)
    assert np.all(np.diff(landing) < 0.01 * FULL_RMS), "the landing must fall steadily"
    assert landing[len(landing) // 2] == pytest.approx(FULL_RMS / 2, rel=0.35)
    assert rms(_window(x, t("landing") + LANDING + 0.15, 0.2)) < 1e-3  # then silence
