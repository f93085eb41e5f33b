"""The client's private journal: 0600 on disk, entries read back in order, and `companion journal`."""

from __future__ import annotations

import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from companion.cli import main
from companion.journal import JOURNAL_NAME, append_entry, get_entry, journal_path, read_entries

SUMMARY = {
    "mode": "client", "lang": "en",
    "items": {"see": 5, "hear": 4, "feel": 3, "smell": 0, "taste": 1},
    "words": {"see": ["the lamp", "blue cup"], "taste": ["mint"]},
    "skipped": ["smell"], "all_steps": False, "duration": 125.4,
    "rating_before": 7, "rating_after": 3,
}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_journal_file_and_folder_are_private(data_dir: Path) -> None:
    append_entry("grounding", SUMMARY)
    path = data_dir / "journal" / JOURNAL_NAME
    assert journal_path() == path
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700 and mode(data_dir) == 0o700


def test_a_loosened_journal_is_made_private_again(data_dir: Path) -> None:
    append_entry("grounding", SUMMARY)
    journal_path().chmod(0o644)
    append_entry("grounding", SUMMARY)
    assert mode(journal_path()) == 0o600


def test_entries_are_read_back_oldest_first_with_numbers(data_dir: Path) -> None:
    start = datetime(2026, 11, 25, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    first = append_entry("grounding", SUMMARY, now=start)
    second = append_entry("grounding", {**SUMMARY, "rating_after": 1},
                          now=start + timedelta(days=1))
    assert (first.number, second.number) == (1, 2)
    entries = read_entries()
    assert [e.number for e in entries] == [1, 2]
    assert entries[0].t == start and entries[0].t.utcoffset() == timedelta(hours=-5)
    assert entries[0].kind == "grounding"
    assert entries[0].data["words"] == SUMMARY["words"]
    assert entries[1].data["rating_after"] == 1
    assert get_entry(2) == entries[1] and get_entry(3) is None and get_entry(0) is None


def test_no_journal_means_no_entries(data_dir: Path) -> None:
    assert read_entries() == []


def test_a_line_cut_off_by_a_crash_is_skipped_and_cannot_swallow_the_next(
        data_dir: Path) -> None:
    append_entry("grounding", SUMMARY)
    with journal_path().open("a", encoding="utf-8") as handle:
        handle.write('{"t": "2026-11-25T10:00:00+00:00", "kind": "grou')
    append_entry("grounding", {**SUMMARY, "rating_before": 9})
    entries = read_entries()
    assert [e.data["rating_before"] for e in entries] == [7, 9]
    assert [e.number for e in entries] == [1, 2]


def test_words_in_any_language_survive(data_dir: Path) -> None:
    append_entry("grounding", {**SUMMARY, "words": {"see": ["lámpara", "猫"]}})
    assert read_entries()[0].data["words"]["see"] == ["lámpara", "猫"]
    assert "lámpara" in journal_path().read_text(encoding="utf-8")


def test_journal_command_lists_entries(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["journal"]) == 0
    assert "Your journal is empty" in capsys.readouterr().out
    append_entry("grounding", SUMMARY, now=datetime(2026, 11, 25, 9, 30).astimezone())
    assert main(["journal"]) == 0
    out = capsys.readouterr().out
    assert "   1  2026-11-25 09:30  grounding" in out
    assert "noticed 5·4·3·0·1" in out and "skipped smell" in out and "distress 7 → 3" in out


def test_journal_show_gives_the_whole_entry(data_dir: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    append_entry("grounding", SUMMARY)
    append_entry("grounding", {**SUMMARY, "lang": "es", "words": {"see": ["taza"]}})
    assert main(["journal", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Entry 1")
    assert "See:" in out and "the lamp; blue cup" in out and "Taste:" in out and "mint" in out
    assert "Smell:" in out and "(skipped)" in out
    assert "Distress 7 → 3" in out and "Took 2 min 05 s" in out
    assert main(["journal", "show", "last"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Entry 2") and "Ver:" in out and "taza" in out


@pytest.mark.parametrize("number", ["3", "0", "two"])
def test_journal_show_of_a_missing_entry_says_which_exist(
        data_dir: Path, capsys: pytest.CaptureFixture[str], number: str) -> None:
    append_entry("grounding", SUMMARY)
    assert main(["journal", "show", number]) == 2
    assert "choose 1 to 1" in capsys.readouterr().err
