"""At home: `ground --help` and `breathe --help` speak to a client first, and `ground` ends
with a kind line that says what was kept and where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from companion import cli
from companion.commands.ground import closing_lines
from companion.wording import Wording


def help_text(command: str, capsys: pytest.CaptureFixture[str],
              monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as exit_info:
        cli.main([command, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(("command", "client", "advanced", "stop"), [
    ("ground", ["--journal", "--no-rating", "--lang"],
     ["--playlist", "--voice", "--pause", "--audio"], "press Esc twice"),
    ("breathe", ["--cycles", "--minutes", "--list", "--no-sound", "--reduced-motion", "--rate",
                 "--lang"], ["--playlist", "--voice", "--audio"], "Esc stops gently"),
])
def test_help_speaks_to_a_client_first_and_puts_backends_under_advanced(
        command: str, client: list[str], advanced: list[str], stop: str,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    text = help_text(command, capsys, monkeypatch)
    usage_end = text.index("\n\n")
    options, _, rest = text[usage_end:].partition("\nadvanced:\n")
    assert rest.lstrip().startswith("usually set up with your clinician")
    for flag in client:
        assert f"  {flag}" in options, flag
        assert f"  {flag}" not in rest, flag
    for flag in advanced:
        assert f"  {flag}" in rest, flag
        assert f"  {flag}" not in options, flag
    # What it is and how to stop come before any option.
    assert text.index(stop) < text.index("options:")
    assert all(len(line) <= 80 for line in text.splitlines()), text


def test_ground_help_says_nothing_is_stored_without_the_journal(capsys, monkeypatch) -> None:
    assert "Nothing is stored unless you add --journal." in help_text("ground", capsys,
                                                                      monkeypatch)


SUMMARY = {"mode": "client", "lang": "en", "items": {"see": 5}, "words": {"see": ["the lamp"]},
           "skipped": [], "all_steps": False, "duration": 40.0, "rating_before": 6,
           "rating_after": 3}


def test_ground_without_the_journal_ends_kindly_and_says_nothing_was_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))
    lines = closing_lines(Wording("en"), SUMMARY, keep=False)
    assert lines == [
        "Thank you for taking this time for yourself. Come back to it whenever you need.",
        "Nothing was stored on this machine: what you noticed stays with you.",
        "To keep it in a private journal next time: companion ground --journal"]
    assert not (tmp_path / "data").exists()


def test_ground_left_at_once_still_ends_kindly(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))
    lines = closing_lines(Wording("en"), None, keep=True)
    assert lines[0].startswith("Thank you") and lines[1].startswith("Nothing was stored")
    assert len(lines) == 2 and not (tmp_path / "data").exists()


@pytest.mark.parametrize(("changes", "kept"), [
    ({}, "what you wrote, your ratings and the steps you did"),
    ({"rating_before": None, "rating_after": None}, "what you wrote and the steps you did"),
    ({"words": {}}, "your ratings and the steps you did"),
    ({"words": {}, "rating_before": None, "rating_after": None}, "the steps you did"),
])
def test_ground_with_the_journal_says_what_was_kept_and_where(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changes: dict, kept: str) -> None:
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))
    lines = closing_lines(Wording("en"), {**SUMMARY, **changes}, keep=True)
    journal = tmp_path / "data" / "journal" / "journal.jsonl"
    assert lines[1] == f"Kept in your private journal, readable by you alone: {kept}."
    assert lines[2] == f"It is in {journal}; `companion journal` shows it."
    entry = json.loads(journal.read_text(encoding="utf-8"))
    assert entry["kind"] == "grounding" and entry["duration"] == 40.0


def test_ground_ends_in_spanish_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))
    lines = closing_lines(Wording("es"), SUMMARY, keep=True)
    assert lines[0].startswith("Gracias") and lines[1].startswith("Guardado en tu diario")
