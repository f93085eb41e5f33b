"""The breath sound: level and brightness follow the pattern's steps, in exact step, looping seamlessly."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from companion.audio.breath_sound import (REST_LEVEL, BreathSound, BreathSoundGuide, cycle_file,
                                          envelope, lung_levels, render_cycle)
from companion.audio.protocol import Started
from companion.audio.take_files import read_audio
from companion.breathing import Pacer, Pattern, Step, find_pattern
from tests.audio.alsa import CAPTURE_RATE, capture_fixture, wait_for

capture = capture_fixture()
RATE = 48000
BOX = find_pattern("box")  # in 4, hold 4, out 4, hold 4
SIGH = find_pattern("physiological-sigh")  # in 4, in 1.5, out 8


def window_rms(x: np.ndarray, rate: int, window_s: float = 0.05) -> np.ndarray:
    n = int(window_s * rate)
    count = len(x) // n
    return np.sqrt(np.mean(x[:count * n].reshape(count, n) ** 2, axis=1))


def centroid(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    freqs = np.fft.rfftfreq(len(x), 1 / rate)
    return float(np.sum(freqs * spectrum) / np.sum(spectrum))


def test_lungs_fill_on_the_inhale_hold_and_empty_on_the_exhale() -> None:
    assert lung_levels(BOX) == [(0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0)]
    top_up = lung_levels(SIGH)
    assert top_up[0][1] == pytest.approx(4 / 5.5) and top_up[1] == (pytest.approx(4 / 5.5), 1.0)


def test_envelope_is_eased_within_each_step_and_exact_at_the_boundaries() -> None:
    t = np.array([0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0])
    assert np.allclose(envelope(BOX, t), [0, 0.5, 1, 1, 1, 0.5, 0, 0, 0])


def test_level_swells_through_the_inhale_holds_and_ebbs_through_the_exhale() -> None:
    x = render_cycle(BOX, RATE)[:, 0]
    level = window_rms(x, RATE, 0.25)  # 16 windows per 4 s step
    t = (np.arange(len(level)) + 0.5) * 0.25
    expected = REST_LEVEL + (1 - REST_LEVEL) * envelope(BOX, t)
    assert np.corrcoef(level, expected)[0, 1] > 0.98
    inhale, hold, exhale, rest = level[:16], level[16:32], level[32:48], level[48:64]
    assert inhale[:4].mean() < inhale[6:10].mean() < inhale[12:].mean()
    assert exhale[:4].mean() > exhale[6:10].mean() > exhale[12:].mean()
    assert hold.std() < 0.12 * hold.mean() and rest.std() < 0.12 * rest.mean()
    assert 20 * np.log10(hold.mean() / rest.mean()) == pytest.approx(
        20 * np.log10(1 / REST_LEVEL), abs=1.0)


def test_brightness_rises_with_the_breath() -> None:
    x = render_cycle(BOX, RATE)[:, 0]
    full, empty = x[5 * RATE:7 * RATE], x[13 * RATE:15 * RATE]
    assert centroid(full, RATE) > 1.5 * centroid(empty, RATE)


def test_one_cycle_loops_without_a_seam_and_every_cycle_is_the_same() -> None:
    sound = BreathSound(BOX, RATE)
    n = int(BOX.cycle_seconds * RATE)
    two = np.concatenate([sound.read(n // 3) for _ in range(7)])[:, 0]
    assert np.array_equal(two[:n // 2], two[n:n + n // 2])
    typical = np.abs(np.diff(two[:n])).max()
    assert abs(two[n] - two[n - 1]) <= typical


def test_cycle_file_is_written_once_per_timing(tmp_path: Path) -> None:
    path = cycle_file(BOX, tmp_path)
    assert cycle_file(BOX, tmp_path) == path
    samples, rate = read_audio(path)
    assert rate == RATE and len(samples) == 16 * RATE
    other = Pattern("x", "X", (Step("inhale", 4), Step("exhale", 6)))
    assert cycle_file(other, tmp_path) != path


@pytest.mark.realtime
def test_heard_breath_sound_follows_the_pacer_steps(capture, tmp_path: Path) -> None:
    from companion.audio.client import AudioEngine

    pattern = Pattern("quick", "Quick", (Step("inhale", 1.0), Step("hold", 0.5), Step("exhale", 1.5)))
    engine = AudioEngine(env=capture.env, period_ms=10)
    assert engine.start("miniaudio").backend == "miniaudio"
    engine.set_volume(100, ramp_s=0.0)
    guide = BreathSoundGuide(engine, pattern, tmp_path / "cache", gain_db=10.0)
    pacer = Pacer(pattern, time.monotonic, cycles=2, lead_in=0.5)
    guide.started(pacer)
    wait_for(engine, Started)
    time.sleep(0.5 + 2 * pattern.cycle_seconds + 0.1)
    engine.close(0.05)
    x = capture.card.samples()[:, 0].astype(np.float64)
    onset = int(np.flatnonzero(np.abs(x) > 2e-3)[0])
    onset_ms = (capture.card.time_of_frame(onset) - (pacer.started_at + 0.5)) * 1000
    print(f"breath sound heard {onset_ms:.1f} ms after the first breath's moment "
          "(test rig latency included)")
    assert 0 <= onset_ms <= 50  # the engine's placement plus 3-5 periods of test rig
    # The heard level against the pattern's envelope, from the moment the sound began.
    span = int(2 * pattern.cycle_seconds * CAPTURE_RATE)
    pad = int(0.3 * CAPTURE_RATE)
    heard = window_rms(x[onset - pad:onset + span + pad], CAPTURE_RATE, 0.01)
    t = (np.arange(len(heard)) + 0.5) * 0.01 - 0.3
    expected = np.where(t >= 0, REST_LEVEL + (1 - REST_LEVEL) * envelope(pattern, t), 0.0)
    box = np.ones(10) / 10  # 100 ms smoothing: noise is noisy over 10 ms
    heard, expected = np.convolve(heard, box, "same"), np.convolve(expected, box, "same")
    lags = np.arange(-20, 21)
    scores = [np.corrcoef(np.roll(heard, -lag)[30:-30], expected[30:-30])[0, 1] for lag in lags]
    best = int(lags[int(np.argmax(scores))])
    print(f"breath envelope vs pattern: correlation {max(scores):.3f} at {best * 10} ms")
    assert max(scores) > 0.95
    assert abs(best) <= 2  # the swell and ebb within 20 ms of the steps (10 ms windows)
    assert heard[:25].max() < 0.2 * heard.max()  # silent in the lead-in until the first breath
