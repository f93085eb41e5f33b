"""Corrections through the session controller: the screen, the dose clock and the plan follow."""

from __future__ import annotations

import pytest

from companion.plan import PlanError
from companion.session import AudioSetup, resume_session
from tests.test_session_plan import events, run, start
from tests.ui.fakes import FakeEngine


def _line(controller, kind: str) -> int:
    controller.flush()
    return next(line for line, e in controller.correctable() if e.type == kind)


def test_striking_the_dose_stops_the_since_dose_clock_and_the_plan_waits_again(tmp_path):
    controller, _engine, clock = start(tmp_path)
    run(controller, clock, 30)
    controller.mark_dose()  # by mistake, at 30 s
    run(controller, clock, 20)
    assert controller.view().since_dose == pytest.approx(20)
    assert controller.tracker.status("dose+0.25:vitals").state == "due"
    controller.correct(_line(controller, "dose_marked"), "strike", reason="d by mistake")
    run(controller, clock, 1)
    view = controller.view()
    assert view.since_dose is None and not controller.dose_marked
    assert controller.tracker.dose_elapsed is None
    waiting = controller.tracker.status("dose+0.25:vitals")
    assert waiting.state == "upcoming" and waiting.due_at is None  # until a dose is marked
    assert controller.record.dose_elapsed is None
    assert any("[struck" in line for line in controller.log_lines())


def test_a_dose_time_corrected_moves_the_clock_and_the_schedule(tmp_path):
    controller, _engine, clock = start(tmp_path)
    run(controller, clock, 120)
    controller.mark_dose()  # marked at 120 s; the lozenge went in a minute before
    run(controller, clock, 1)
    moment = controller.correct_moment(_line(controller, "dose_marked"), "1 min ago")
    assert moment == pytest.approx(61)
    run(controller, clock, 1)
    assert controller.view().since_dose == pytest.approx(61)
    assert controller.tracker.dose_elapsed == pytest.approx(61)
    assert controller.tracker.due_at(controller.tracker.item("dose+0.25:vitals")) == \
        pytest.approx(76)
    with pytest.raises(ValueError, match="not a time"):
        controller.correct_moment(_line(controller, "dose_marked"), "earlier")


def test_a_struck_ready_to_leave_is_no_longer_ready(tmp_path):
    controller, _engine, clock = start(tmp_path)
    controller.mark_dose()
    run(controller, clock, 5)
    controller.ready_to_leave()
    run(controller, clock, 1)
    assert controller.view().ready_elapsed is not None
    controller.correct(_line(controller, "ready_to_leave"), "strike")
    controller.flush()  # written, and the plan has replayed the record
    assert controller.view().ready_elapsed is None
    assert controller.tracker.ready_elapsed is None
    # Before-leaving checks fall due at the end of the minimum observation again.
    leaving = controller.tracker.status("leaving:vitals")
    assert leaving.due_at == controller.tracker.observation_ends()


def test_a_corrected_vitals_reading_is_marked_again_against_the_ranges(tmp_path):
    controller, _engine, clock = start(tmp_path)
    controller.tracker.done("start+0:vitals", {"systolic": "15095", "diastolic": "95",
                                               "hr": "88"})
    run(controller, clock, 1)
    line = _line(controller, "vitals_done")
    controller.correct_vitals(line, {"systolic": "130", "diastolic": "95", "hr": "88"},
                              reason="typo")
    run(controller, clock, 1)
    fixed = [e for _, e in controller.correctable() if e.type == "vitals_done"][0]
    assert fixed.get("values")["systolic"] == 130 and "marks" not in fixed.fields
    assert fixed.get("original")["marks"] == {"systolic": "high"}
    assert controller.tracker.status("start+0:vitals").state == "done"  # still done
    assert "BP 130/95 HR 88 (corrected)" in [n.text for n in controller.view().notes]
    with pytest.raises(PlanError, match="no values"):
        controller.correct_vitals(line, {"systolic": ""})


def test_a_struck_vitals_check_is_due_again(tmp_path):
    controller, _engine, clock = start(tmp_path)
    controller.tracker.done("start+0:vitals", {"systolic": "120", "diastolic": "80"})
    run(controller, clock, 1)
    controller.correct(_line(controller, "vitals_done"), "strike", reason="wrong client")
    controller.flush()
    assert controller.tracker.status("start+0:vitals").state in ("due", "overdue")


def test_a_note_is_corrected_and_its_vitals_read_again(tmp_path):
    controller, _engine, clock = start(tmp_path)
    controller.add_note("observation", "calm, HR 880")
    run(controller, clock, 1)
    controller.correct_note(_line(controller, "note"), "calm, HR 88")
    run(controller, clock, 1)
    (note,) = [n for n in controller.view().notes if n.tag == "observation"]
    assert note.text == "calm, HR 88 (corrected)"
    with pytest.raises(ValueError, match="strike it"):
        controller.correct_note(_line(controller, "note"), "  ")


def test_corrections_are_applied_again_on_resume(tmp_path):
    controller, _engine, clock = start(tmp_path)
    run(controller, clock, 10)
    controller.mark_dose()
    run(controller, clock, 5)
    controller.correct(_line(controller, "dose_marked"), "strike")
    controller.flush()
    path = controller.record.path
    controller.close()
    clock.advance(5)
    engine = FakeEngine()
    resumed = resume_session(path, tmp_path / "sessions",
                             audio=AudioSetup(engine, engine.info, "audio output set to none"),
                             fallback_playlist=controller.playlist.path, clock=clock)
    assert not resumed.dose_marked and resumed.view().since_dose is None
    assert resumed.tracker.dose_elapsed is None
    assert len(events(resumed, "dose_marked")) == 1  # the original line is still there
