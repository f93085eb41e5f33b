"""The real-world YAML of ../shared/testdata: every document gets positioned messages, no traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from companion.playlist import check_playlist

TESTDATA = Path(__file__).resolve().parents[3] / "shared" / "testdata"
if not TESTDATA.is_dir():
    TESTDATA = Path("/work/shared/testdata")
ERRORS = sorted((TESTDATA / "yaml-errors").glob("*.yaml"))
VALID = sorted((TESTDATA / "yaml-valid").glob("*.yaml"))
ABSENT = "../shared/testdata is absent (a user's clone): the real-world inputs are not here"
# Where the first message differs from NOTES.md's (which loads every document of a stream and
# constructs tags): 9HCY and QLJ7 hold two documents, and a playlist is one; U99R composes
# fine and fails as a non-playlist.
OWN_FIRST_MESSAGE = {"9HCY.yaml", "QLJ7.yaml", "U99R.yaml"}


def _positions_and_notes(folder: str) -> dict[str, tuple[int, int]]:
    """PyYAML's first complaint per file, from the folder's NOTES.md table."""
    notes = (TESTDATA / folder / "NOTES.md").read_text(encoding="utf-8")
    found = re.findall(r"^\| (\S+\.yaml) \|.*\| (\d+):(\d+) \|", notes, re.MULTILINE)
    return {name: (int(line), int(column)) for name, line, column in found}


@pytest.mark.skipif(not ERRORS, reason=ABSENT)
@pytest.mark.parametrize("path", ERRORS, ids=lambda p: p.name)
def test_real_world_invalid_yaml_gives_located_messages(path):
    problems = check_playlist(path)
    assert problems, "an invalid document must give at least one message"
    assert all(re.match(rf"{re.escape(str(path))}:\d+:\d+: \S", str(p)) for p in problems)
    if path.name not in OWN_FIRST_MESSAGE:
        expected = _positions_and_notes("yaml-errors")[path.name]
        assert problems[0].message.startswith("YAML syntax: ")
        assert (problems[0].line, problems[0].column) == expected


@pytest.mark.skipif(not VALID, reason=ABSENT)
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_real_world_valid_yaml_gives_schema_messages_not_syntax_errors(path):
    problems = check_playlist(path)
    assert problems, "none of these is a playlist"
    assert not any(p.message.startswith("YAML syntax") for p in problems)
    assert all(p.line >= 1 and p.column >= 1 and "\n" not in str(p) for p in problems)
