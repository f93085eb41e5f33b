"""Voice packs: the prompts to record, what is missing, takes too long for their step, the index."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from companion.breathing import Pattern, Step, builtin_patterns
from companion.voice import (INDEX_NAME, VoicePack, VoicePackError, check_report, missing,
                             prompts, select, step_key, step_prompt_key, too_long)
from companion.wording import Wording


def keys(items) -> list[str]:
    return [p.key for p in items]


def test_prompts_cover_every_step_of_every_builtin_pattern_and_grounding() -> None:
    found = keys(prompts(Wording()))
    for pattern in builtin_patterns():
        for index in range(len(pattern.steps)):
            assert step_key(pattern, index) in found
    for key in ("breathing.opening", "breathing.closing", "grounding.opening.client",
                "grounding.see.prompt", "grounding.taste.prompt", "grounding.closing.client",
                "grounding.rating.before.client", "grounding.rating.after.client"):
        assert key in found
    assert len(found) == len(set(found))


def test_custom_pattern_steps_have_their_own_keys_and_step_lengths() -> None:
    own = Pattern("calm-4-6", "Calm 4-6", (Step("inhale", 4, "In, two, three, four"),
                                            Step("exhale", 6, "")), builtin=False)
    items = {p.key: p for p in prompts(Wording(), patterns=[own])}
    assert items["breathing.custom.calm-4-6.step1"].seconds == 4
    assert "breathing.custom.calm-4-6.step2" not in items  # no words: the generic exhale line
    assert step_prompt_key(own, 1) == "breathing.words.exhale"


def test_prompts_in_another_language_use_its_words() -> None:
    spanish = {p.key: p.text for p in prompts(Wording("es"))}
    assert spanish["breathing.opening"] == Wording("es").get("breathing.opening")


@pytest.mark.parametrize("only, first, group", [("breathing", "breathing.opening", "breathing"),
                                                ("grounding", "grounding.opening.client", "grounding"),
                                                ("breathing.patterns.box", None, "breathing")])
def test_only_selects_a_group_or_a_key_prefix(only: str, first: str | None, group: str) -> None:
    chosen = select(prompts(Wording()), only)
    assert {p.group for p in chosen} == {group}
    if first:
        assert chosen[0].key == first
    else:
        assert keys(chosen) == [f"breathing.patterns.box.step{n}" for n in range(1, 5)]


def test_only_with_nothing_to_record_says_what_to_use() -> None:
    with pytest.raises(VoicePackError, match="breathing, grounding"):
        select(prompts(Wording()), "nonsense")


def test_missing_lists_lines_without_a_take_or_with_changed_words(tmp_path: Path) -> None:
    pack = VoicePack.open(tmp_path / "pack", create=True)
    items = select(prompts(Wording()), "breathing.patterns.box")
    for prompt in items[:2]:
        path = pack.file_for(prompt.key)
        path.write_bytes(b"RIFF")
        pack.keep(prompt.key, path, prompt.text, 3.0)
    assert missing(pack, items) == keys(items[2:])
    pack.takes[items[0].key] = pack.takes[items[0].key].__class__(
        pack.takes[items[0].key].file, "older words", 3.0)
    assert missing(pack, items) == [items[0].key] + keys(items[2:])
    assert "recorded from other words" in check_report(pack, items)[0]


def test_a_take_much_longer_than_its_step_is_reported(tmp_path: Path) -> None:
    pack = VoicePack.open(tmp_path / "pack", create=True)
    items = select(prompts(Wording()), "breathing.patterns.box")  # 4 s steps
    for prompt, seconds in zip(items, (4.3, 6.5, 3.0, 5.2)):
        path = pack.file_for(prompt.key)
        path.write_bytes(b"RIFF")
        pack.keep(prompt.key, path, prompt.text, seconds)
    assert [(p.key, s) for p, s in too_long(pack, items)] == [(items[1].key, 6.5),
                                                              (items[3].key, 5.2)]
    assert any("much longer than its 4 s step" in line for line in check_report(pack, items))


def test_index_reopens_with_its_takes_and_settings(tmp_path: Path) -> None:
    pack = VoicePack.open(tmp_path / "pack", create=True, language="es", fmt="flac")
    pack.loudness_lufs = -18.0
    path = pack.file_for("breathing.opening")
    assert path.name == "breathing.opening.flac"
    path.write_bytes(b"fLaC")
    pack.keep("breathing.opening", path, "Hola", 2.5)
    again = VoicePack.open(tmp_path / "pack" / INDEX_NAME)
    assert (again.language, again.format, again.loudness_lufs) == ("es", "flac", -18.0)
    assert again.take_path("breathing.opening", "Hola") == path
    assert sorted(os.listdir(tmp_path / "pack")) == ["breathing.opening.flac", INDEX_NAME]


def test_index_is_replaced_atomically_even_if_the_writer_dies(tmp_path: Path) -> None:
    """A writer killed mid-save leaves the old index whole (the new one goes to a temp file first)."""
    pack = VoicePack.open(tmp_path / "pack", create=True)
    pack.keep("breathing.opening", pack.file_for("breathing.opening"), "words", 1.0)
    before = pack.index_path.read_bytes()
    script = ("import os, sys; from companion.voice import VoicePack;"
              "os.replace = lambda *a: os._exit(9);"
              "p = VoicePack.open(sys.argv[1]); p.keep('breathing.closing', p.file_for('x'), 'w', 1.0)")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "pack")])
    assert done.returncode == 9
    assert pack.index_path.read_bytes() == before
    assert yaml.safe_load(before)["takes"]["breathing.opening"]["text"] == "words"


def test_opening_a_folder_that_is_not_a_pack_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(VoicePackError, match="companion voice record"):
        VoicePack.open(tmp_path)


PLAYLIST = """\
name: With a voice
voice: pack
phases:
  - name: Settling
    minutes: 10
    tracks:
      - builtin: brown-noise
"""


def test_check_warns_when_the_playlists_voice_pack_lacks_lines(tmp_path: Path) -> None:
    from companion.playlist.checker import check_playlist

    playlist = tmp_path / "p.yaml"
    playlist.write_text(PLAYLIST)
    [problem] = check_playlist(playlist)
    assert problem.severity == "warning" and problem.line == 2
    assert "not a voice pack" in problem.message
    VoicePack.open(tmp_path / "pack", create=True)
    [problem] = check_playlist(playlist)
    assert "lacks 39 of 39 lines (first: breathing.opening)" in problem.message
    assert "companion voice record" in problem.message


def run_cli(*args: str) -> subprocess.CompletedProcess:
    launch = ("import companion.cli as c; c.COMMANDS.setdefault('voice', 'voice'); "
              "raise SystemExit(c.main())")
    return subprocess.run([sys.executable, "-c", launch, *args], capture_output=True, text=True,
                          timeout=60)


def test_voice_check_lists_what_is_missing_and_exits_1(tmp_path: Path) -> None:
    pack = VoicePack.open(tmp_path / "pack", create=True)
    items = select(prompts(Wording()), "grounding")
    for prompt in items[1:]:
        path = pack.file_for(prompt.key)
        path.write_bytes(b"RIFF")
        pack.keep(prompt.key, path, prompt.text, 2.0)
    done = run_cli("voice", "check", str(tmp_path / "pack"), "--only", "grounding")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [f"{items[0].key}: missing: {items[0].text!r}"]
    done = run_cli("voice", "check", str(tmp_path / "pack"), "--only", "grounding.see")
    assert (done.returncode, done.stdout.strip()) == (0, f"{tmp_path / 'pack'}: all 2 lines recorded")


def test_voice_check_of_a_folder_that_is_not_a_pack_is_an_error(tmp_path: Path) -> None:
    done = run_cli("voice", "check", str(tmp_path))
    assert done.returncode == 2 and "not a voice pack" in done.stderr
