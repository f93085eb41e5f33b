"""Decoding: every format and encoding gives the right tone at the right level; errors are clear."""

from __future__ import annotations

import os
import struct
import subprocess
import tracemalloc

from typing import NamedTuple

import numpy as np
import pytest

from companion.audio.decode import (RATE, AudioInfo, SourceSpec, downmix_matrix, mp3_audio_end,
                                    open_source, probe)
from companion.audio.soundscapes import Builtin
from companion.errors import AudioError
from tests.audio.signals import (have_tools, max_step, read_all, rms, sine, write_sine_compressed,
                                 write_sine_wav, write_wav, zero_crossing_freq)

TONE = 440.0
AMP = 0.5
EXPECTED_RMS = AMP / np.sqrt(2)


def assert_tone(y: np.ndarray, seconds: float, rms_tol: float = 0.02) -> None:
    """Stereo 48 kHz float32 of the expected length, the 440 Hz tone at AMP in both channels."""
    assert y.dtype == np.float32 and y.ndim == 2 and y.shape[1] == 2
    assert abs(len(y) - seconds * RATE) <= 1
    mid = y[2400:-2400]
    for ch in (0, 1):
        assert zero_crossing_freq(mid[:, ch]) == pytest.approx(TONE, abs=0.2)
        assert rms(mid[:, ch]) == pytest.approx(EXPECTED_RMS, rel=rms_tol)


WAV_CASES = [
    # encoding, rate, channels, writer options
    ("pcm8", 44100, 1, {}),
    ("pcm16", 44100, 1, {}),
    ("pcm16", 48000, 2, {}),
    ("pcm24", 96000, 2, {}),
    ("pcm32", 22050, 2, {}),
    ("float32", 48000, 1, {}),
    ("float64", 32000, 2, {}),
    ("pcm16", 44100, 2, {"extensible": True}),
    ("pcm24", 48000, 6, {"extensible": True}),
    ("float32", 88200, 2, {"extensible": True}),
    ("pcm16", 44100, 2, {"container": "RIFX"}),
    ("pcm24", 48000, 1, {"container": "RF64"}),
]


@pytest.mark.parametrize("encoding,rate,channels,options", WAV_CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}ch-{'-'.join(map(str, c[3])) or 'plain'}"
                              for c in WAV_CASES])
def test_wav_decodes_to_the_right_tone_and_level(tmp_path, encoding, rate, channels, options):
    path = write_sine_wav(tmp_path / "tone.wav", TONE, 1.0, rate, channels, AMP, encoding,
                          **options)
    info = probe(path)
    assert (info.format, info.rate, info.channels, info.frames) == ("wav", rate, channels, rate)
    assert info.encoding == encoding
    y = read_all(open_source(SourceSpec(file=path)), 999)
    assert_tone(y, 1.0, rms_tol=0.05 if encoding == "pcm8" else 0.005)


@pytest.mark.parametrize("fmt", ["mp3", "flac", "ogg"])
def test_compressed_formats_decode_to_the_right_tone_and_level(tmp_path, fmt):
    if not have_tools({"mp3": "lame", "flac": "flac", "ogg": "oggenc"}[fmt]):
        pytest.skip(f"no encoder for {fmt}")
    path = write_sine_compressed(tmp_path / f"tone.{fmt}", fmt, TONE, 1.0, 44100, 2, AMP)
    info = probe(path)
    assert (info.format, info.rate, info.channels) == (fmt, 44100, 2)
    assert info.seconds == pytest.approx(1.0, abs=0.001)
    y = read_all(open_source(SourceSpec(file=path)))
    assert_tone(y, 1.0, rms_tol=0.05)


def test_48k_wav_passes_through_sample_exact_with_no_padding(tmp_path):
    x = sine(TONE, 0.5, 48000, 2, AMP)
    path = write_wav(tmp_path / "a.wav", x, 48000, "float32")
    y = read_all(open_source(SourceSpec(file=path)), 777)
    assert np.array_equal(y, x.astype(np.float32))


def test_joined_halves_equal_the_whole_so_gapless_joins_are_possible(tmp_path):
    x = sine(TONE, 1.0, 48000, 2, AMP)
    cut = 20011                                    # not on a block boundary
    a = write_wav(tmp_path / "a.wav", x[:cut], 48000, "float32")
    b = write_wav(tmp_path / "b.wav", x[cut:], 48000, "float32")
    y = np.concatenate([read_all(open_source(SourceSpec(file=p)), 1024) for p in (a, b)])
    assert np.array_equal(y, x.astype(np.float32))


def test_resampled_halves_rejoin_without_a_dip_or_click(tmp_path):
    x = sine(TONE, 2.0, 44100, 2, 0.37)
    cut = 45_334                                   # mid-waveform
    halves = [write_wav(tmp_path / f"{i}.wav", part, 44100, "float32")
              for i, part in enumerate((x[:cut], x[cut:]))]
    y = np.concatenate([read_all(open_source(SourceSpec(file=p)), 1000) for p in halves])
    sine_step = 2 * np.pi * TONE * 0.37 / RATE
    assert max_step(y) <= sine_step * 1.01
    join = -(-cut * RATE // 44100)
    around = y[join - 200:join + 200, 0]
    assert np.abs(around).max() == pytest.approx(0.37, abs=0.005)   # no dip in level


def test_resampled_halves_rejoin_within_one_output_sample(tmp_path):
    # Each file is resampled on its own, so the second starts on the 48 kHz grid, not where the
    # first really ended: ceil(cut * 48000 / 44100) - cut * 48000 / 44100 of a sample late.
    # Only a cut on a multiple of 147 frames at 44.1 kHz (160 at 48 kHz) rejoins exactly.
    for cut in (20_011, 30_000, 22_050):
        x = sine(441.0, 1.0, 44100, 2, 0.25)
        halves = [write_wav(tmp_path / f"{cut}-{i}.wav", part, 44100, "float32")
                  for i, part in enumerate((x[:cut], x[cut:]))]
        a, b = (read_all(open_source(SourceSpec(file=p)), 1000)[:, 0] for p in halves)
        slip = -(-cut * RATE // 44100) - cut * RATE / 44100
        end_of_a = _sine_fit(a[-2400:-100], len(a) - 2400)
        start_of_b = _sine_fit(b[100:2400], len(a) + 100)
        late = end_of_a.lead - start_of_b.lead
        assert late == pytest.approx(slip, abs=0.01)
        assert 0 <= late < 1


class _Fit(NamedTuple):
    amplitude: float
    lead: float
    """How many 48 kHz samples ahead of a sine starting at frame 0 it runs."""
    residual: float
    """RMS of what the sine does not explain."""


def _sine_fit(y: np.ndarray, first: int = 0) -> _Fit:
    """The 441 Hz sine best fitting `y`, whose first sample is frame `first`."""
    t = (first + np.arange(len(y))) / RATE
    basis = np.column_stack([np.sin(2 * np.pi * 441.0 * t), np.cos(2 * np.pi * 441.0 * t)])
    (s, c), *_ = np.linalg.lstsq(basis, y, rcond=None)
    lead = float(np.arctan2(c, s)) / (2 * np.pi * 441.0) * RATE
    return _Fit(float(np.hypot(s, c)), lead, rms(y - basis @ (s, c)))


# -- MP3: encoder delay and padding, tags after the audio -------------------------------------

needs_lame = pytest.mark.skipif(not have_tools("lame"), reason="lame is needed to make MP3s")


def _lame(wav, mp3, *options: str):
    subprocess.run(["lame", "--silent", *options, str(wav), str(mp3)], check=True)
    return mp3


@needs_lame
@pytest.mark.parametrize("rate,options", [(48000, ("-b", "320")), (44100, ("-b", "192")),
                                          (44100, ("-V", "2")), (24000, ("-b", "64"))])
def test_mp3_encoder_delay_and_padding_are_trimmed(tmp_path, rate, options):
    frames = rate + 1234                                 # not a whole number of MP3 frames
    wav = write_sine_wav(tmp_path / "a.wav", 441.0, frames / rate, rate, 2, 0.25)
    y = read_all(open_source(SourceSpec(file=_lame(wav, tmp_path / "a.mp3", *options))), 4096)
    assert len(y) == -(-frames * RATE // rate)           # exactly the samples that went in
    fit = _sine_fit(y[2400:-2400, 0], 2400)             # codec and resampler edges aside
    assert abs(fit.lead) < 0.05                          # in step with the input: no delay
    assert fit.residual < fit.amplitude * 10 ** (-40 / 20)
    assert fit.amplitude == pytest.approx(0.25, rel=0.05)   # LAME's CBR plays 0.3 dB low


def _tags(kind: str) -> tuple[bytes, bytes]:
    """What taggers and tools leave before and after an MP3's frames."""
    id3v1 = b"TAG" + b"Title".ljust(30, b"\0") + b"\0" * 95
    items = b"\x05\0\0\0\0\0\0\0Title\0Piano"
    ape_size = len(items) + 32
    ape_header = b"APETAGEX" + struct.pack("<IIII", 2000, ape_size, 1, 0xA0000000) + b"\0" * 8
    ape_footer = b"APETAGEX" + struct.pack("<IIII", 2000, ape_size, 1, 0x80000000) + b"\0" * 8
    apev2 = ape_header + items + ape_footer
    id3v2 = b"ID3\x03\0\0" + bytes([0, 0, 0x10, 0]) + b"\0" * 2048   # 2048 bytes: 0x10 << 7
    return {"id3v1": (b"", id3v1), "apev2": (b"", apev2),
            "id3v2, apev2 and id3v1": (id3v2, apev2 + id3v1), "a stray byte": (b"", b"\0")}[kind]


@needs_lame
@pytest.mark.parametrize("kind", ["id3v1", "apev2", "id3v2, apev2 and id3v1", "a stray byte"])
def test_tags_after_an_mp3s_frames_cost_no_sound(tmp_path, kind):
    # dr_mp3 drops the last frame when anything follows it (up to 26 ms lost at the end).
    wav = write_sine_wav(tmp_path / "a.wav", 441.0, 1.0, 44100, 2, 0.25)
    plain = _lame(wav, tmp_path / "plain.mp3", "-b", "192")
    before, after = _tags(kind)
    tagged = tmp_path / "tagged.mp3"
    tagged.write_bytes(before + plain.read_bytes() + after)
    assert mp3_audio_end(plain) is None
    assert mp3_audio_end(tagged) == len(before) + plain.stat().st_size
    clean = read_all(open_source(SourceSpec(file=plain)), 4096)
    assert np.array_equal(read_all(open_source(SourceSpec(file=tagged)), 4096), clean)
    assert len(clean) == RATE
    later = read_all(open_source(SourceSpec(file=tagged, start_at_s=0.5)), 4096)
    assert len(later) == RATE // 2                       # seeking sees the same frames


@needs_lame
def test_mp3_halves_of_a_sine_rejoin_without_a_gap(tmp_path):
    x = sine(441.0, 2.0, 48000, 2, 0.25)
    cut = 33_737
    parts = [write_wav(tmp_path / f"{i}.wav", part, 48000, "pcm16")
             for i, part in enumerate((x[:cut], x[cut:]))]
    mp3s = [_lame(p, p.with_suffix(".mp3"), "-b", "192", "--id3v1-only", "--tt", p.stem)
            for p in parts]
    a, b = (read_all(open_source(SourceSpec(file=p)), 4096) for p in mp3s)
    assert (len(a), len(b)) == (cut, len(x) - cut)
    y = np.concatenate([a, b])[:, 0]
    fit = _sine_fit(y[cut - 960:cut + 960], cut - 960)
    # What is left is MP3's own error at a sine cut off mid-wave (about -54 dB here, -45 dB at
    # worst over other cuts); a one-sample slip would leave -34 dB, a gap far more.
    assert fit.residual < fit.amplitude * 10 ** (-42 / 20)
    assert abs(fit.lead) < 0.05


def test_resampled_length_is_exact(tmp_path):
    path = write_sine_wav(tmp_path / "a.wav", TONE, 12345 / 44100, 44100, 2)
    src = open_source(SourceSpec(file=path))
    assert src.seconds == pytest.approx(13437 / RATE)      # ceil(12345 * 48000 / 44100)
    assert len(read_all(src)) == 13437


def test_mono_is_duplicated_and_surround_is_downmixed_without_clipping(tmp_path):
    mono = read_all(open_source(SourceSpec(file=write_sine_wav(tmp_path / "m.wav", channels=1))))
    assert np.array_equal(mono[:, 0], mono[:, 1])
    six = read_all(open_source(SourceSpec(file=write_sine_wav(tmp_path / "s.wav", channels=6,
                                                              amplitude=0.9))))
    assert np.abs(six).max() <= 0.9 + 1e-4
    x = np.zeros((4800, 6))
    x[:, 3] = 0.5                                  # only the LFE channel of 5.1
    lfe = read_all(open_source(SourceSpec(file=write_wav(tmp_path / "l.wav", x))))
    assert np.abs(lfe).max() == 0.0
    assert downmix_matrix(8).shape == (8, 2)


def test_loop_repeats_seamlessly_for_the_given_length(tmp_path):
    path = write_sine_wav(tmp_path / "a.wav", TONE, 0.5, 48000, 1, AMP)   # 220 whole cycles
    src = open_source(SourceSpec(file=path, loop=True, seconds=2.0))
    assert src.seconds == 2.0
    y = read_all(src, 1000)
    assert len(y) == 2 * RATE
    assert max_step(y) <= 2 * np.pi * TONE / RATE * AMP * 1.01


def test_endless_loop_reports_no_length(tmp_path):
    path = write_sine_wav(tmp_path / "a.wav", TONE, 0.1)
    src = open_source(SourceSpec(file=path, loop=True))
    assert src.seconds is None
    for _ in range(20):
        assert len(src.read(1000)) == 1000
    src.close()
    assert len(src.read(1000)) == 0


def test_start_at_skips_into_the_file(tmp_path):
    x = sine(TONE, 1.0, 48000, 1, AMP)
    path = write_wav(tmp_path / "a.wav", x, 48000, "float32")
    src = open_source(SourceSpec(file=path, start_at_s=0.25))
    assert src.seconds == pytest.approx(0.75)
    y = read_all(src)
    assert np.allclose(y[:, 0], x[12000:, 0], atol=1e-7)


def test_builtin_spec_opens_a_soundscape():
    src = open_source(SourceSpec(builtin="warm-pad", seed=3, seconds=2.0))
    assert isinstance(src, Builtin) and src.seconds == 2.0
    assert len(read_all(src)) == 2 * RATE


def test_spec_needs_exactly_one_of_file_and_builtin():
    with pytest.raises(AudioError):
        open_source(SourceSpec())
    with pytest.raises(AudioError, match="unknown built-in"):
        open_source(SourceSpec(builtin="dubstep"))


# -- errors ---------------------------------------------------------------------------------

def _expect(path, match: str) -> AudioError:
    with pytest.raises(AudioError, match=match) as caught:
        probe(path)
    assert str(caught.value).startswith(str(path))
    assert caught.value.path == path
    return caught.value


def test_probe_names_a_missing_file(tmp_path):
    _expect(tmp_path / "nope.wav", "no such file")


def test_probe_names_an_empty_file(tmp_path):
    (tmp_path / "empty.mp3").write_bytes(b"")
    _expect(tmp_path / "empty.mp3", "empty")


def test_probe_names_a_directory(tmp_path):
    (tmp_path / "d.wav").mkdir()
    _expect(tmp_path / "d.wav", "directory")


def test_probe_names_a_truncated_wav(tmp_path):
    path = write_sine_wav(tmp_path / "t.wav", seconds=2.0)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    err = _expect(path, "truncated")
    assert "2.0 s" in str(err) and "1.0 s" in str(err)


def test_probe_names_a_wav_cut_inside_its_header(tmp_path):
    path = write_sine_wav(tmp_path / "t.wav")
    path.write_bytes(path.read_bytes()[:30])
    _expect(path, "truncated")


def test_probe_rejects_random_bytes(tmp_path):
    path = tmp_path / "noise.flac"
    path.write_bytes(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    _expect(path, "not an audio file")


def test_probe_rejects_text_renamed_as_audio(tmp_path):
    path = tmp_path / "notes.mp3"
    path.write_text("These are my session notes, not music.\n")
    _expect(path, "holds text")


@pytest.mark.parametrize("head,match", [
    (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "M4A.*not supported.*convert"),
    (b"FORM\x00\x00\x10\x00AIFFCOMM", "AIFF is not supported"),
    (b"OggS\x00\x02" + bytes(22) + b"\x13OpusHead\x01\x02", "Opus is not supported"),
])
def test_probe_names_formats_we_cannot_play(tmp_path, head, match):
    path = tmp_path / "track.audio"
    path.write_bytes(head + bytes(200))
    _expect(path, match)


def test_probe_rejects_unsupported_wav_encoding(tmp_path):
    path = write_sine_wav(tmp_path / "a.wav")
    data = bytearray(path.read_bytes())
    data[20:22] = (2).to_bytes(2, "little")       # MS ADPCM
    path.write_bytes(bytes(data))
    _expect(path, "unsupported WAV encoding")


@pytest.mark.parametrize("fmt", ["mp3", "flac", "ogg"])
def test_probe_rejects_a_compressed_file_cut_inside_its_header(tmp_path, fmt):
    path = write_sine_compressed(tmp_path / f"a.{fmt}", fmt)
    path.write_bytes(path.read_bytes()[:30])
    _expect(path, "truncated")


@pytest.mark.parametrize("fmt", ["mp3", "flac"])
def test_truncated_compressed_file_raises_from_read_not_a_raw_exception(tmp_path, fmt):
    path = write_sine_compressed(tmp_path / f"a.{fmt}", fmt, seconds=3.0)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 6 // 10])
    src = open_source(SourceSpec(file=path))
    with pytest.raises(AudioError, match="ends early"):
        read_all(src, 4800)


def test_file_shrinking_while_streaming_raises_audio_error(tmp_path):
    path = write_sine_wav(tmp_path / "a.wav", seconds=3.0, rate=44100, channels=2)
    src = open_source(SourceSpec(file=path))
    src.read(RATE)
    os.truncate(path, os.path.getsize(path) // 2)
    with pytest.raises(AudioError, match="ends early"):
        read_all(src, 4800)


def test_start_past_the_end_is_an_error(tmp_path):
    path = write_sine_wav(tmp_path / "a.wav", seconds=1.0)
    with pytest.raises(AudioError, match="past the end"):
        open_source(SourceSpec(file=path, start_at_s=5.0))


# -- streaming memory --------------------------------------------------------------------------

def _peak_while_reading(path, block: int = 2048) -> int:
    src = open_source(SourceSpec(file=path))
    tracemalloc.start()
    try:
        while len(src.read(block)) == block:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        src.close()


def test_streaming_memory_does_not_grow_with_track_length(tmp_path):
    short = write_sine_wav(tmp_path / "short.wav", seconds=2.0, rate=44100, channels=2)
    long = write_sine_wav(tmp_path / "long.wav", seconds=60.0, rate=44100, channels=2)
    peak_short, peak_long = _peak_while_reading(short), _peak_while_reading(long)
    file_bytes = os.path.getsize(long)                      # about 10.6 MB
    assert peak_long < 2_000_000 < file_bytes
    assert peak_long < 1.2 * peak_short + 50_000


def test_audio_info_is_a_frozen_value(tmp_path):
    info = probe(write_sine_wav(tmp_path / "a.wav"))
    assert isinstance(info, AudioInfo)
    with pytest.raises(AttributeError):
        info.rate = 1  # type: ignore[misc]


# -- files joined gaplessly at another rate than 48 kHz -------------------------------------------

def _split(folder, x, rate, cuts, suffix):
    """`x` cut at `cuts` into files (`.wav`, or `.flac` through a 16-bit WAV)."""
    edges = (0, *cuts, len(x))
    paths = []
    for i, (a, b) in enumerate(zip(edges, edges[1:])):
        wav = write_wav(folder / f"part{i}.wav", x[a:b], rate, "pcm16")
        if suffix == ".flac":
            flac = wav.with_suffix(".flac")
            subprocess.run(["flac", "--silent", "-f", "-o", str(flac), str(wav)], check=True)
            wav = flac
        paths.append(wav)
    return paths


@pytest.mark.parametrize("suffix", [".wav", pytest.param(".flac", marks=pytest.mark.skipif(
    not have_tools("flac"), reason="flac is needed to make FLAC files"))])
def test_files_joined_at_44_1_khz_resample_exactly_as_the_whole(tmp_path, suffix):
    from companion.audio.decode import FileSource

    x = sine(441.0, 2.0, rate=44100, channels=2) + sine(3000.0, 2.0, rate=44100, channels=2) / 4
    (tmp_path / "whole").mkdir()
    whole = read_all(FileSource(_split(tmp_path / "whole", x, 44100, (), suffix)[0]))
    parts = _split(tmp_path, x, 44100, (20_011, 61_011), suffix)   # on no 147-frame step
    sources = [FileSource(parts[0])]
    played = [sources[0].read(4800)]
    for path in parts[1:]:          # each opened while the one before plays, as the engine does
        sources.append(FileSource(path, follows=sources[-1]))
        played.append(read_all(sources[-2]))
    played.append(read_all(sources[-1]))
    joined = np.concatenate(played)
    assert len(joined) == len(whole) == 96_000
    assert np.array_equal(joined, whole)              # as if one file had been resampled
    alone = np.concatenate([read_all(FileSource(p)) for p in parts])
    assert len(alone) == 96_001 and np.abs(alone[:96_000] - whole).max() > 0.01
