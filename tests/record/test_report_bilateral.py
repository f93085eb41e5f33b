"""The report's table of bilateral stimulation sets, with the SUD before and after each."""

from __future__ import annotations

from companion.bilateral import BilateralSession, ClockAudio
from companion.clock import FakeClock
from companion.record import SessionRecord, read_events
from companion.record.report import describe, episodes, to_markdown
from tests.record.conftest import Wall


def test_report_lists_each_bls_set_with_its_sud_before_and_after(tmp_path):
    mono = FakeClock()
    record = SessionRecord.start(tmp_path, playlist_name="EMDR", playlist_hash="ab" * 32,
                                 monotonic=mono, wall=Wall())
    session = BilateralSession(ClockAudio(mono), clock=mono,
                               on_event=lambda kind, fields: record.append(kind, **fields))
    session.rate_sud(8)
    session.start()
    for _ in range(260):
        mono.advance(0.05)
        session.poll()
    mono.advance(5.0)
    session.rate_sud(5)
    mono.advance(5.0)
    session.set_speed(1.5)
    session.start()
    mono.advance(2.0)
    session.poll()
    session.stop()
    mono.advance(0.1)
    session.poll()
    mono.advance(5.0)
    session.rate_sud(3)
    record.end()
    result = read_events(record.path)
    sets = [r for r in episodes(result) if r.kind == "bilateral"]
    assert [(r.before.value, r.after.value) for r in sets] == [(8, 5), (5, 3)]
    assert [r.outcome for r in sets] == ["completed, 24 passes", "stopped early, 6 passes"]
    text = to_markdown(result)
    assert "## Bilateral stimulation sets" in text
    assert "| Started | Set | Length | Outcome | SUD before | SUD after |" in text
    assert "processing, 1.0 cycles/s" in text and "processing, 1.5 cycles/s" in text
    started = next(e for e in result.events if e.type == "bilateral_started")
    assert describe(started) == "BLS set 1 started: processing, 1.0 cycles/s"


def test_report_has_no_bls_section_when_no_set_ran(tmp_path):
    mono = FakeClock()
    record = SessionRecord.start(tmp_path, playlist_name="KAP", playlist_hash="ab" * 32,
                                 monotonic=mono, wall=Wall())
    record.end()
    assert "Bilateral" not in to_markdown(read_events(record.path))
