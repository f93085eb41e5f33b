"""A playlist words each grounding step for its room; a line that would show wrongly is caught
with its file and line, and the bundled KAP playlist's taste step suits a lozenge."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion import paths
from companion.errors import PlaylistError
from companion.grounding import step_line
from companion.playlist import check_playlist, load_playlist
from companion.wording import Wording, line_fields, may_be_blank
from tests.playlist.helpers import located, write

HEAD = "name: x\nphases: [{name: a, minutes: 1}]\nwording:\n"
KAP = paths.bundled_playlists_dir() / "kap-sublingual-2h.yaml"


@pytest.mark.parametrize(("line", "expected"), [
    ('  grounding.taste.prompt: ""\n',
     "4:27: `grounding.taste.prompt` is empty; write its words, or leave the key out to keep "
     "Companion's own line"),
    ("  grounding.taste.sitter: ~\n",
     "4:27: `grounding.taste.sitter` is empty; write its words, or leave the key out to keep "
     "Companion's own line"),
    ('  grounding.step: "Step {nmber} of {total}"\n',
     "4:19: `grounding.step` has `{nmber}`, which Companion does not fill here (this line takes "
     "{number}, {total}); did you mean `number`?"),
    ('  grounding.taste.hint: "A sip of {drink}"\n',
     "4:25: `grounding.taste.hint` has `{drink}`, but Companion fills nothing in this line; "
     "remove the braces"),
    ('  grounding.progress: "{noticed of {count}"\n',
     "4:23: `grounding.progress` has a `{` or `}` without its pair; Companion fills fields "
     "written like {number}"),
])
def test_a_wording_line_that_would_show_wrongly_is_reported_at_its_line(
        tmp_path: Path, line: str, expected: str) -> None:
    path = write(tmp_path, HEAD + line)
    assert located(check_playlist(path)) == [expected]
    with pytest.raises(PlaylistError) as caught:
        load_playlist(path)
    assert f"{path}:{expected.split(': ', 1)[0]}" in str(caught.value)


def test_hints_may_be_blank_and_fields_may_be_reworded(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + '  grounding.taste.sitter_hint: ""\n'
                 '  grounding.taste.hint: ""\n'
                 '  grounding.step: "{number} / {total}"\n'
                 "  grounding.taste.name: 1984\n")
    assert check_playlist(path) == []
    wording = Wording.for_playlist(load_playlist(path))
    assert step_line(wording, "taste", "hint", "sitter") == ""
    assert wording.get("grounding.step", number=5, total=5) == "5 / 5"


def test_a_yaml_null_is_no_value_never_the_text_tilde(tmp_path: Path) -> None:
    path = write(tmp_path, "name: x\ndescription: ~\nphases: [{name: a, minutes: 1}]\n"
                 "wording:\n  grounding.taste.hint: null\n")
    playlist = load_playlist(path)
    assert playlist.description == "" and playlist.wording["grounding.taste.hint"] == ""
    titled = write(tmp_path, "name: ~\nphases: [{name: a, minutes: 1}]\n", "t.yaml")
    assert located(check_playlist(titled)) == ["1:7: `name` has no value"]


def test_line_fields_and_blank_lines() -> None:
    assert line_fields("Step {number} of {total}") == {"number", "total"}
    assert line_fields("plain words") == set()
    with pytest.raises(ValueError):
        line_fields("Step {number")
    assert may_be_blank("grounding.taste.hint") and may_be_blank("grounding.taste.sitter_hint")
    assert may_be_blank("breathing.ui.picker_hint") and not may_be_blank("grounding.taste.prompt")


def test_every_grounding_step_has_a_sitter_hint_in_english_and_spanish() -> None:
    for lang in ("en", "es"):
        wording = Wording(lang)
        for sense in ("see", "hear", "feel", "smell", "taste"):
            assert wording.lookup(f"grounding.{sense}.sitter_hint"), (lang, sense)


def test_in_a_session_the_taste_hint_offers_nothing_by_mouth_at_home_water_or_a_mint() -> None:
    plain = Wording("en")
    sitter = step_line(plain, "taste", "hint", "sitter")
    assert "offer nothing to eat or drink" in sitter and "mint" not in sitter
    assert "water or a mint" in step_line(plain, "taste", "hint", "client")


def test_the_kap_playlist_words_the_taste_step_for_a_lozenge() -> None:
    wording = Wording.for_playlist(load_playlist(KAP))
    assert step_line(wording, "taste", "prompt", "sitter") == (
        "And last, what is one thing you can taste, just as your mouth is now?")
    hint = step_line(wording, "taste", "hint", "sitter")
    assert "lozenge" in hint and "No water or mint" in hint
    # The same playlist used at home (`companion ground --playlist`) keeps the client's lines.
    assert step_line(wording, "taste", "hint", "client") == Wording("en").get(
        "grounding.taste.hint")


def test_rewriting_only_the_shared_hint_changes_both_modes() -> None:
    mine = Wording("en", {"grounding.taste.hint": "Notice your mouth."})
    assert step_line(mine, "taste", "hint", "sitter") == "Notice your mouth."
    both = Wording("en", {"grounding.taste.hint": "At home.", "grounding.taste.sitter_hint": "Here."})
    assert (step_line(both, "taste", "hint", "sitter"), step_line(both, "taste", "hint", "client")) \
        == ("Here.", "At home.")
