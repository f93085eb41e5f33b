"""Take files: WAV written and read, saved as WAV or FLAC atomically, cut to fit a step."""

from __future__ import annotations

import os
import shutil
import subprocess
import wave
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from companion.errors import AudioError
from companion.paths import atomic_replace

if TYPE_CHECKING:
    from companion.audio.takes import Take

FORMATS = ("wav", "flac")


def write_wav(path: Path, mono: np.ndarray, rate: int) -> None:
    """Write mono float samples as 16-bit PCM WAV (dithered by rounding; clipped at full scale)."""
    pcm = np.clip(np.round(np.asarray(mono, dtype=np.float64) * 32767.0), -32768, 32767)
    with wave.open(os.fspath(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.astype("<i2").tobytes())


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """Mono float32 samples and the rate of a WAV or FLAC take."""
    import miniaudio

    try:
        info = miniaudio.get_file_info(os.fspath(path))
        decoded = miniaudio.decode_file(os.fspath(path), output_format=miniaudio.SampleFormat.FLOAT32,
                                        nchannels=info.nchannels, sample_rate=info.sample_rate)
    except miniaudio.MiniaudioError as error:
        raise AudioError(f"cannot read this take: {error}", path) from None
    x = np.frombuffer(decoded.samples, dtype=np.float32)
    if decoded.nchannels > 1:
        x = x.reshape(-1, decoded.nchannels).mean(axis=1)
    return x.astype(np.float32), decoded.sample_rate


def flac_available() -> bool:
    """Whether takes can be saved as FLAC here (Debian's `flac` encoder is on PATH)."""
    return shutil.which("flac") is not None


def save_take(take: Take, path: Path) -> Path:
    """Write `take` to `path` (.wav, or .flac through the `flac` encoder) atomically; returns it."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise AudioError(f"takes are saved as WAV or FLAC, not {path.suffix!r}", path)
    if fmt == "flac" and not flac_available():
        raise AudioError("FLAC needs the `flac` encoder (apt-get install flac); "
                         "use WAV instead", path)
    with atomic_replace(path, suffix=path.suffix) as tmp:
        if fmt == "flac":
            _encode_flac(take, tmp, path)
        else:
            write_wav(tmp, take.samples, take.rate)
    return path


def _encode_flac(take: Take, target: Path, path: Path) -> None:
    """Write `take` into `target` as FLAC through a WAV beside it (AudioError naming `path`)."""
    wav = target.with_suffix(".wav")
    try:
        write_wav(wav, take.samples, take.rate)
        done = subprocess.run(["flac", "--silent", "--force", "--best", "-o",
                               os.fspath(target), os.fspath(wav)],
                              capture_output=True, text=True)
    finally:
        wav.unlink(missing_ok=True)
    if done.returncode != 0:
        raise AudioError(f"flac could not encode the take: {done.stderr.strip()}", path)


def fitted_copy(source: Path, seconds: float, fade_s: float, directory: Path) -> Path:
    """`source` cut to `seconds` with a `fade_s` fade-out ending there, cached in `directory`.

    For a take longer than its breathing step: it fades out as the step ends rather than
    running over the next step's words.
    """
    stat = source.stat()
    import hashlib

    tag = hashlib.sha1(f"{source.resolve()}|{stat.st_mtime_ns}|{stat.st_size}|{seconds:.4f}|"
                       f"{fade_s:.4f}".encode()).hexdigest()[:16]
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{source.stem}-{tag}.wav"
    if target.exists():
        return target
    mono, rate = read_audio(source)
    n = min(len(mono), int(round(seconds * rate)))
    cut = np.array(mono[:n], dtype=np.float32)
    k = min(n, int(round(fade_s * rate)))
    if k > 0:
        cut[n - k:] *= (0.5 + 0.5 * np.cos(np.pi * (np.arange(k) + 0.5) / k)).astype(np.float32)
    with atomic_replace(target, suffix=".wav") as tmp:
        write_wav(tmp, cut, rate)
    return target
