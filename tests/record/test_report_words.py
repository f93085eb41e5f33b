"""The record's sentences read as a person writes them: one duration format, plurals, a
check before the dose that is never "late" for a dose not yet given."""

from __future__ import annotations

import pytest

from companion.clock import FakeClock, duration_text
from companion.plan import PlanTracker
from companion.playlist.model import Plan, PlanItem
from companion.record import events as ev
from companion.record.events import Event
from companion.record.reader import read_events
from companion.record.report import describe, to_markdown
from companion.wording import counted
from tests.record.sample import write_sample
from tests.record.test_report_plan import write_planned_session


@pytest.mark.parametrize("seconds, text", [
    (0, "0 s"), (0.4, "0 s"), (35, "35 s"), (59.6, "1 min"), (60, "1 min"), (234, "3 min 54 s"),
    (240, "4 min"), (3599.6, "1 h"), (3600, "1 h"), (6965, "1 h 56 min"), (7200, "2 h"),
    (7500, "2 h 5 min"), (-35, "35 s"),
])
def test_one_duration_format_as_a_person_writes_it(seconds, text) -> None:
    assert duration_text(seconds) == text


@pytest.mark.parametrize("count, noun, plural, text", [
    (1, "cycle", None, "1 cycle"), (2, "cycle", None, "2 cycles"), (0, "check", None, "0 checks"),
    (1, "pass", "passes", "1 pass"), (3, "pass", "passes", "3 passes"),
    ("?", "event", None, "? events"),
])
def test_counted_puts_the_noun_in_the_right_number(count, noun, plural, text) -> None:
    assert counted(count, noun, plural) == text


def _event(kind: str, **fields) -> Event:
    return Event(t="2026-11-25T13:00:00.000+00:00", elapsed=60.0, type=kind, fields=fields)


def test_one_cycle_and_one_pass_are_singular() -> None:
    assert describe(_event(ev.BREATHING_STOPPED, title="Box", cycles_done=1)) == \
        "Breathing stopped: Box after 1 cycle"
    assert describe(_event(ev.BREATHING_STOPPED, title="Box", cycles_done=4)) == \
        "Breathing stopped: Box after 4 cycles"
    assert describe(_event(ev.BILATERAL_STOPPED, set=1, passes=1)).endswith("after 1 pass")
    assert describe(_event(ev.WRITE_RECOVERED, written=1)) == \
        "Disk writes work again; 1 event written late"
    assert describe(_event(ev.PLAN_LOADED, schedule=[{}])) == "Plan: 1 planned check"


def test_durations_in_sentences_use_the_one_format() -> None:
    assert describe(_event(ev.READY_TO_LEAVE, observation_left=6965.0)) == \
        "Client ready to leave (1 h 56 min of minimum observation left)"
    assert describe(_event(ev.SESSION_RESUMED, gap=95.0)) == \
        "Session resumed after an interruption of 1 min 35 s"
    assert describe(_event(ev.REMINDER_PUT_OFF, title="Vitals", minutes=5.0)) == \
        "Put off 5 min: Vitals"
    assert describe(_event(ev.LANDING_STARTED, fade=20.0)) == \
        "Landing: the music fades over 20 s"
    assert describe(_event(ev.CHECKIN_DONE, item="c", title="Check-in", late=35.0)) == \
        "Done: Check-in (35 s late)"


def test_the_report_has_no_clock_format_for_a_length_and_no_decimal_minutes(tmp_path) -> None:
    text = to_markdown(read_events(write_planned_session(tmp_path)))
    assert "| Dose to end of monitoring | 2 h 5 min |" in text
    assert "| Minimum observation | 2 h after the dose — met |" in text
    assert " min |" in text and ".0 min" not in text
    assert "(0:00:00" not in text


def test_a_rating_given_the_same_second_is_just_before(tmp_path) -> None:
    text = to_markdown(read_events(write_sample(tmp_path)))
    assert "7 (just before)" in text and "0:00:00 before" not in text


def _pre_dose_tracker() -> tuple[FakeClock, PlanTracker, list[tuple[str, dict]]]:
    clock = FakeClock(0.0)
    written: list[tuple[str, dict]] = []
    item = PlanItem(id="start+0:vitals", kind="vitals", title="Vitals before the dose",
                    anchor="start", minutes=0, readings=("hr",))
    tracker = PlanTracker(Plan(schedule=(item,)), None, clock,
                          on_event=lambda kind, fields: written.append((kind, fields)))
    return clock, tracker, written


def test_a_check_before_the_dose_is_never_late_for_a_dose_not_given() -> None:
    clock, tracker, written = _pre_dose_tracker()
    clock.advance(35)
    tracker.done("start+0:vitals", {"hr": 72})
    fields = next(f for kind, f in written if kind == ev.VITALS_DONE)
    assert "late" not in fields and "after_dose" not in fields and fields["due"] == 0
    line = describe(_event(ev.VITALS_DONE, **fields))
    assert line == "Vitals before the dose: HR 72"


def test_a_check_before_the_dose_taken_after_it_says_so() -> None:
    clock, tracker, written = _pre_dose_tracker()
    clock.advance(600)
    tracker.mark_dose()
    clock.advance(150)
    tracker.done("start+0:vitals", {"hr": 72})
    fields = next(f for kind, f in written if kind == ev.VITALS_DONE)
    assert "late" not in fields and fields["after_dose"] == 150
    assert describe(_event(ev.VITALS_DONE, **fields)) == \
        "Vitals before the dose: HR 72 (taken 2 min 30 s after the dose)"


def test_a_check_before_the_dose_left_undone_is_not_called_minutes_late() -> None:
    clock, tracker, _written = _pre_dose_tracker()
    clock.advance(40 * 60)
    tracker.mark_dose()
    (status,) = tracker.statuses()
    assert status.state == "overdue"
    assert status.summary() == "Vitals before the dose overdue (the dose is marked)"


def test_silence_asked_for_is_not_given_as_a_reason_twice() -> None:
    assert describe(_event(ev.AUDIO_OUTPUT, backend="none", reason="audio output set to none")) \
        == "Audio output: none"
    line = describe(_event(ev.AUDIO_OUTPUT, backend="none",
                           reason="no audio device could be opened (failed to init device)"))
    assert line == "Audio output: none (no audio device could be opened (failed to init device))"


def test_log_show_gives_the_length_in_the_one_format(tmp_path, monkeypatch, capsys) -> None:
    import argparse

    from companion.commands import log as log_command

    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))
    path = write_sample(tmp_path / "data" / "sessions")
    parser = argparse.ArgumentParser(prog="companion log")
    log_command.add_arguments(parser)
    assert log_command.run(parser.parse_args(["show", path.stem])) == 0
    assert "Length:      31 min 40 s" in capsys.readouterr().out


@pytest.mark.parametrize("count, text", [
    (0, ""), (1, " 1 check before leaving is due."), (2, " 2 checks before leaving are due.")])
def test_ready_to_leave_counts_the_checks_still_due(count, text) -> None:
    from companion.plan import checks_due_text

    assert checks_due_text(count) == text
