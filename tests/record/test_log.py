"""SessionRecord: the file, its permissions and name, listeners, and failures of fsync."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from companion import __version__
from companion.record import SessionRecord, WriteStatus, read_events, safe_client_code
from companion.record import log as record_log


def start(directory: Path, mono, wall, **kwargs) -> SessionRecord:
    return SessionRecord.start(directory, playlist_name="Gentle default",
                               playlist_hash="ab" * 32, monotonic=mono, wall=wall, **kwargs)


def test_first_event_records_version_playlist_client_code_and_intention(
        tmp_path, mono, wall) -> None:
    record = start(tmp_path, mono, wall, client_code="K-07", intention="to rest")
    first = json.loads(record.path.read_text().splitlines()[0])
    assert first["type"] == "session_started" and first["elapsed"] == 0
    assert first["app_version"] == __version__
    assert first["playlist_name"] == "Gentle default" and first["playlist_hash"] == "ab" * 32
    assert first["client_code"] == "K-07" and first["intention"] == "to rest"
    assert first["started_at"] == "2026-11-25T13:00:00+00:00"
    assert "+" in first["t"][19:] or "-" in first["t"][19:] or first["t"].endswith("Z")


def test_client_code_is_optional(tmp_path, mono, wall) -> None:
    record = start(tmp_path, mono, wall)
    first = read_events(record.path).events[0]
    assert "client_code" not in first.fields and "intention" not in first.fields


def test_every_event_has_local_time_with_offset_and_elapsed_seconds(
        tmp_path, mono, wall) -> None:
    record = start(tmp_path, mono, wall)
    mono.advance(90.5)
    event = record.append("volume_changed", volume=40, previous=50)
    line = json.loads(record.path.read_text().splitlines()[-1])
    assert line == {"t": event.t, "elapsed": 90.5, "type": "volume_changed", "volume": 40,
                    "previous": 50}
    from datetime import datetime
    stamp = datetime.fromisoformat(line["t"])
    assert stamp.utcoffset() is not None
    assert stamp.timestamp() == pytest.approx(wall.at.timestamp() + 90.5, abs=0.001)


def test_files_are_private(tmp_path, mono, wall) -> None:
    record = start(tmp_path / "sessions", mono, wall)
    assert stat.S_IMODE(record.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(record.path.parent.stat().st_mode) == 0o700


def test_file_name_has_start_time_and_safe_client_code(tmp_path, mono, wall) -> None:
    record = start(tmp_path, mono, wall, client_code="Zoë / K:07*")
    local = wall.at.astimezone().strftime("%Y-%m-%d_%H-%M-%S")
    assert record.path.name == f"{local}_Zoe-K-07.jsonl"


def test_two_sessions_in_the_same_second_get_two_files(tmp_path, mono, wall) -> None:
    first = start(tmp_path, mono, wall, client_code="A1")
    second = start(tmp_path, mono, wall, client_code="A1")
    assert first.path != second.path and second.path.stem.endswith("-2")


@pytest.mark.parametrize(("code", "safe"), [
    ("K07", "K07"),
    ("k 07", "k-07"),
    ("../../etc/passwd", "etc-passwd"),
    ("CON", "CON"),
    ("Zoë", "Zoe"),
    ("名前", ""),
    ("a" * 50, "a" * 32),
    (None, ""),
    ("  --x--  ", "x"),
])
def test_safe_client_code(code, safe) -> None:
    assert safe_client_code(code) == safe


def test_listeners_hear_every_event(tmp_path, mono, wall) -> None:
    record = start(tmp_path, mono, wall)
    heard = []
    unsubscribe = record.subscribe(heard.append)
    record.append("paused")
    record.mark_dose()
    unsubscribe()
    record.append("resumed")
    assert [e.type for e in heard] == ["paused", "dose_marked"]


def test_a_failing_listener_does_not_stop_the_record(tmp_path, mono, wall) -> None:
    record = start(tmp_path, mono, wall)

    def broken(item) -> None:
        raise RuntimeError("screen gone")

    heard = []
    record.subscribe(broken)
    record.subscribe(heard.append)
    record.append("paused")
    assert [e.type for e in heard] == ["paused"]
    assert read_events(record.path).events[-1].type == "paused"


def test_field_names_may_not_shadow_the_envelope(tmp_path, mono, wall) -> None:
    record = start(tmp_path, mono, wall)
    with pytest.raises(ValueError):
        record.append("note", t="x")


def test_dose_time_and_since_dose(tmp_path, mono, wall) -> None:
    record = start(tmp_path, mono, wall)
    assert record.dose_elapsed is None and record.since_dose() is None
    mono.advance(600)
    record.mark_dose(note="lozenge")
    mono.advance(120)
    assert record.dose_elapsed == 600 and record.since_dose() == 120


def test_notes_store_tag_text_and_vitals_as_numbers(tmp_path, mono, wall) -> None:
    from companion.record import EXAMPLE_RANGES

    record = start(tmp_path, mono, wall)
    record.add_note("vitals", "BP 150/84 HR 78", vitals_ranges=EXAMPLE_RANGES)
    record.add_note("client's words", "It feels like floating")
    notes = [e for e in read_events(record.path).events if e.type == "note"]
    assert notes[0].fields == {"tag": "vitals", "text": "BP 150/84 HR 78",
                               "vitals": {"systolic": 150, "diastolic": 84, "hr": 78,
                                          "marks": {"systolic": "high"}}}
    assert notes[1].fields == {"tag": "client_words", "text": "It feels like floating"}
    with pytest.raises(ValueError):
        record.add_note("diagnosis", "x")


def test_end_writes_session_ended_and_closes(tmp_path, mono, wall) -> None:
    record = start(tmp_path, mono, wall)
    mono.advance(7200)
    status = record.end("calm close")
    assert status == WriteStatus(ok=True)
    result = read_events(record.path)
    assert result.ended and result.events[-1].get("note") == "calm close"
    assert result.events[-1].elapsed == 7200


def test_failed_fsync_rewrites_the_event_exactly_once(tmp_path, mono, wall, monkeypatch) -> None:
    """After fsync fails the page cache cannot be trusted: cut back and write again."""
    record = start(tmp_path, mono, wall)
    real_fsync = os.fsync
    failures = iter([True])

    def flaky_fsync(fd: int) -> None:
        if next(failures, False):
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(record_log.os, "fsync", flaky_fsync)
    statuses = []
    record.subscribe(lambda item: statuses.append(item) if isinstance(item, WriteStatus) else None)
    record.append("paused")
    assert record.status == WriteStatus(ok=False, unwritten=2, error="Input/output error")
    assert [e.type for e in read_events(record.path).events] == ["session_started"]
    record.append("resumed")
    types = [e.type for e in read_events(record.path).events]
    assert types == ["session_started", "paused", "write_error", "resumed", "write_recovered"]
    assert statuses[0].ok is False and statuses[-1] == WriteStatus(ok=True)


def test_an_unwritable_directory_never_raises_and_retry_writes_later(
        tmp_path, mono, wall) -> None:
    blocker = tmp_path / "sessions"
    blocker.write_text("a file where the folder should be")
    record = start(blocker / "inner", mono, wall)
    record.append("paused")
    assert not record.status.ok and record.status.unwritten == 3
    blocker.unlink()
    assert record.retry() is True
    types = [e.type for e in read_events(record.path).events]
    assert types == ["session_started", "write_error", "paused", "write_recovered"]


def test_a_field_json_cannot_hold_is_refused_at_once_and_blocks_nothing(
        tmp_path, mono, wall) -> None:
    record = start(tmp_path, mono, wall)
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError):
        record.append("note", tag="other", text="x", extra=loop)
    record.append("track_started", title="Opening", file=tmp_path / "01.flac")
    last = read_events(record.path).events[-1]
    assert record.status.ok and last.get("file") == str(tmp_path / "01.flac")


def test_listeners_hear_the_event_then_the_write_error_then_the_status(
        tmp_path, mono, wall, monkeypatch) -> None:
    record = start(tmp_path, mono, wall)
    heard = []
    record.subscribe(heard.append)

    def full(fd: int, data) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(record_log.os, "write", full)
    record.append("paused")
    assert [getattr(item, "type", item) for item in heard] == [
        "paused", "write_error",
        WriteStatus(ok=False, unwritten=2, error="No space left on device")]
    assert heard[1].fields == {"error": "No space left on device", "unwritten": 1,
                               "errno": "ENOSPC"}
    assert "NOT saved" in record.status.describe()
    monkeypatch.undo()
    heard.clear()
    assert record.retry() is True
    assert [getattr(item, "type", item) for item in heard] == [WriteStatus(ok=True),
                                                                "write_recovered"]


def test_appends_from_several_threads_all_land_whole(tmp_path, mono, wall) -> None:
    import threading

    record = start(tmp_path, mono, wall)

    def write(worker: int) -> None:
        for number in range(50):
            record.append("note", tag="other", text=f"{worker}-{number}")

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    texts = [e.get("text") for e in read_events(record.path).events if e.type == "note"]
    assert sorted(texts) == sorted(f"{w}-{n}" for w in range(4) for n in range(50))
    for worker in range(4):
        mine = [t for t in texts if t.startswith(f"{worker}-")]
        assert mine == [f"{worker}-{n}" for n in range(50)]
