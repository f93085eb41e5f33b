"""Loudness meter (BS.1770-4 / EBU Tech 3341 and 3342 signals), cache and normalisation."""

from __future__ import annotations

import json
import math
import os
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from companion.audio import loudness as loudness_mod
from companion.audio import loudness_cache as cache_mod
from companion.audio.loudness import (BUILTIN_SECONDS, Loudness, LoudnessMeter,
                                      k_weighting_sos, measure_builtin, measure_file)
from companion.audio.loudness_cache import LoudnessCache
from companion.audio.normalise import GainDecision, track_gain_db
from companion.audio.true_peak import TP_TAPS
from companion.errors import AudioError
from tests.audio.signals import write_wav

RATE = 48000


def tone(dbfs: float, seconds: float, freq: float = 1000.0, rate: int = RATE) -> np.ndarray:
    """A stereo sine whose peak is `dbfs` (the EBU test signals' convention), float32."""
    n = int(round(seconds * rate))
    period = int(rate // freq) if rate % freq == 0 else n     # 1 kHz: tile one 48-sample cycle
    cycle = 10 ** (dbfs / 20) * np.sin(2 * np.pi * freq * np.arange(period) / rate)
    x = np.tile(cycle.astype(np.float32), -(-n // period))[:n]
    return np.repeat(x[:, None], 2, axis=1)


def sequence(*parts: tuple[float, float]) -> np.ndarray:
    """Tones of (dBFS, seconds) one after another, phase-continuous enough for a meter."""
    return np.concatenate([tone(db, s) for db, s in parts])


def meter_of(x: np.ndarray, block: int = 48000) -> Loudness:
    m = LoudnessMeter()
    for a in range(0, len(x), block):
        m.add(x[a:a + block])
    return m.result()


def music_like(seconds: float, seed: int, rate: int = RATE, channels: int = 2) -> np.ndarray:
    """Noise coloured towards the bass, some tones, a slow swell and a quiet passage."""
    from scipy import signal

    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    t = np.arange(n) / rate
    noise = signal.lfilter([0.05], [1, -0.95], rng.standard_normal((n, channels)), axis=0)
    tones = sum(a * np.sin(2 * np.pi * f * t + p) for a, f, p in
                zip(rng.uniform(0.02, 0.1, 5), rng.uniform(80, 6000, 5), rng.uniform(0, 6, 5)))
    swell = 0.55 + 0.45 * np.sin(2 * np.pi * t / seconds * 2.3)
    swell[int(n * 0.6):int(n * 0.7)] *= 0.1
    x = (noise + tones[:, None] * np.array([1.0, 0.7][:channels])) * swell[:, None]
    return (0.5 * x / np.abs(x).max()).astype(np.float32)


# -- the meter against the Recommendations ------------------------------------------------

def test_k_weighting_matches_the_bs1770_table_at_48k():
    published = [[1.53512485958697, -2.69169618940638, 1.19839281085285,
                  1.0, -1.69065929318241, 0.73248077421585],
                 [1.0, -2.0, 1.0, 1.0, -1.99004745483398, 0.99007225036621]]
    assert np.allclose(k_weighting_sos(48000), published, atol=1e-10)


@pytest.mark.parametrize("dbfs", [-23.0, -33.0])
def test_tech3341_stereo_sine_reads_its_level(dbfs):
    assert meter_of(tone(dbfs, 20.0)).integrated_lufs == pytest.approx(dbfs, abs=0.1)


@pytest.mark.parametrize("parts", [
    ((-36, 10), (-23, 60), (-36, 10)),                        # Tech 3341 case 3
    ((-72, 10), (-36, 10), (-23, 60), (-36, 10), (-72, 10)),  # case 4
    ((-26, 20), (-20, 20.1), (-26, 20)),                      # case 5
], ids=["case3", "case4", "case5"])
def test_tech3341_gated_sequences_read_minus_23(parts):
    assert meter_of(sequence(*parts)).integrated_lufs == pytest.approx(-23.0, abs=0.1)


@pytest.mark.parametrize("parts, expected", [
    (((-20, 20), (-30, 20)), 10.0),                                  # Tech 3342 case 1
    (((-20, 20), (-15, 20)), 5.0),                                   # case 2
    (((-40, 20), (-20, 20)), 20.0),                                  # case 3
    (((-50, 20), (-35, 20), (-20, 20), (-35, 20), (-50, 20)), 15.0),  # case 4
], ids=["case1", "case2", "case3", "case4"])
def test_tech3342_loudness_range(parts, expected):
    assert meter_of(sequence(*parts)).lra_lu == pytest.approx(expected, abs=1.0)


def test_silence_and_too_short_sounds_have_no_loudness():
    silent = meter_of(np.zeros((RATE * 2, 2), np.float32))
    assert silent.integrated_lufs == -math.inf and silent.true_peak_dbtp == -math.inf
    assert silent.lra_lu == 0.0
    assert meter_of(tone(-20, 0.3)).integrated_lufs == -math.inf   # shorter than one block
    assert json.loads(json.dumps(silent.to_json()))["integrated_lufs"] is None


def test_true_peak_finds_the_inter_sample_peak():
    # A sine at fs/4 with 45 degrees of phase: every sample sits at 1/sqrt(2) of the peak.
    n = np.arange(RATE * 2)
    x = 0.5 * np.sin(np.pi / 2 * n + np.pi / 4)
    r = meter_of(np.repeat(x[:, None], 2, axis=1).astype(np.float32), block=1001)
    assert r.sample_peak_dbfs == pytest.approx(20 * math.log10(0.5 / math.sqrt(2)), abs=0.01)
    assert r.true_peak_dbtp == pytest.approx(20 * math.log10(0.5), abs=0.2)
    assert r.true_peak_dbtp - r.sample_peak_dbfs == pytest.approx(3.01, abs=0.2)


def test_true_peak_equals_full_4x_oversampling_whatever_the_block_size():
    from scipy import signal

    taps = TP_TAPS.T.reshape(-1)          # the 48-tap filter: h[4k + p] = phase p, tap k
    rng = np.random.default_rng(3)
    for trial in range(12):
        n = int(rng.integers(200, 5000))
        kind = trial % 3
        if kind == 0:
            x = rng.standard_normal((n, 2)) * 0.2
        elif kind == 1:
            x = np.sign(rng.standard_normal((n, 2))) * 0.5     # square-ish: big overshoots
        else:
            x = np.zeros((n, 2))
            x[rng.integers(0, n, 4)] = rng.uniform(-1, 1, (4, 2))   # clicks near block edges
        x = x.astype(np.float32)
        full = max(np.abs(signal.upfirdn(taps, x[:, c].astype(np.float64), up=4)).max()
                   for c in range(2))
        expected = 20 * math.log10(max(full, np.abs(x).max()))
        got = meter_of(x, block=int(rng.integers(1, 700))).true_peak_dbtp
        assert got == pytest.approx(expected, abs=1e-4)


def test_true_peak_between_samples_at_a_block_edge_is_found():
    from scipy import signal

    taps = TP_TAPS.T.reshape(-1)
    for block in (1601, 1605, 1617):
        for before_edge in range(1, 14):
            x = np.full((block * 2, 2), 0.01, dtype=np.float32)
            x[block - before_edge:block - before_edge + 2, 0] = 0.8   # overshoots between them
            full = np.abs(signal.upfirdn(taps, x[:, 0].astype(np.float64), up=4)).max()
            got = meter_of(x, block=block).true_peak_dbtp
            assert got == pytest.approx(20 * math.log10(full), abs=1e-4), (block, before_edge)


def test_block_size_does_not_change_the_result():
    x = music_like(12.0, seed=1)
    a = meter_of(x, block=RATE)
    b = meter_of(x, block=997)
    for field in ("integrated_lufs", "lra_lu", "sample_peak_dbfs", "true_peak_dbtp"):
        assert getattr(a, field) == pytest.approx(getattr(b, field), abs=1e-6)


@pytest.mark.parametrize("rate, channels, seed", [(48000, 2, 1), (48000, 2, 2), (44100, 2, 3)])
def test_agrees_with_pyloudnorm_on_short_files(tmp_path, rate, channels, seed):
    pyloudnorm = pytest.importorskip("pyloudnorm")
    x = music_like(10.0, seed, rate, channels)
    path = write_wav(tmp_path / "t.wav", x, rate, "float32")
    ours = measure_file(path)
    reference = pyloudnorm.Meter(rate).integrated_loudness(x.astype(np.float64))
    # 44.1 kHz files are measured after the resampling to 48 kHz that playback does.
    assert ours.integrated_lufs == pytest.approx(reference, abs=0.1)


def test_mono_file_measures_as_played_on_two_speakers(tmp_path):
    pyloudnorm = pytest.importorskip("pyloudnorm")
    x = music_like(10.0, 4, channels=1)
    path = write_wav(tmp_path / "mono.wav", x, RATE, "float32")
    reference = pyloudnorm.Meter(RATE).integrated_loudness(x[:, 0].astype(np.float64))
    assert measure_file(path).integrated_lufs == pytest.approx(reference + 3.01, abs=0.1)


class _Endless:
    """A source that repeats one block: lets a long stream be fed without holding it."""

    rate = RATE

    def __init__(self, block: np.ndarray, seconds: float) -> None:
        self.block, self.left = block, int(seconds * RATE)

    def read(self, frames: int) -> np.ndarray:
        n = min(frames, len(self.block), self.left)
        self.left -= n
        return self.block[:n]


def test_memory_stays_flat_as_the_stream_grows():
    from companion.audio.loudness import measure

    block = music_like(65536 / RATE, seed=5)
    peaks = []
    for seconds in (30.0, 300.0):
        tracemalloc.start()
        measure(_Endless(block, seconds))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    # 10 times longer costs only the per-100 ms energies (8 bytes each: ~22 kB more here).
    assert peaks[1] - peaks[0] < 200_000, peaks


def test_builtins_are_measured_to_the_same_reference():
    pad = measure_builtin("warm-pad", seed=1)
    bell = measure_builtin("soft-bell", seed=1)
    assert pad.seconds == pytest.approx(BUILTIN_SECONDS)
    assert -60 < pad.integrated_lufs < -10 and -60 < bell.integrated_lufs < -10
    assert 0 < bell.seconds < 10
    with pytest.raises(AudioError, match="unknown built-in"):
        measure_builtin("kazoo")


def test_unreadable_file_gives_the_engine_error(tmp_path):
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio at all")
    with pytest.raises(AudioError, match="notes.wav"):
        measure_file(bad)


# -- the cache ---------------------------------------------------------------------------

@pytest.fixture
def counted(monkeypatch):
    """Counts real measurements made through the cache."""
    import companion.audio.loudness as loudness

    calls = []
    real = loudness.measure_file

    def measure(path, progress=None):
        calls.append(Path(path))
        return real(path, progress)

    monkeypatch.setattr(loudness, "measure_file", measure)
    return calls


def test_cache_hits_after_the_first_analysis(tmp_path, counted):
    path = write_wav(tmp_path / "a.wav", tone(-20, 2.0), RATE, "float32")
    cache = LoudnessCache(tmp_path / "cache")
    assert cache.get(path) is None
    first = cache.file_loudness(path)
    again = LoudnessCache(tmp_path / "cache").file_loudness(path)
    assert again == first and len(counted) == 1
    entries = list((tmp_path / "cache").glob("*.json"))
    assert len(entries) == 1 and (entries[0].stat().st_mode & 0o777) == 0o600


def test_cache_misses_when_the_file_changes(tmp_path, counted):
    path = write_wav(tmp_path / "a.wav", tone(-20, 2.0), RATE, "float32")
    cache = LoudnessCache(tmp_path / "cache")
    cache.file_loudness(path)
    write_wav(path, tone(-30, 2.0), RATE, "float32")          # same size, new content
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert cache.get(path) is None
    assert cache.file_loudness(path).integrated_lufs == pytest.approx(-30, abs=0.1)
    assert len(counted) == 2


def test_corrupt_or_foreign_cache_entries_are_ignored(tmp_path, counted):
    path = write_wav(tmp_path / "a.wav", tone(-20, 2.0), RATE, "float32")
    cache = LoudnessCache(tmp_path / "cache")
    cache.file_loudness(path)
    (entry,) = (tmp_path / "cache").glob("*.json")
    for text in ("{not json", "[]", json.dumps({"version": 1, "key": {}, "loudness": {}}),
                 json.dumps({"version": 999})):
        entry.write_text(text)
        assert cache.get(path) is None
    assert cache.file_loudness(path).integrated_lufs == pytest.approx(-20, abs=0.1)
    assert cache.get(path) is not None                        # rewritten, readable again


def test_unwritable_cache_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    path = write_wav(tmp_path / "a.wav", tone(-20, 1.0), RATE, "float32")
    cache = LoudnessCache(blocker / "cache")                   # cannot be a directory
    assert cache.file_loudness(path).integrated_lufs == pytest.approx(-20, abs=0.1)
    assert cache.put(path, cache.file_loudness(path)) is False


def test_builtins_are_cached_per_name_and_seed(tmp_path, monkeypatch):
    calls = []
    real = cache_mod.LoudnessCache.builtin_loudness

    import companion.audio.loudness as loudness
    monkeypatch.setattr(loudness, "measure_builtin",
                        lambda name, seed=0: calls.append((name, seed)) or
                        Loudness(-30.0 - seed, 1.0, -12.0, -11.9, 4.0))
    cache = LoudnessCache(tmp_path)
    assert real(cache, "chime", 1).integrated_lufs == -31.0
    assert real(cache, "chime", 1).integrated_lufs == -31.0
    assert real(cache, "chime", 2).integrated_lufs == -32.0
    assert calls == [("chime", 1), ("chime", 2)]


# -- normalisation -----------------------------------------------------------------------

def loud(integrated: float, true_peak: float) -> Loudness:
    return Loudness(integrated, 5.0, true_peak - 0.5, true_peak, 180.0)


@pytest.mark.parametrize("measured, kwargs, expected", [
    # a loud master is turned down to the target (-18 LUFS by default)
    (loud(-9.0, -0.1), {}, GainDecision(-9.0, None, -9.0)),
    # a quiet one is turned up, its true peak still under -1 dBTP
    (loud(-30.0, -16.0), {}, GainDecision(12.0, None, 12.0)),
    # the track's own gain adds to the normalising gain
    (loud(-30.0, -16.0), {"track_gain_db": -3.0}, GainDecision(9.0, None, 9.0)),
    # too quiet for its peaks: as loud as the -1 dBTP limit allows
    (loud(-35.0, -6.0), {}, GainDecision(5.0, "true_peak", 17.0)),
    # a stricter peak limit
    (loud(-30.0, -16.0), {"max_true_peak_dbtp": -6.0}, GainDecision(10.0, "true_peak", 12.0)),
    # a ceiling below -1 dBFS binds before the true-peak limit
    (loud(-30.0, -16.0), {"ceiling_gain": 10 ** (-10 / 20)},
     GainDecision(6.0, "ceiling", 12.0)),
    # another target
    (loud(-20.0, -3.0), {"target_lufs": -16.0}, GainDecision(2.0, "true_peak", 4.0)),
    # not analysed yet, or silent: the track's own gain only
    (None, {"track_gain_db": -6.0}, GainDecision(-6.0, None, -6.0)),
    (loud(-math.inf, -math.inf), {}, GainDecision(0.0, None, 0.0)),
], ids=["turn-down", "turn-up", "own-gain", "peak-limited", "strict-peak", "ceiling",
        "target", "unmeasured", "silent"])
def test_normalise_decisions(measured, kwargs, expected):
    got = track_gain_db(measured, **kwargs)
    assert got.limited_by == expected.limited_by
    assert got.gain_db == pytest.approx(expected.gain_db)
    assert got.wanted_db == pytest.approx(expected.wanted_db)


def test_tracks_20_db_apart_are_brought_within_1_lu(tmp_path):
    levels = []
    for i, peak_dbfs in enumerate((-6.0, -26.0, -46.0)):
        x = music_like(8.0, 10 + i) * 2 * 10 ** (peak_dbfs / 20)
        measured = measure_file(write_wav(tmp_path / f"{i}.wav", x, RATE, "float32"))
        decision = track_gain_db(measured)
        assert decision.limited_by is None
        levels.append(measured.integrated_lufs + decision.gain_db)
    assert max(levels) - min(levels) < 1.0


def test_check_notes_name_unanalysed_and_limited_tracks():
    from companion.audio.normalise import describe

    assert "not analysed" in describe(None, track_gain_db(None))
    quiet = loud(-35.0, -6.0)
    text = describe(quiet, track_gain_db(quiet))
    assert "12.0 dB below -18 LUFS" in text and "-35.0 LUFS" in text and "true peak" in text
    fine = loud(-20.0, -10.0)
    assert describe(fine, track_gain_db(fine)) is None


def test_playback_lookup_never_measures_files(tmp_path, counted):
    path = write_wav(tmp_path / "a.wav", tone(-20, 1.0), RATE, "float32")
    cache = LoudnessCache(tmp_path / "cache")
    assert cache.lookup(file=path) is None and counted == []
    cache.file_loudness(path)
    assert cache.lookup(file=path).integrated_lufs == pytest.approx(-20, abs=0.1)
    assert cache.lookup(builtin="kazoo") is None


def test_playback_lookup_gives_a_builtins_typical_level_until_its_seed_is_analysed(tmp_path):
    from companion.audio.loudness import typical_builtin

    cache = LoudnessCache(tmp_path / "cache")
    assert cache.lookup(builtin="chime", seed=1) == typical_builtin("chime")
    measured = cache.builtin_loudness("chime", 1)                # what `companion analyse` does
    assert cache.lookup(builtin="chime", seed=1) == measured != typical_builtin("chime")


@pytest.mark.parametrize("name", sorted(loudness_mod.BUILTIN_TYPICAL))
def test_the_typical_builtin_levels_are_what_the_builtins_measure(name):
    integrated, _, true_peak = loudness_mod.BUILTIN_TYPICAL[name]
    for seed in (0, 1):
        measured = loudness_mod.measure_builtin(name, seed)
        assert measured.integrated_lufs == pytest.approx(integrated, abs=3.5)  # seeds differ
        assert measured.true_peak_dbtp <= true_peak + 0.05


def test_levelling_brings_tracks_to_the_target(tmp_path):
    from types import SimpleNamespace

    from companion.audio.loudness_cache import Levelling

    loud_file = write_wav(tmp_path / "loud.wav", tone(-13.0, 2.0), RATE, "float32")
    cache = LoudnessCache(tmp_path / "cache")
    levels = Levelling(cache, target_lufs=-23.0)
    track = SimpleNamespace(file=loud_file, builtin=None, seed=0, gain_db=-2.0)
    assert levels.gain_db(track) == -2.0                 # not analysed: its own gain only
    cache.file_loudness(loud_file)
    assert levels.gain_db(track) == pytest.approx(-12.0, abs=0.1)
    bell = SimpleNamespace(file=None, builtin="chime", seed=3, gain_db=0.0)
    assert levels.gain_db(bell) == pytest.approx(-23.0 - loudness_mod.BUILTIN_TYPICAL["chime"][0])
    assert cache.get_builtin("chime", 3) is None         # a session never measures
