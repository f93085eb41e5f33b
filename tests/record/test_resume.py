"""Interrupted sessions: found, and resumed in the same file with their clocks intact."""

from __future__ import annotations

import pytest

from companion.clock import FakeClock
from companion.errors import RecordError
from companion.record import SessionRecord, find_interrupted, read_events


def crashed_session(directory, mono, wall) -> SessionRecord:
    record = SessionRecord.start(directory, playlist_name="P", playlist_hash="h",
                                 client_code="R1", monotonic=mono, wall=wall)
    mono.advance(600)
    record.mark_dose()
    mono.advance(300)
    record.append("phase_changed", index=1, name="Onset")
    record.close()  # the process dies here: no session_ended
    return record


def test_resumed_session_continues_its_clock_and_dose_time(tmp_path, mono, wall) -> None:
    record = crashed_session(tmp_path, mono, wall)
    assert find_interrupted(tmp_path) == [record.path]

    # The laptop restarts four minutes after the last event (new monotonic clock).
    wall.advance(900 + 240)
    resumed = SessionRecord.resume(record.path, monotonic=FakeClock(5.0), wall=wall)
    assert resumed.path == record.path
    assert resumed.clock.elapsed() == pytest.approx(1140)
    assert resumed.dose_elapsed == 600
    assert resumed.since_dose() == pytest.approx(540)
    assert resumed.clock.started_at == wall.at.__class__(2026, 11, 25, 13, 0,
                                                          tzinfo=wall.at.tzinfo)
    event = resumed.events[-1]
    assert event.type == "session_resumed"
    assert event.get("last_elapsed") == 900 and event.get("gap") == pytest.approx(240)
    assert resumed.last("phase_changed").get("name") == "Onset"

    resumed.append("note", tag="other", text="back")
    resumed.end()
    result = read_events(record.path)
    assert [e.type for e in result.events] == [
        "session_started", "dose_marked", "phase_changed", "session_resumed", "note",
        "session_ended"]
    assert result.events[-1].get("dose_elapsed") == 600
    assert find_interrupted(tmp_path) == []


def test_resume_cuts_a_torn_last_line_and_keeps_its_text(tmp_path, mono, wall) -> None:
    record = crashed_session(tmp_path, mono, wall)
    with open(record.path, "ab") as handle:
        handle.write(b'{"t":"2026-11-25T13:15:00.000+00:00","elapsed":900.0,"type":"no')
    before = read_events(record.path)
    assert before.torn_tail is not None and before.torn_tail.line == 4
    resumed = SessionRecord.resume(record.path, monotonic=FakeClock(), wall=wall)
    assert resumed.events[-1].get("torn_tail").endswith('"type":"no')
    result = read_events(record.path)
    assert result.torn_tail is None
    assert [e.type for e in result.events][-2:] == ["phase_changed", "session_resumed"]


def test_resume_keeps_a_complete_line_that_lost_only_its_newline(tmp_path, mono, wall) -> None:
    record = crashed_session(tmp_path, mono, wall)
    with open(record.path, "ab") as handle:
        handle.write(b'{"t":"2026-11-25T13:15:00.000+00:00","elapsed":901.0,"type":"paused"}')
    resumed = SessionRecord.resume(record.path, monotonic=FakeClock(), wall=wall)
    assert "torn_tail" not in resumed.events[-1].fields
    types = [e.type for e in read_events(record.path).events]
    assert types[-2:] == ["paused", "session_resumed"]


def test_an_ended_session_cannot_be_resumed(tmp_path, mono, wall) -> None:
    record = SessionRecord.start(tmp_path, playlist_name="P", playlist_hash="h",
                                 monotonic=mono, wall=wall)
    record.end()
    with pytest.raises(RecordError, match="ended"):
        SessionRecord.resume(record.path)


def test_find_interrupted_ignores_files_without_a_complete_first_event(tmp_path) -> None:
    (tmp_path / "2026-01-01_00-00-00.jsonl").write_bytes(b'{"t":"2026')
    (tmp_path / "notes.txt").write_text("not a session")
    assert find_interrupted(tmp_path) == []
    assert find_interrupted(tmp_path / "missing") == []


def test_reader_rejects_a_damaged_line_that_is_not_the_last(tmp_path, mono, wall) -> None:
    record = crashed_session(tmp_path, mono, wall)
    lines = record.path.read_bytes().splitlines(keepends=True)
    lines[1] = b'{"t": broken\n'
    record.path.write_bytes(b"".join(lines))
    with pytest.raises(RecordError, match=r":2: not a session event"):
        read_events(record.path)


@pytest.mark.parametrize("line", [
    b'[1, 2]\n', b'{"t":"x","type":"note"}\n', b'{"t":"x","elapsed":"1","type":"note"}\n',
    b'\n', b'\xff\xfe\n',
])
def test_reader_rejects_lines_that_are_not_events(tmp_path, mono, wall, line) -> None:
    record = crashed_session(tmp_path, mono, wall)
    with open(record.path, "ab") as handle:
        handle.write(line)
    with pytest.raises(RecordError, match=":4:"):
        read_events(record.path)


def test_a_session_ended_with_a_very_long_note_is_not_interrupted(tmp_path, mono, wall) -> None:
    record = SessionRecord.start(tmp_path, playlist_name="P", playlist_hash="h",
                                 monotonic=mono, wall=wall)
    record.end("calm " * 20000)
    assert find_interrupted(tmp_path) == []


def test_a_session_still_running_is_neither_offered_nor_resumed(tmp_path, mono, wall) -> None:
    record = SessionRecord.start(tmp_path, playlist_name="P", playlist_hash="h",
                                 monotonic=mono, wall=wall)
    assert find_interrupted(tmp_path) == []
    with pytest.raises(RecordError, match="another Companion window"):
        SessionRecord.resume(record.path)
    record.close()
    assert find_interrupted(tmp_path) == [record.path]
    SessionRecord.resume(record.path, monotonic=FakeClock(), wall=wall).end()
    assert find_interrupted(tmp_path) == []
