"""Test signals: sine tones as WAV (any encoding, our own writer) or MP3/FLAC/OGG (Debian tools)."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np

#: (format tag, bits) for each encoding name the writer knows.
ENCODINGS = {
    "pcm8": (1, 8), "pcm16": (1, 16), "pcm24": (1, 24), "pcm32": (1, 32),
    "float32": (3, 32), "float64": (3, 64),
}
KSDATAFORMAT_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"


def sine(freq: float, seconds: float, rate: int = 48000, channels: int = 1,
         amplitude: float = 0.5) -> np.ndarray:
    """A (frames, channels) float64 sine at `amplitude` of full scale, the same in every channel."""
    n = int(round(seconds * rate))
    x = amplitude * np.sin(2 * np.pi * freq * np.arange(n) / rate)
    return np.repeat(x[:, None], channels, axis=1)


def encode_samples(x: np.ndarray, encoding: str, big_endian: bool = False) -> bytes:
    """Interleaved sample bytes for float samples in [-1, 1)."""
    e = ">" if big_endian else "<"
    x = np.clip(np.asarray(x, dtype=np.float64), -1.0, 1.0)
    if encoding == "pcm8":
        return np.clip(np.round(x * 127.0) + 128, 0, 255).astype(np.uint8).tobytes()
    if encoding == "pcm16":
        return np.clip(np.round(x * 32767.0), -32768, 32767).astype(e + "i2").tobytes()
    if encoding == "pcm24":
        v = np.clip(np.round(x * 8388607.0), -8388608, 8388607).astype("<i4").reshape(-1)
        b = v.view(np.uint8).reshape(-1, 4)[:, :3]
        if big_endian:
            b = b[:, ::-1]
        return np.ascontiguousarray(b).tobytes()
    if encoding == "pcm32":
        return np.clip(np.round(x * 2147483647.0), -2**31, 2**31 - 1).astype(e + "i4").tobytes()
    if encoding == "float32":
        return x.astype(e + "f4").tobytes()
    if encoding == "float64":
        return x.astype(e + "f8").tobytes()
    raise ValueError(encoding)


def write_wav(path: Path, x: np.ndarray, rate: int = 48000, encoding: str = "pcm16", *,
              extensible: bool = False, container: str = "RIFF") -> Path:
    """Write (frames, channels) samples as WAV; container "RIFF", "RIFX" (big-endian) or "RF64"."""
    x = np.asarray(x)
    if x.ndim == 1:
        x = x[:, None]
    channels = x.shape[1]
    tag, bits = ENCODINGS[encoding]
    big = container == "RIFX"
    e = ">" if big else "<"
    data = encode_samples(x, encoding, big)
    block = channels * bits // 8
    if extensible:
        mask = {1: 0x4, 2: 0x3, 6: 0x3F}.get(channels, 0)
        fmt = struct.pack(e + "HHIIHHHHI", 0xFFFE, channels, rate, rate * block, block, bits, 22,
                          bits, mask) + struct.pack(e + "H", tag) + KSDATAFORMAT_TAIL
    else:
        fmt = struct.pack(e + "HHIIHH", tag, channels, rate, rate * block, block, bits)
        if tag != 1:
            fmt += struct.pack(e + "H", 0)
    chunks = b"fmt " + struct.pack(e + "I", len(fmt)) + fmt
    if len(data) & 1:
        data_padded = data + b"\x00"
    else:
        data_padded = data
    if container == "RF64":
        ds64 = struct.pack("<QQQI", 0, len(data), len(x), 0)
        chunks = b"ds64" + struct.pack("<I", len(ds64)) + ds64 + chunks
        body = chunks + b"data" + struct.pack("<I", 0xFFFFFFFF) + data_padded
        head = b"RF64" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE"
    else:
        body = chunks + b"data" + struct.pack(e + "I", len(data)) + data_padded
        head = container.encode() + struct.pack(e + "I", 4 + len(body)) + b"WAVE"
    path.write_bytes(head + body)
    return path


def write_sine_wav(path: Path, freq: float = 440.0, seconds: float = 1.0, rate: int = 48000,
                   channels: int = 1, amplitude: float = 0.5, encoding: str = "pcm16",
                   **kwargs) -> Path:
    """A sine tone as a WAV file."""
    return write_wav(path, sine(freq, seconds, rate, channels, amplitude), rate, encoding,
                     **kwargs)


def have_tools(*names: str) -> bool:
    """Whether every named command-line tool is installed."""
    return all(shutil.which(n) for n in names)


def write_sine_compressed(path: Path, fmt: str, freq: float = 440.0, seconds: float = 1.0,
                          rate: int = 44100, channels: int = 2, amplitude: float = 0.5) -> Path:
    """A sine tone as MP3 (lame), FLAC (flac) or OGG Vorbis (oggenc), via a 16-bit WAV."""
    wav = path.with_suffix(".src.wav")
    write_sine_wav(wav, freq, seconds, rate, channels, amplitude, "pcm16")
    if fmt == "mp3":
        cmd = ["lame", "--silent", "-b", "192", str(wav), str(path)]
    elif fmt == "flac":
        cmd = ["flac", "--silent", "-f", "-o", str(path), str(wav)]
    elif fmt == "ogg":
        cmd = ["oggenc", "--quiet", "-q", "6", "-o", str(path), str(wav)]
    else:
        raise ValueError(fmt)
    subprocess.run(cmd, check=True, capture_output=True)
    wav.unlink()
    return path


def zero_crossing_freq(x: np.ndarray, rate: int = 48000) -> float:
    """Frequency of a tone from its rising zero crossings."""
    x = np.asarray(x, dtype=np.float64)
    rising = np.nonzero((x[:-1] < 0) & (x[1:] >= 0))[0]
    if len(rising) < 2:
        return 0.0
    return (len(rising) - 1) * rate / (rising[-1] - rising[0])


def rms(x: np.ndarray) -> float:
    """Root mean square of all samples."""
    x = np.asarray(x, dtype=np.float64)
    return float(np.sqrt(np.mean(x * x))) if x.size else 0.0


def max_step(x: np.ndarray) -> float:
    """Largest absolute difference between neighbouring samples (any channel)."""
    x = np.asarray(x, dtype=np.float64)
    return float(np.abs(np.diff(x, axis=0)).max()) if len(x) > 1 else 0.0


def read_all(source, block: int = 1000) -> np.ndarray:
    """Read a finite source to its end in blocks."""
    parts = []
    while True:
        b = source.read(block)
        parts.append(b)
        if len(b) < block:
            return np.concatenate(parts)
