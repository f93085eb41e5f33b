"""The header sniffer the checker falls back on, and phase lengths from real file headers."""

from __future__ import annotations

import struct

import pytest

from companion.errors import AudioError
from companion.playlist.audiofile import sniff
from companion.playlist.checker import check_report
from tests.playlist.helpers import wav_bytes, write


def _flac(rate: int = 44100, total: int = 44100 * 90) -> bytes:
    packed = (rate << 44) | (1 << 41) | (15 << 36) | total
    info = bytes(10) + packed.to_bytes(8, "big") + bytes(16)
    return b"fLaC" + bytes([0x80, 0, 0, 34]) + info


def _ogg_vorbis(rate: int = 48000, granule: int = 48000 * 30) -> bytes:
    ident = b"\x01vorbis" + struct.pack("<IBI", 0, 2, rate) + bytes(20)
    first = b"OggS" + bytes(2) + struct.pack("<q", 0) + bytes(13) + ident
    last = b"OggS" + bytes(2) + struct.pack("<q", granule) + bytes(20)
    return first + bytes(1000) + last


@pytest.mark.parametrize("data, fmt, seconds", [
    (wav_bytes(2.0), "wav", 2.0),
    (_flac(), "flac", 90.0),
    (_ogg_vorbis(), "ogg", 30.0),
    (b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(100), "mp3", None),
    (b"\xff\xfb\x90\x64" + bytes(100), "mp3", None),
], ids=["wav", "flac", "ogg", "mp3-id3", "mp3-frame"])
def test_sniff_recognises_supported_formats_and_their_length(tmp_path, data, fmt, seconds):
    path = tmp_path / "a"
    path.write_bytes(data)
    header = sniff(path)
    assert header.format == fmt
    assert header.seconds == pytest.approx(seconds) if seconds else header.seconds is None


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n" + bytes(20), "a PNG image"),
    (bytes(4) + b"ftypM4A " + bytes(20), "an MP4/M4A/AAC file"),
    (b"OggS" + bytes(24) + b"OpusHead" + bytes(20), "Opus cannot be played"),
    (b"hello world", "its first bytes match no audio format"),
], ids=["empty", "png", "m4a", "opus", "text"])
def test_sniff_names_what_is_not_playable(tmp_path, data, reason):
    path = tmp_path / "a.mp3"
    path.write_bytes(data)
    with pytest.raises(AudioError, match=reason):
        sniff(path)


def test_check_compares_phase_targets_with_file_lengths(tmp_path):
    (tmp_path / "one.wav").write_bytes(wav_bytes(60.0, rate=1000))
    path = write(tmp_path, """\
        name: x
        phases:
          - {name: Short, minutes: 2, tracks: [{file: one.wav}]}
          - {name: Over, minutes: 0.5, tracks: [{file: one.wav}]}
          - {name: Exact, minutes: 1, tracks: [{file: one.wav}]}
          - {name: Filled, minutes: 5, tracks: [{file: one.wav}, {builtin: ocean}]}
          - {name: Quiet, minutes: 5}
          - {name: Cut, minutes: 5, tracks: [{file: one.wav, minutes: 0.5}]}
        """)
    report = check_report(path)
    assert report.problems == ()
    assert report.plan == (
        "Short: target 2:00, tracks 1:00 (1:00 short)",
        "Over: target 0:30, tracks 1:00 (0:30 over)",
        "Exact: target 1:00, tracks 1:00 (matches)",
        "Filled: target 5:00, tracks 1:00 + playing until the phase ends",
        "Quiet: target 5:00, no tracks (silence)",
        "Cut: target 5:00, tracks 0:30 (4:30 short)",
        "planned: 18:30",
    )
