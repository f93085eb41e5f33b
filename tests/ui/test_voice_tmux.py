"""`companion voice record` in a real terminal (tmux), recording real speech from ALSA's default mic.

The microphone is ALSA's `file` plugin reading a FIFO that a thread feeds in real time
with espeak-ng's speech (tests/audio/mic_feed.py). The kept take must be trimmed, faded,
at the pack's loudness (within 1 LU) and, between the fades, the fed speech times one gain.
"""

from __future__ import annotations

import shlex
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.audio.mic_feed import MicFeed, speech
from tests.terminal import ROOT, Terminal

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.realtime,
    pytest.mark.skipif(shutil.which("tmux") is None or shutil.which("espeak-ng") is None
                       or shutil.which("sox") is None, reason="needs tmux, espeak-ng and sox"),
]

# `voice` through the real command line, whether or not cli.py lists it yet.
LAUNCH = ("import companion.cli as c; "
          "c.COMMANDS.setdefault('voice', 'voice'); "
          "raise SystemExit(c.main())")


def test_recorded_take_is_trimmed_faded_levelled_and_the_spoken_words(tmp_path: Path) -> None:
    from companion.audio.loudness import measure_file
    from companion.audio.take_files import read_audio
    from companion.audio.takes import FADE_S, MARGIN_S
    from companion.voice import VoicePack

    fed = speech("Breathe in slowly through your nose", tmp_path)
    feed = MicFeed(tmp_path, fed, lead_s=0.6)
    pack_dir = tmp_path / "pack"
    env = {"HOME": str(tmp_path), "PYTHONPATH": str(ROOT),
           "COMPANION_DATA_DIR": str(tmp_path / "data"),
           "COMPANION_CONFIG_DIR": str(tmp_path / "config")}
    command = " ".join(shlex.quote(a) for a in (
        sys.executable, "-c", LAUNCH, "voice", "record", str(pack_dir),
        "--only", "breathing.opening", "--audio", "none"))
    terminal = Terminal(command, env)
    try:
        terminal.wait_for_text("Press r, read the words")
        terminal.keys("r")
        terminal.wait_for_text("Recording...")
        time.sleep(0.6 + len(fed) / 48000 + 0.6)
        terminal.keys("r")
        terminal.wait_for_text("Listen back")
        terminal.keys("k")
        terminal.wait_for_text("Every line is recorded")
        terminal.keys("q")
        terminal.wait_for_text("1 take(s) kept")
    finally:
        terminal.close()
        feed.stop()

    pack = VoicePack.open(pack_dir)
    path = pack.take_path("breathing.opening")
    assert path is not None and path.suffix == ".wav"
    take, rate = read_audio(path)
    assert rate == 48000
    # Levelled to the pack's loudness, as the engine plays it.
    assert abs(measure_file(path).integrated_lufs - pack.loudness_lufs) < 1.0
    # Trimmed: no more than the margin (plus one 10 ms analysis frame) around the speech.
    assert len(take) < len(fed) + 2 * (MARGIN_S + 0.02) * rate
    # Faded: the edges start and end at silence.
    assert abs(take[0]) < 1e-3 and abs(take[-1]) < 1e-3
    # Between the fades: the fed speech, times one gain (within 16-bit rounding).
    reference = fed.astype(np.float32) / 32768.0
    k = int(FADE_S * rate)
    inner = take[k:-k]
    from scipy.signal import correlate

    pad = np.zeros(int(0.3 * rate), dtype=np.float32)
    padded = np.concatenate([pad, reference, pad])
    start = int(np.argmax(correlate(padded, inner, mode="valid", method="fft")))
    part = padded[start:start + len(inner)]
    gain = float(np.dot(inner, part) / np.dot(part, part))
    error = float(np.max(np.abs(inner - gain * part)))
    print(f"take {len(take) / rate:.3f} s (speech fed {len(fed) / 48000:.3f} s), "
          f"{measure_file(path).integrated_lufs:.2f} LUFS (pack {pack.loudness_lufs}), "
          f"gain {20 * np.log10(abs(gain)):.2f} dB, largest difference from the fed speech "
          f"times the gain {error * 32768:.2f} LSB")
    assert error < 3 / 32768 * max(1.0, gain)
    assert pack.takes["breathing.opening"].text == pack_text()


def pack_text() -> str:
    from companion.wording import Wording

    return Wording().get("breathing.opening")


BREATHING_PLAYLIST = """\
name: Voice test
phases:
  - name: Only
    minutes: 5
    tracks:
      - builtin: brown-noise
breathing:
  - name: quick
    cycles: 2
    steps:
      - {inhale: 1.5, words: "In"}
      - {exhale: 2, words: "Out"}
"""


def breathe_quick(tmp_path: Path, home: Path, *options: str) -> Terminal:
    """`companion breathe quick` (BREATHING_PLAYLIST) in a terminal, playing to ALSA in `home`."""
    playlist = tmp_path / "p.yaml"
    playlist.write_text(BREATHING_PLAYLIST)
    env = {"HOME": str(home), "PYTHONPATH": str(ROOT),
           "COMPANION_DATA_DIR": str(tmp_path / "data"),
           "COMPANION_CONFIG_DIR": str(tmp_path / "config"),
           "COMPANION_CACHE_DIR": str(tmp_path / "cache")}
    command = " ".join(shlex.quote(a) for a in (
        sys.executable, "-m", "companion", "breathe", "quick", "--playlist", str(playlist),
        *options, "--audio", "miniaudio"))
    return Terminal(f"sh -c {shlex.quote(command + '; echo EXITED=$?')}", env)


def noise_take(seed: int, seconds: float) -> np.ndarray:
    """Band-limited noise with silence around it: a take that correlates at one lag only."""
    from scipy import signal

    noise = np.random.default_rng(seed).standard_normal(int(seconds * 48000))
    shaped = signal.sosfilt(signal.butter(4, [1000, 3000], "bandpass", fs=48000, output="sos"),
                            noise)
    shaped *= 0.1 / np.sqrt(np.mean(shaped ** 2))
    gap = np.zeros(12000)
    return np.concatenate([gap, shaped, gap]).astype(np.float32)


def test_companion_breathe_speaks_each_take_as_its_step_starts(tmp_path: Path) -> None:
    """Heard through ALSA (a paced fake card): the takes follow one another at the step lengths."""
    from scipy import signal

    from companion.audio.take_files import read_audio, save_take
    from companion.audio.takes import process_take
    from companion.voice import VoicePack
    from tests.audio.alsa import CAPTURE_RATE, PacedCard, make_alsa_home

    pack = VoicePack.open(tmp_path / "pack", create=True)
    refs = []
    for number, (seed, seconds) in enumerate([(1, 0.8), (2, 1.2)], start=1):
        key = f"breathing.custom.quick.step{number}"
        take = process_take(noise_take(seed, seconds), 48000, pack.loudness_lufs)
        pack.keep(key, save_take(take, pack.file_for(key)), ["In", "Out"][number - 1], take.seconds)
        samples, _ = read_audio(pack.take_path(key))
        refs.append(signal.resample_poly(samples, 147, 160).astype(np.float64))
    home, fifo = make_alsa_home(tmp_path)
    card = PacedCard(fifo)
    card.start()
    terminal = breathe_quick(tmp_path, home, "--voice", str(tmp_path / "pack"), "--no-sound")
    try:
        terminal.wait_for("quick", timeout=15)
        terminal.wait_for("Done", timeout=25)
        terminal.keys("Enter")
        terminal.wait_for("EXITED=0", timeout=15)
    finally:
        terminal.close()
        card.stop()
    x = signal.sosfiltfilt(signal.butter(4, 700, "highpass", fs=CAPTURE_RATE, output="sos"),
                           card.samples()[:, 0].astype(np.float64))
    onsets = []
    cursor = 0
    for index in (0, 1, 0, 1):
        ref = signal.sosfiltfilt(signal.butter(4, 700, "highpass", fs=CAPTURE_RATE, output="sos"),
                                 refs[index])
        window = x[cursor:cursor + int(4.0 * CAPTURE_RATE)]
        lag = int(np.argmax(signal.correlate(window, ref, mode="valid", method="fft")))
        onsets.append(cursor + lag)
        cursor += lag + int(0.5 * CAPTURE_RATE)
    gaps = np.diff(onsets) / CAPTURE_RATE
    print("intervals between takes (s):", [round(g, 4) for g in gaps])
    assert np.allclose(gaps, [1.5, 2.0, 1.5], atol=0.020)


def test_companion_breathe_sound_breath_swells_and_ebbs_with_the_steps(tmp_path: Path) -> None:
    """`--sound breath` heard through ALSA: the level follows the pattern from the first breath."""
    from companion.audio.breath_sound import REST_LEVEL, envelope
    from companion.breathing import Pattern, Step
    from tests.audio.alsa import CAPTURE_RATE, PacedCard, make_alsa_home

    home, fifo = make_alsa_home(tmp_path)
    card = PacedCard(fifo)
    card.start()
    terminal = breathe_quick(tmp_path, home, "--sound", "breath")
    try:
        terminal.wait_for("Done", timeout=25)
        terminal.keys("Enter")
        terminal.wait_for("EXITED=0", timeout=15)
    finally:
        terminal.close()
        card.stop()
    x = card.samples()[:, 0].astype(np.float64)
    onset = int(np.flatnonzero(np.abs(x) > 2e-3)[0])
    pattern = Pattern("quick", "quick", (Step("inhale", 1.5), Step("exhale", 2.0)))
    window = int(0.01 * CAPTURE_RATE)
    span = int(2 * pattern.cycle_seconds * CAPTURE_RATE) // window * window
    heard = np.sqrt(np.mean(x[onset:onset + span].reshape(-1, window) ** 2, axis=1))
    t = (np.arange(len(heard)) + 0.5) * 0.01
    expected = REST_LEVEL + (1 - REST_LEVEL) * envelope(pattern, t)
    box = np.ones(10) / 10
    corr = np.corrcoef(np.convolve(heard, box, "valid"), np.convolve(expected, box, "valid"))[0, 1]
    print(f"breath sound through `companion breathe`: correlation with the steps {corr:.3f}")
    assert corr > 0.95
    # No chimes with --sound breath: nothing louder than the breath itself.
    assert np.abs(x).max() < 0.2
