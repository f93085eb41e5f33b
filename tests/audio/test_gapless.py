"""Gapless joins: a sine split across files plays back through real ALSA output as one sine.

The captures here run at 48 kHz, the engine's own rate, so what the card records is the
engine's output sample for sample (only rounded to 16 bits, about -89 dB below the tone).
A gap shows as a run of near-silence, a lost or doubled sample as a phase step that a
fitted sine cannot follow: its residual around the join rises from the 16-bit floor to
about -34 dB for a single sample.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from companion.audio.protocol import Ended, Failed, Problem, Started, Underrun
from companion.session.player import Player
from tests.audio.alsa import capture_fixture, retry_on_dropout, wait_for
from tests.audio.signals import have_tools, write_wav
from tests.audio.test_player import FakeEngine, make_playlist, track

ROOT = Path(__file__).resolve().parents[2]
RATE = 48000
HZ = 441.0
AMP = 10 ** (-12 / 20)  # -12 dBFS
TOTAL = 115_200  # 2.4 s of sine in all
#: Where the files are cut: on a boundary of everything (device periods of 5, 10 and 20 ms,
#: the decoders' 4096-frame blocks: 61440 = 15 x 4096 = 128 x 480), and on none (33737 later).
JOINS = (61_440, 61_440 + 33_737)
#: Below this (dB under the tone's amplitude) the residual against one fitted sine is taken as
#: "no step"; the 16-bit capture's own floor is about -89 dB.
STEP_LIMIT_DB = -70.0


#: The paced card at the engine's rate (48 kHz), so no rate conversion blurs the samples.
capture = capture_fixture(rate=RATE)


def split_sine(folder: Path, joins: tuple[int, ...] = JOINS, total: int = TOTAL,
               encoding: str = "float32", rate: int = RATE) -> list[Path]:
    """One sine cut into stereo WAV files (48 kHz unless `rate`) at the frames `joins`."""
    x = AMP * np.sin(2 * np.pi * HZ * np.arange(total) / rate)
    edges = (0, *joins, total)
    return [write_wav(folder / f"part{i}.wav", np.repeat(x[a:b, None], 2, axis=1), rate, encoding)
            for i, (a, b) in enumerate(zip(edges, edges[1:]))]


def companion_play(*args: str, env: dict) -> subprocess.CompletedProcess:
    """Run `companion play ARGS` as a person would, with `env` added to the environment."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-m", "companion", "play", *args], capture_output=True,
                          text=True, env=full_env, timeout=60, cwd=ROOT)


# -- reading the capture ------------------------------------------------------------------------

def db(ratio: float) -> float:
    """An amplitude ratio in decibels."""
    return float(20 * np.log10(max(ratio, 1e-12)))


def fit_residual(y: np.ndarray) -> tuple[float, float, float]:
    """(residual rms dB, residual peak dB, amplitude) of `y` against its best-fitting sine."""
    phase = 2 * np.pi * HZ * np.arange(len(y)) / RATE
    basis = np.column_stack([np.sin(phase), np.cos(phase), np.ones(len(y))])
    coef, *_ = np.linalg.lstsq(basis, y, rcond=None)
    error = y - basis @ coef
    return (db(np.sqrt(np.mean(error ** 2)) / AMP), db(np.abs(error).max() / AMP),
            float(np.hypot(coef[0], coef[1])))


def longest_quiet_run(y: np.ndarray, below: float = 1e-3) -> int:
    """The longest run of samples quieter than `below` (this sine never has more than one)."""
    quiet = np.concatenate([[False], np.abs(y) < below, [False]])
    edges = np.flatnonzero(quiet[1:] != quiet[:-1])
    return int(np.max(edges[1::2] - edges[::2])) if len(edges) else 0


def assert_one_unbroken_sine(x: np.ndarray, joins: tuple[int, ...], steady: tuple[int, int],
                             total: int | None, step_limit_db: float = STEP_LIMIT_DB,
                             peak_limit_db: float = STEP_LIMIT_DB + 12,
                             level_db: float = 0.05) -> dict:
    """The capture `x` holds one sine from `steady[0]` to `steady[1]` (programme frames, past
    the fades) with no gap and no step at the joins, and the programme lasts `total` frames
    (None: it goes on). Around each join the residual's rms stays under `step_limit_db` and
    its peak under `peak_limit_db`; the sine's level is AMP within `level_db`.

    Returns the figures (dB) for the record.
    """
    assert np.array_equal(x[:, 0], x[:, 1])
    y = x[:, 0].astype(np.float64)
    sounding = np.flatnonzero(y)
    origin = int(sounding[0])                    # the programme starts from digital silence
    if total is not None:  # the last fade-out ends up to the mixer's 5 ms look-ahead early
        assert total - 260 <= int(sounding[-1]) + 1 - origin <= total, (origin, sounding[-1])
    body = y[origin + steady[0]:origin + steady[1]]
    assert longest_quiet_run(body) <= 2
    whole_db, _, amplitude = fit_residual(body)
    assert db(amplitude / AMP) == pytest.approx(0.0, abs=level_db)
    figures = {"whole": whole_db}
    for join in joins:
        around = y[origin + join - 960:origin + join + 960]     # 20 ms either side
        rms_db, peak_db, _ = fit_residual(around)
        figures[join] = rms_db
        assert rms_db < step_limit_db and peak_db < peak_limit_db, (join, rms_db, peak_db)
    assert whole_db < step_limit_db, figures
    return figures


# -- through the real engine and ALSA -----------------------------------------------------------

@pytest.mark.realtime
@retry_on_dropout
def test_a_split_sine_played_with_crossfade_0_is_one_unbroken_sine(capture, tmp_path):
    files = split_sine(tmp_path)
    result = companion_play(*map(str, files), "--crossfade", "0", "--audio", "miniaudio",
                            "--volume", "100", "--no-normalise", env=capture.env)
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()[1:]] == [
        "Playing 1/3", "Playing 2/3", "Playing 3/3"]
    # Only the first fades in (1.28 s / 3) and the last out (0.42 s / 3).
    steady = (int(0.45 * RATE), TOTAL - int(0.16 * RATE))
    print(assert_one_unbroken_sine(capture.card.samples(), JOINS, steady, TOTAL))


@pytest.mark.realtime
@retry_on_dropout
def test_files_at_44_1_khz_join_as_if_resampled_as_one(capture, tmp_path):
    rate = 44_100
    # 147 frames at 44.1 kHz make 160 at 48 kHz: cut elsewhere, the next file's first sample
    # falls between two output samples, and each file resampled alone would start it late.
    # The first file is longer than the engine decodes ahead (1.5 s), as a piece of music is:
    # its end is still to be resampled when the next one is queued.
    joins, total = (88_211,), 110_250
    files = split_sine(tmp_path, joins, total, rate=rate)
    result = companion_play(*map(str, files), "--crossfade", "0", "--audio", "miniaudio",
                            "--volume", "100", "--no-normalise", env=capture.env)
    assert result.returncode == 0, result.stderr
    def at_48k(frames: int) -> int:
        return -(-frames * RATE // rate)
    # Fades: the first file in over 2.0 s / 3, the last out over 0.5 s / 3.
    steady = (int(0.7 * RATE), at_48k(total) - int(0.2 * RATE))
    print(assert_one_unbroken_sine(capture.card.samples(), tuple(map(at_48k, joins)), steady,
                                   at_48k(total)))


@pytest.mark.realtime
@pytest.mark.parametrize("period_ms", [5, 20])
@retry_on_dropout
def test_the_engine_joins_queued_files_sample_exactly_whatever_the_period(capture, tmp_path,
                                                                          period_ms):
    from companion.audio.client import AudioEngine

    first, second, third = split_sine(tmp_path)
    engine = AudioEngine(env=capture.env, period_ms=period_ms)
    engine.start("miniaudio")
    try:
        engine.set_volume(100, ramp_s=0.0)
        seen: list = []
        playing = engine.play(file=first, fade_in=0.2)
        wait_for(engine, Started, seen=seen, id=playing)
        playing = engine.queue(file=second)
        wait_for(engine, Started, seen=seen, id=playing)
        playing = engine.queue(file=third, fade_out=0.2)
        wait_for(engine, Ended, seen=seen, id=playing)
    finally:
        engine.close(0.1)
    assert not [e for e in seen if isinstance(e, (Underrun, Failed, Problem))], seen
    steady = (int(0.25 * RATE), TOTAL - int(0.25 * RATE))
    print(period_ms, assert_one_unbroken_sine(capture.card.samples(), JOINS, steady, TOTAL))


@pytest.mark.realtime
@retry_on_dropout
def test_a_playlist_with_crossfade_0_joins_its_tracks_sample_exactly(capture, tmp_path):
    from companion.audio.client import AudioEngine
    from companion.playlist.loader import load_playlist

    split_sine(tmp_path)
    playlist = tmp_path / "gapless.yaml"
    # Fades of their own, as every playlist has: they must not touch the joins.
    playlist.write_text(
        "name: Gapless\n"
        "playback: {volume: 100, ceiling: 100, crossfade: 0, fade_in: 0.2, fade_out: 0.2}\n"
        "phases:\n"
        "  - name: One piece\n"
        "    minutes: 5\n"
        "    tracks:\n"
        "      - {file: part0.wav}\n"
        "      - {file: part1.wav}\n"
        "      - {file: part2.wav}\n", encoding="utf-8")
    engine = AudioEngine(env=capture.env)
    engine.start("miniaudio")
    events: list = []
    player = Player(load_playlist(playlist), engine,
                    on_event=lambda kind, fields: events.append((kind, dict(fields))))
    try:
        player.play()
        limit = time.monotonic() + 6
        while time.monotonic() < limit and len([e for e in events if e[0] == "track_ended"]) < 3:
            player.poll()
            time.sleep(0.01)
    finally:
        engine.close(0.1)
    assert [e[1]["title"] for e in events if e[0] == "track_started"][:3] == [
        "part0", "part1", "part2"]
    # The phase goes on (its target is 5 minutes): the first track comes round again after the
    # third, from the sine's start. Only the three tracks' own 2.4 s are read.
    steady = (int(0.25 * RATE), TOTAL - int(0.02 * RATE))
    print(assert_one_unbroken_sine(capture.card.samples(), JOINS, steady, None))


needs_lame = pytest.mark.skipif(not have_tools("lame"), reason="lame is needed to make MP3s")


@pytest.mark.realtime
@needs_lame
@retry_on_dropout
def test_a_sine_split_into_tagged_mp3s_plays_gapless(capture, tmp_path):
    # MP3s as they are found in music libraries: LAME's Info header (delay and padding) and
    # an ID3v1 tag at the end, which would cost the last frame without `mp3_audio_end`.
    join = 33_737
    # 16-bit WAVs: lame does not read float ones.
    wavs = split_sine(tmp_path, joins=(join,), total=96_000, encoding="pcm16")
    mp3s = []
    for wav in wavs:
        mp3 = wav.with_suffix(".mp3")
        subprocess.run(["lame", "--silent", "-b", "320", "--id3v1-only", "--tt", wav.stem,
                        str(wav), str(mp3)], check=True)
        mp3s.append(mp3)
    result = companion_play(*map(str, mp3s), "--crossfade", "0", "--audio", "miniaudio",
                            "--volume", "100", "--no-normalise", env=capture.env)
    assert result.returncode == 0, result.stderr
    # MP3 cannot code a sine cut off mid-wave exactly: around this cut its error is -57 dB rms
    # (-45 to -67 dB over other cuts), with peaks up to -20 dB where the encoder smears the
    # cut; a one-sample slip would leave -34 dB rms, a gap far more. Elsewhere: about -80 dB.
    steady = (int(0.25 * RATE), 96_000 - int(0.45 * RATE))  # fades: 0.70 s / 3, 1.30 s / 3
    print(assert_one_unbroken_sine(capture.card.samples(), (join,), steady, 96_000,
                                   step_limit_db=-42.0, peak_limit_db=-15.0, level_db=0.5))


# -- the player's commands, on a fake engine ----------------------------------------------------

def test_with_crossfade_0_the_player_queues_each_track_to_join_unfaded(tmp_path):
    from companion.clock import FakeClock
    from companion.playlist.model import Phase

    clock = FakeClock()
    engine = FakeEngine(clock, {"a.flac": 60.0, "b.flac": 60.0, "c.flac": 60.0})
    playlist = make_playlist((Phase("Only", None, False, (track("a"), track("b"), track("c"))),),
                             crossfade=0, fade_in=4, fade_out=6)
    player = Player(playlist, engine, clock=clock)
    player.play()
    first = engine.last("play")
    assert (first["fade_in"], first["fade_out"]) == (4, 0.0)  # fades in from silence only
    player.poll()
    second = engine.last("queue")
    assert (second["fade_in"], second["overlap"], second["fade_out"]) == (0.0, 0.0, 0.0)
    engine.run(60)
    player.poll()
    last = engine.last("queue")
    assert last["file"].name == "c.flac"
    assert (last["fade_in"], last["overlap"], last["fade_out"]) == (0.0, 0.0, 6)  # the end fades
