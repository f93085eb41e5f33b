"""Hostile audio files for the fault suite: cut, lying, random, odd and damaged, made on demand.

Every case is a name and a function that writes the file into a folder and returns its path,
so a test can be parametrized by name and build only what it uses. Nothing here decides
what the right outcome is: the tests accept either "plays" or "a clear AudioError".
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tests.audio.signals import encode_samples, sine, write_sine_compressed, write_wav

Builder = Callable[[Path], Path]

RATE = 48000
SECONDS = 0.1


def _tone(channels: int = 1, seconds: float = SECONDS, rate: int = RATE) -> np.ndarray:
    return sine(440.0, seconds, rate, channels, 0.5)


def wav_bytes(container: str = "RIFF", *, encoding: str = "pcm16", channels: int = 1,
              rate: int = RATE, extensible: bool = False, seconds: float = SECONDS) -> bytes:
    """A small valid WAV (a 440 Hz tone) as bytes, in any container the writer knows."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.wav"
        write_wav(path, _tone(channels, seconds, rate), rate, encoding, extensible=extensible,
                  container=container)
        return path.read_bytes()


def data_offset(data: bytes) -> int:
    """Where the samples of a WAV made by `wav_bytes` begin (after the data chunk header)."""
    return data.index(b"data") + 8


#: The layouts whose every header byte is cut: plain 44-byte RIFF, EXTENSIBLE (fmt chunk of
#: 40 bytes), big-endian RIFX and RF64 (with its ds64 chunk).
LAYOUTS: dict[str, dict] = {
    "riff-pcm16": {"container": "RIFF"},
    "riff-extensible-6ch-pcm24": {"container": "RIFF", "extensible": True, "channels": 6,
                                  "encoding": "pcm24"},
    "rifx-pcm16": {"container": "RIFX"},
    "rifx-float32": {"container": "RIFX", "encoding": "float32"},
    "rf64-pcm16": {"container": "RF64"},
    "rf64-float64-stereo": {"container": "RF64", "encoding": "float64", "channels": 2},
}


def cut_points(data: bytes) -> list[int]:
    """Every byte offset of the header and the first sample frames, then a few in the data."""
    start = data_offset(data)
    points = list(range(0, start + 12))
    points += [start + (len(data) - start) * k // 8 for k in range(1, 8)]
    points += [len(data) - 3, len(data) - 1]
    return sorted(set(p for p in points if 0 <= p < len(data)))


# -- lying headers ---------------------------------------------------------------------------

def _patch(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    return data[:offset] + struct.pack(fmt, value) + data[offset + struct.calcsize(fmt):]


def _plain() -> bytes:
    return wav_bytes("RIFF")


def _riff_size(value: int) -> bytes:
    return _patch(_plain(), 4, "<I", value)


def _data_size(value: int) -> bytes:
    return _patch(_plain(), 40, "<I", value)


def _fmt_field(offset: int, fmt: str, value: int) -> bytes:
    return _patch(_plain(), 20 + offset, fmt, value)


def _fmt_size(value: int) -> bytes:
    return _patch(_plain(), 16, "<I", value)


def _chunk(cid: bytes, body: bytes, size: int | None = None) -> bytes:
    return cid + struct.pack("<I", len(body) if size is None else size) + body


def _riff(*chunks: bytes) -> bytes:
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _fmt_pcm16_mono() -> bytes:
    return _chunk(b"fmt ", struct.pack("<HHIIHH", 1, 1, RATE, RATE * 2, 2, 16))


def _samples(encoding: str = "pcm16", channels: int = 1) -> bytes:
    return encode_samples(_tone(channels), encoding)


def _rf64_ds64_size(value: int) -> bytes:
    data = wav_bytes("RF64")
    return _patch(data, 12 + 8 + 8, "<Q", value)


def _rf64_without_ds64() -> bytes:
    fmt = _fmt_pcm16_mono()
    body = b"WAVE" + fmt + _chunk(b"data", _samples(), 0xFFFFFFFF)
    return b"RF64" + struct.pack("<I", 0xFFFFFFFF) + body


LIES: dict[str, Callable[[], bytes]] = {
    "riff-size-0": lambda: _riff_size(0),
    "riff-size-4": lambda: _riff_size(4),
    "riff-size-half": lambda: _riff_size(len(_plain()) // 2),
    "riff-size-max": lambda: _riff_size(0xFFFFFFFF),
    "data-size-0": lambda: _data_size(0),
    "data-size-1": lambda: _data_size(1),
    "data-size-odd": lambda: _data_size(4801),
    "data-size-half": lambda: _data_size(4800),
    "data-size-plus-1": lambda: _data_size(9601),
    "data-size-plus-1000": lambda: _data_size(10600),
    "data-size-max": lambda: _data_size(0xFFFFFFFF),
    "fmt-size-0": lambda: _fmt_size(0),
    "fmt-size-14": lambda: _fmt_size(14),
    "fmt-size-odd-17": lambda: _fmt_size(17),
    "fmt-size-huge": lambda: _fmt_size(0xFFFFFFF0),
    "format-tag-0": lambda: _fmt_field(0, "<H", 0),
    "format-tag-adpcm": lambda: _fmt_field(0, "<H", 2),
    "format-tag-mp3-in-wav": lambda: _fmt_field(0, "<H", 0x55),
    "format-tag-extensible-short": lambda: _fmt_field(0, "<H", 0xFFFE),
    "channels-0": lambda: _fmt_field(2, "<H", 0),
    "channels-65535": lambda: _fmt_field(2, "<H", 65535),
    "rate-0": lambda: _fmt_field(4, "<I", 0),
    "rate-1": lambda: _fmt_field(4, "<I", 1),
    "rate-7": lambda: _fmt_field(4, "<I", 7),
    "rate-max": lambda: _fmt_field(4, "<I", 0xFFFFFFFF),
    "byte-rate-0": lambda: _fmt_field(8, "<I", 0),
    "block-align-0": lambda: _fmt_field(12, "<H", 0),
    "block-align-3": lambda: _fmt_field(12, "<H", 3),
    "block-align-65535": lambda: _fmt_field(12, "<H", 65535),
    "bits-0": lambda: _fmt_field(14, "<H", 0),
    "bits-12": lambda: _fmt_field(14, "<H", 12),
    "bits-255": lambda: _fmt_field(14, "<H", 255),
    "data-before-fmt": lambda: _riff(_chunk(b"data", _samples()), _fmt_pcm16_mono()),
    "two-fmt-chunks": lambda: _riff(_fmt_pcm16_mono(), _chunk(b"fmt ", struct.pack(
        "<HHIIHH", 3, 2, 8000, 64000, 8, 32)), _chunk(b"data", _samples())),
    "two-data-chunks": lambda: _riff(_fmt_pcm16_mono(), _chunk(b"data", _samples()),
                                     _chunk(b"data", _samples())),
    "huge-list-chunk-before-data": lambda: _riff(_fmt_pcm16_mono(),
                                                 _chunk(b"LIST", b"INFO", 0x7FFFFFF0),
                                                 _chunk(b"data", _samples())),
    "unknown-chunk-size-max-first": lambda: _riff(_chunk(b"junk", b"", 0xFFFFFFFF),
                                                  _fmt_pcm16_mono(), _chunk(b"data", _samples())),
    "odd-chunk-without-pad": lambda: _riff(_chunk(b"note", b"abc"), _fmt_pcm16_mono(),
                                           _chunk(b"data", _samples())),
    "fmt-only": lambda: _riff(_fmt_pcm16_mono()),
    "wave-only": lambda: b"RIFF\x04\x00\x00\x00WAVE",
    "rf64-ds64-size-0": lambda: _rf64_ds64_size(0),
    "rf64-ds64-size-huge": lambda: _rf64_ds64_size(2**62),
    "rf64-ds64-size-max": lambda: _rf64_ds64_size(2**64 - 1),
    "rf64-without-ds64": _rf64_without_ds64,
    "rf64-ds64-truncated": lambda: b"RF64\xff\xff\xff\xffWAVEds64\x1c\x00\x00\x00\x00\x00",
    "rifx-data-size-max": lambda: _patch(wav_bytes("RIFX"), 40, ">I", 0xFFFFFFFF),
    "rifx-with-little-endian-sizes": lambda: b"RIFX" + _plain()[4:],
    "riff-with-big-endian-sizes": lambda: b"RIFF" + wav_bytes("RIFX")[4:],
}


# -- valid but unusual -----------------------------------------------------------------------

ENCODINGS = ("pcm8", "pcm16", "pcm24", "pcm32", "float32", "float64")
CHANNELS = (1, 3, 6, 8)


def unusual(container: str, encoding: str, channels: int, *, extensible: bool = False,
            rate: int = RATE) -> Builder:
    """A valid WAV of an unusual shape (it should play)."""
    def build(folder: Path) -> Path:
        name = f"{container}-{encoding}-{channels}ch{'-ext' if extensible else ''}-{rate}.wav"
        return write_wav(folder / name, _tone(channels, SECONDS, rate), rate, encoding,
                         extensible=extensible, container=container)
    return build


UNUSUAL: dict[str, Builder] = {}
for _enc in ENCODINGS:
    for _ch in CHANNELS:
        UNUSUAL[f"riff-{_enc}-{_ch}ch"] = unusual("RIFF", _enc, _ch)
    UNUSUAL[f"rifx-{_enc}-2ch"] = unusual("RIFX", _enc, 2)
    UNUSUAL[f"rf64-{_enc}-2ch"] = unusual("RF64", _enc, 2)
    UNUSUAL[f"extensible-{_enc}-6ch"] = unusual("RIFF", _enc, 6, extensible=True)
for _ch in (2, 9, 16, 32):
    UNUSUAL[f"riff-pcm16-{_ch}ch-odd-count"] = unusual("RIFF", "pcm16", _ch)
for _rate in (8000, 11025, 22050, 44100, 96000, 192000, 384000):
    UNUSUAL[f"riff-pcm16-rate-{_rate}"] = unusual("RIFF", "pcm16", 2, rate=_rate)
UNUSUAL["riff-pcm16-rate-1000"] = unusual("RIFF", "pcm16", 1, rate=1000)


# -- random bytes, text, and damaged samples -------------------------------------------------

def _random(n: int, seed: int) -> bytes:
    return np.random.default_rng(seed).integers(0, 256, n, dtype=np.uint8).tobytes()


def _with_random_data(container: str, encoding: str, channels: int = 2) -> bytes:
    """A valid header followed by random bytes as samples (float: NaN, Inf and 1e38 among them)."""
    data = wav_bytes(container, encoding=encoding, channels=channels, seconds=0.25)
    start = data_offset(data)
    return data[:start] + _random(len(data) - start, 7)


def _float_wav(values: np.ndarray, encoding: str = "float32", rate: int = RATE) -> bytes:
    """A mono float WAV holding exactly `values` (the shared writer clips to [-1, 1]; not here)."""
    bits = {"float32": 32, "float64": 64}[encoding]
    raw = np.asarray(values, dtype=np.float64).astype("<f4" if bits == 32 else "<f8").tobytes()
    fmt = struct.pack("<HHIIHHH", 3, 1, rate, rate * bits // 8, bits // 8, bits, 0)
    return _riff(_chunk(b"fmt ", fmt), _chunk(b"data", raw))


def _specials() -> np.ndarray:
    x = 0.25 * np.sin(2 * np.pi * 440 * np.arange(4800) / RATE)
    x[1000:1010] = np.nan
    x[2000:2010] = np.inf
    x[3000:3010] = -np.inf
    return x


RANDOM: dict[str, Callable[[], bytes]] = {
    **{f"random-{n}-bytes.{ext}": (lambda n=n, ext=ext: _random(n, n * 7 + ord(ext[0])))
       for ext in ("wav", "mp3", "flac", "ogg") for n in (1, 44, 4096, 100_000)},
    "riff-wave-then-random.wav": lambda: b"RIFF\xff\xff\x00\x00WAVE" + _random(50_000, 1),
    "flac-magic-then-random.flac": lambda: b"fLaC" + _random(50_000, 2),
    "ogg-magic-then-random.ogg": lambda: b"OggS" + _random(50_000, 3),
    "ogg-page-then-random.ogg": lambda: b"OggS\x00\x02" + bytes(8) + _random(50_000, 4),
    "id3-then-random.mp3": lambda: b"ID3\x04\x00\x00\x00\x00\x00\x00" + _random(50_000, 5),
    "mpeg-sync-then-random.mp3": lambda: b"\xff\xfb\x90\x64" + _random(50_000, 6),
    "mpeg-sync-repeated.mp3": lambda: (b"\xff\xfb\x90\x64" + bytes(413)) * 50,
    "zeros.wav": lambda: bytes(10_000),
    "zeros.mp3": lambda: bytes(10_000),
    "ff-bytes.mp3": lambda: b"\xff" * 10_000,
    "text-renamed.wav": lambda: b"These are my session notes.\nNothing to hear here.\n" * 20,
    "text-renamed.mp3": lambda: b"Playlist for Tuesday\n1. Opening\n2. Drift\n" * 20,
    "html-download-error.mp3": lambda: (b"<!DOCTYPE html><html><head><title>404 Not Found"
                                        b"</title></head><body>Not found</body></html>\n"),
    "utf16-text.flac": lambda: "Breathe in slowly\n".encode("utf-16"),
    "m3u-renamed.ogg": lambda: b"#EXTM3U\n#EXTINF:123,Artist - Title\nmusic/01.flac\n",
    "header-then-random-pcm16.wav": lambda: _with_random_data("RIFF", "pcm16"),
    "header-then-random-pcm24-6ch.wav": lambda: _with_random_data("RIFF", "pcm24", 6),
    "header-then-random-float32.wav": lambda: _with_random_data("RIFF", "float32"),
    "header-then-random-float64.wav": lambda: _with_random_data("RIFF", "float64"),
    "rifx-header-then-random-float32.wav": lambda: _with_random_data("RIFX", "float32"),
    "float32-loud-5x-full-scale.wav": lambda: _float_wav(np.full(4800, 5.0)),
    "float64-1e300.wav": lambda: _float_wav(np.full(4800, 1e300), "float64"),
    "float32-nan-inf.wav": lambda: _float_wav(_specials()),
    "float32-nan-inf-44100.wav": lambda: _float_wav(_specials(), rate=44100),
    "float64-nan-inf.wav": lambda: _float_wav(_specials(), "float64"),
}

#: Cases whose samples decode as NaN or infinite: the float specials above, random bytes read
#: as floats, 1e300 narrowed to float32, and 16-bit samples read as float by a second fmt chunk.
NON_FINITE = {"two-fmt-chunks", "float64-1e300.wav", "float32-nan-inf.wav",
              "float32-nan-inf-44100.wav", "float64-nan-inf.wav", "header-then-random-float32.wav",
              "header-then-random-float64.wav", "rifx-header-then-random-float32.wav"}


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` as `folder/name` (a .wav suffix is added when the name has none)."""
    path = folder / (name if "." in name else f"{name}.wav")
    path.write_bytes(data)
    return path


# -- compressed: made with lame, flac and oggenc, then cut and damaged -----------------------

COMPRESSED = ("mp3", "flac", "ogg")


def compressed_original(folder: Path, fmt: str) -> Path:
    """A 2-second stereo 44.1 kHz tone encoded by the Debian tool for `fmt`."""
    return write_sine_compressed(folder / f"original.{fmt}", fmt, seconds=2.0)


def _corrupt(data: bytes, at: float, n: int, seed: int) -> bytes:
    i = int(len(data) * at)
    return data[:i] + _random(n, seed) + data[i + n:]


def _flip_bits(data: bytes, every: int, seed: int) -> bytes:
    b = bytearray(data)
    rng = np.random.default_rng(seed)
    where = rng.integers(0, len(b), max(1, len(b) // every))
    for i, bit in zip(where, rng.integers(0, 8, len(where))):
        b[i] ^= 1 << int(bit)
    return bytes(b)


def _zero_middle(data: bytes) -> bytes:
    i = len(data) // 2
    return data[:i] + bytes(1024) + data[i + 1024:]


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    **{f"cut-at-{n}": (lambda d, n=n: d[:n]) for n in (1, 3, 4, 8, 16, 26, 42, 64, 128, 512, 4096)},
    **{f"cut-at-{k}0pc": (lambda d, k=k: d[:len(d) * k // 10]) for k in (1, 5, 9)},
    "cut-last-byte": lambda d: d[:-1],
    "header-garbled": lambda d: d[:4] + _random(60, 11) + d[64:],
    "random-bytes-at-10pc": lambda d: _corrupt(d, 0.1, 256, 12),
    "random-bytes-at-50pc": lambda d: _corrupt(d, 0.5, 256, 13),
    "zeroed-kilobyte-in-middle": _zero_middle,
    "bit-flips-1-per-1000": lambda d: _flip_bits(d, 1000, 14),
    "bit-flips-1-per-50": lambda d: _flip_bits(d, 50, 15),
    "doubled": lambda d: d + d,
    "reversed": lambda d: d[::-1],
    "second-half-only": lambda d: d[len(d) // 2:],
}
