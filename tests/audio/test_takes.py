"""Takes: silence trimmed at both ends, faded edges, levelled to the pack's loudness, saved."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from companion.audio.take_files import fitted_copy, read_audio, save_take
from companion.audio.takes import FADE_S, MARGIN_S, loudness_lufs, process_take
from companion.errors import AudioError

RATE = 48000


def speechlike(seconds: float = 1.2, level: float = 0.1, seed: int = 3) -> np.ndarray:
    """A tone burst with a syllable-like envelope and a little noise."""
    t = np.arange(int(seconds * RATE)) / RATE
    envelope = 0.6 + 0.4 * np.sin(2 * np.pi * 3 * t) ** 2
    noise = np.random.default_rng(seed).normal(0, 0.01, len(t))
    return (level * envelope * np.sin(2 * np.pi * 220 * t) + level * noise).astype(np.float32)


def in_room(spoken: np.ndarray, before: float = 0.7, after: float = 0.9) -> np.ndarray:
    hiss = np.random.default_rng(1).normal(0, 1e-4, int((before + after) * RATE)).astype(np.float32)
    a = int(before * RATE)
    return np.concatenate([hiss[:a], spoken, hiss[a:]])


def test_take_is_trimmed_to_the_speech_with_a_short_margin() -> None:
    spoken = speechlike()
    take = process_take(in_room(spoken), RATE, -20.0)
    margin = MARGIN_S * RATE
    assert abs(take.start - (0.7 * RATE - margin)) <= 0.01 * RATE
    assert abs(len(take.samples) - (len(spoken) + 2 * margin)) <= 0.02 * RATE


def test_take_edges_fade_without_a_click() -> None:
    take = process_take(in_room(speechlike(level=0.3)), RATE, -20.0)
    k = int(FADE_S * RATE)
    assert abs(take.samples[0]) < 1e-3 and abs(take.samples[-1]) < 1e-3
    steps = np.abs(np.diff(take.samples[: 2 * k]))
    assert steps.max() < 0.05


@pytest.mark.parametrize("level, target", [(0.02, -20.0), (0.3, -20.0), (0.1, -16.0)])
def test_take_is_levelled_to_the_pack_loudness(level: float, target: float) -> None:
    take = process_take(in_room(speechlike(level=level)), RATE, target)
    assert not take.limited
    assert abs(loudness_lufs(take.samples, RATE) - target) < 0.5


def test_between_the_fades_the_take_is_the_recording_times_one_gain() -> None:
    raw = in_room(speechlike())
    take = process_take(raw, RATE, -20.0)
    k = int(FADE_S * RATE)
    gain = 10 ** (take.gain_db / 20)
    inner = take.samples[k:-k]
    assert np.allclose(inner, raw[take.start + k:take.end - k] * gain, atol=1e-6)


def test_levelling_never_pushes_a_peak_past_the_ceiling() -> None:
    spiky = speechlike(level=0.01)
    spiky[1000] = 0.9  # one loud click in a quiet take
    take = process_take(in_room(spiky), RATE, -14.0)
    assert take.limited
    assert np.max(np.abs(take.samples)) <= 10 ** (-1 / 20) + 1e-4


def test_a_silent_take_is_refused_with_a_reason() -> None:
    with pytest.raises(AudioError, match="nothing was heard"):
        process_take(np.zeros(RATE, dtype=np.float32), RATE)


@pytest.mark.parametrize("suffix", ["wav", "flac"])
def test_saved_take_reads_back_the_same(tmp_path: Path, suffix: str) -> None:
    if suffix == "flac" and shutil.which("flac") is None:
        pytest.skip("no flac encoder")
    take = process_take(in_room(speechlike()), RATE, -20.0)
    path = save_take(take, tmp_path / f"take.{suffix}")
    back, rate = read_audio(path)
    assert rate == RATE and len(back) == len(take.samples)
    assert np.max(np.abs(back - take.samples)) < 2 / 32768
    assert [p.name for p in tmp_path.iterdir()] == [f"take.{suffix}"]  # no temp files left


def test_fitted_copy_ends_with_a_fade_at_the_step_end(tmp_path: Path) -> None:
    take = process_take(in_room(speechlike(seconds=3.0, level=0.3)), RATE, -20.0)
    path = save_take(take, tmp_path / "long.wav")
    fitted = fitted_copy(path, 2.0, 0.3, tmp_path / "fit")
    cut, _ = read_audio(fitted)
    assert len(cut) == 2 * RATE
    assert abs(cut[-1]) < 1e-3
    assert np.abs(cut[-int(0.05 * RATE):]).max() < np.abs(cut[: RATE]).max() * 0.3
    assert fitted_copy(path, 2.0, 0.3, tmp_path / "fit") == fitted  # cached
