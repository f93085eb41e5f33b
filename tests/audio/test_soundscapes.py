"""Built-in soundscapes and cues: deterministic, moderate, smooth, cheap to render."""

from __future__ import annotations

import time

import numpy as np
import pytest

from companion.audio.soundscapes import CUE_NAMES, describe, is_cue, names, open_builtin
from companion.errors import AudioError
from tests.audio.signals import max_step, read_all, rms

RATE = 48000
SCAPES = [n for n in names() if not is_cue(n)]


def dbfs(x: float) -> float:
    return 20 * np.log10(max(x, 1e-12))


def test_names_cover_soundscapes_and_cues():
    assert set(names()) == {"brown-noise", "warm-pad", "ocean", "soft-bell", "chime", "bowl"}
    assert set(CUE_NAMES) == {"soft-bell", "chime", "bowl"}
    assert not is_cue("ocean") and is_cue("bowl")
    for name in names():
        assert describe(name) and "\n" not in describe(name)


def test_unknown_builtin_names_the_choices():
    with pytest.raises(AudioError, match="unknown built-in sound 'rain'.*brown-noise"):
        open_builtin("rain")
    with pytest.raises(AudioError):
        describe("rain")


@pytest.mark.parametrize("name", names())
def test_same_seed_same_sound_whatever_the_read_size(name):
    a = read_all(open_builtin(name, seed=7, seconds=3.0), 1024)
    b = read_all(open_builtin(name, seed=7, seconds=3.0), 313)
    c = read_all(open_builtin(name, seed=8, seconds=3.0), 1024)
    assert a.dtype == np.float32 and a.shape[1] == 2
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("name", SCAPES)
@pytest.mark.parametrize("seed", [0, 1])
def test_soundscape_level_is_moderate_and_smooth(name, seed):
    y = read_all(open_builtin(name, seed=seed, seconds=40.0), 4800)
    body = y[RATE:-3 * RATE]                                 # past the fades
    assert -32.0 <= dbfs(rms(body)) <= -21.0
    assert dbfs(np.abs(y).max()) <= -6.0
    # No hard edges: the biggest sample-to-sample step stays small (a 440 Hz sine at -12 dBFS
    # steps 0.014; noise softened above 2-3.5 kHz steps a little more).
    assert max_step(y) <= 0.08
    # Level moves slowly: no 100 ms window jumps more than 6 dB from the previous one.
    w = body[: len(body) // 4800 * 4800].reshape(-1, 4800, 2).astype(np.float64)
    levels = 10 * np.log10(np.mean(w * w, axis=(1, 2)))
    assert np.abs(np.diff(levels)).max() <= 6.0


@pytest.mark.parametrize("name", SCAPES)
def test_soundscape_starts_from_silence_and_ends_in_silence(name):
    y = read_all(open_builtin(name, seed=3, seconds=6.0))
    assert len(y) == 6 * RATE
    assert np.abs(y[0]).max() == 0.0
    assert rms(y[:480]) < rms(y[2 * RATE:3 * RATE]) / 30          # first 10 ms: > 30 dB quieter
    assert np.abs(y[-1]).max() < 1e-6
    assert rms(y[-480:]) < rms(y[2 * RATE:3 * RATE]) / 30


def test_endless_soundscape_has_no_length():
    src = open_builtin("brown-noise")
    assert src.seconds is None
    assert len(src.read(100_000)) == 100_000


def test_start_at_seeks_and_still_fades_in():
    src = open_builtin("ocean", seed=2, start_at_s=3600.0)
    y = src.read(2 * RATE)
    assert np.abs(y[0]).max() == 0.0 and rms(y[RATE:]) > 0.005


@pytest.mark.parametrize("name", CUE_NAMES)
def test_cue_is_a_soft_one_shot_ending_in_silence(name):
    src = open_builtin(name, seed=1)
    assert 3.0 <= src.seconds <= 7.0
    y = read_all(src)
    assert len(y) == round(src.seconds * RATE)
    assert np.abs(y[0]).max() == 0.0 and np.abs(y[-1]).max() == 0.0
    assert -18.0 <= dbfs(np.abs(y).max()) <= -9.0
    assert max_step(y) <= 0.06
    # A gentle attack: the first millisecond stays well below the peak.
    assert np.abs(y[:48]).max() < np.abs(y).max() / 4
    # A long decay: still sounding after a second, far quieter near the end.
    assert rms(y[RATE:RATE + 4800]) > rms(y[-RATE // 2:]) * 3


def test_cue_shortened_by_seconds_fades_out():
    y = read_all(open_builtin("bowl", seconds=2.0))
    assert len(y) == 2 * RATE and np.abs(y[-1]).max() < 1e-6


def test_cue_loops_when_asked():
    src = open_builtin("chime", loop=True, seconds=10.0)
    y = read_all(src)
    assert len(y) == 10 * RATE


@pytest.mark.parametrize("name", names())
def test_a_1024_frame_block_costs_well_under_a_millisecond(name):
    src = open_builtin(name, seed=4)
    src.read(1024)
    # The best of five runs: the cost of the code, not of the other tests sharing the cores.
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(40):
            src.read(1024)
        runs.append((time.perf_counter() - start) / 40)
    per_block = min(runs)
    print(f"{name}: {per_block * 1e6:.0f} us per 1024 frames (best of {len(runs)} runs of 40)")
    assert per_block < 1e-3

