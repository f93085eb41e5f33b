"""Hostile input: alias bombs, huge, binary and oddly encoded files end quickly with a message."""

from __future__ import annotations

import time

from companion.playlist import check_playlist
from companion.playlist.loader import MAX_BYTES
from tests.playlist.helpers import MINIMAL, located

LAUGHS = "\n".join(
    [f"l0: &l0 [{', '.join(['lol'] * 9)}]"]
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
)


def _check(tmp_path, data: bytes):
    path = tmp_path / "p.yaml"
    path.write_bytes(data)
    started = time.perf_counter()
    problems = check_playlist(path)
    return problems, time.perf_counter() - started


def test_billion_laughs_is_not_expanded(tmp_path):
    text = LAUGHS + "\nname: *l9\nphases:\n  - {name: a, minutes: 1, tracks: [*l9]}\n"
    problems, seconds = _check(tmp_path, text.encode())
    assert seconds < 2
    assert "11:7: `name` must be text, not a list" in located(problems)


def test_nested_merge_keys_stop_at_the_node_budget(tmp_path):
    lines = ["a: &a {" + ", ".join(f"k{i}: {i}" for i in range(9)) + "}"]
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} {{<<: [{', '.join([f'*{previous}'] * 9)}]}}")
    lines += ["name: x", "phases:", "  - {name: a, minutes: 1, <<: *h}"]
    problems, seconds = _check(tmp_path, "\n".join(lines).encode())
    assert seconds < 3
    assert any("expands to more than" in p.message for p in problems)


def test_recursive_alias_ends(tmp_path):
    problems, seconds = _check(tmp_path, b"name: x\nphases: &p [*p]\n")
    assert seconds < 1
    assert located(problems) == ["2:13: each item of `phases` must be a phase: a mapping of "
                                 "keys (name, minutes, until, ...), not a list"]


def test_huge_file_is_refused_without_reading_it_all(tmp_path):
    problems, seconds = _check(tmp_path, b"# x\n" * (MAX_BYTES // 4 + 10))
    assert seconds < 1
    assert located(problems) == [f"1:1: larger than {MAX_BYTES // 1024} kB: not a playlist "
                                 "(a playlist is a small text file)"]


def test_binary_file_is_refused_with_position(tmp_path):
    problems, _ = _check(tmp_path, b"name: x\nab\x00cd")
    assert located(problems) == ["2:3: binary data (a NUL byte), not a YAML text file"]


def test_latin1_file_names_its_bad_byte(tmp_path):
    problems, _ = _check(tmp_path, "name: café\n".encode("latin-1") + MINIMAL[10:].encode())
    assert located(problems) == ["1:10: not valid UTF-8 (byte 0xE9); save the playlist as UTF-8"]


def test_utf8_bom_and_utf16_playlists_are_read(tmp_path):
    for data in (b"\xef\xbb\xbf" + MINIMAL.encode(), MINIMAL.encode("utf-16")):
        problems, _ = _check(tmp_path, data)
        assert problems == []


def test_deep_nesting_is_reported_not_crashed(tmp_path):
    problems, seconds = _check(tmp_path, b"name: " + b"[" * 5000 + b"]" * 5000 + b"\n")
    assert seconds < 5
    assert len(problems) >= 1 and problems[0].line == 1
