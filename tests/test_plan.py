"""The plan tracker: a simulated two-hour session on a fake clock, each reminder at its second."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion import paths
from companion.clock import FakeClock
from companion.plan import PlanError, PlanTracker, minutes_text, note_ranges
from companion.playlist import load_playlist
from companion.playlist.model import Plan, PlanItem, Scale, ValueRange
from companion.record import SessionRecord
from companion.record import events as ev
from tests.record.conftest import Wall

KAP = paths.bundled_playlists_dir() / "kap-sublingual-2h.yaml"
DOSE = 600.0  # the dose is marked ten minutes into the session


class Session:
    """A fake clock at elapsed 0, a tracker on it, and every event it reports (with when)."""

    def __init__(self, plan: Plan, history=(), dose: float | None = None,
                 start: float = 0.0) -> None:
        self.clock = FakeClock(start)
        self.events: list[tuple[float, str, dict]] = []
        self.tracker = PlanTracker(plan, dose, self.clock, history=history,
                                   on_event=lambda kind, fields: self.events.append(
                                       (self.clock(), kind, fields)))

    def of(self, kind: str) -> list[tuple[float, dict]]:
        return [(at, fields) for at, k, fields in self.events if k == kind]

    def run_until(self, elapsed: float, step: float = 1.0) -> None:
        """Advance second by second (as the screen's timer would), polling each time."""
        while self.clock() < elapsed:
            self.clock.advance(step)
            self.tracker.poll()


@pytest.fixture(scope="module")
def kap() -> Plan:
    return load_playlist(KAP).plan


def _plan(*items: PlanItem, **fields) -> Plan:
    return Plan(schedule=items, **fields)


def _vitals(ident: str, minutes: float, anchor: str = "dose", readings=("bp", "hr")) -> PlanItem:
    return PlanItem(id=ident, kind="vitals", title="Vitals", anchor=anchor, minutes=minutes,
                    readings=readings)


def test_two_hour_session_finds_every_reminder_due_at_its_exact_second(kap) -> None:
    session = Session(kap)
    session.tracker.poll()
    session.run_until(DOSE)
    session.tracker.mark_dose()
    session.run_until(DOSE + 125 * 60)
    due = {fields["item"]: at for at, fields in session.of(ev.REMINDER_DUE)}
    expected = {"start+0:vitals": 0.0, "leaving:vitals": DOSE + 120 * 60}
    expected.update({f"dose+{m}:vitals": DOSE + m * 60 for m in (15, 30, 45, 60, 90)})
    expected.update({f"dose+{m}:check_in": DOSE + m * 60 for m in (40, 75)})
    assert due == expected
    assert all(fields["due"] == due[fields["item"]] for _, fields in session.of(ev.REMINDER_DUE))
    assert [f.get("since_dose") for _, f in session.of(ev.REMINDER_DUE)] == [None] + [
        m * 60.0 for m in (15, 30, 40, 45, 60, 75, 90, 120)]


def test_an_item_is_upcoming_one_second_before_its_time_and_due_on_it(kap) -> None:
    session = Session(kap, dose=DOSE)
    tracker = session.tracker
    item = tracker.item("dose+45:vitals")
    assert tracker.status(item, now=DOSE + 45 * 60 - 1).state == "upcoming"
    assert tracker.status(item, now=DOSE + 45 * 60).state == "due"
    assert tracker.status(item, now=DOSE + 50 * 60 - 1).state == "due"
    overdue = tracker.status(item, now=DOSE + 50 * 60)
    assert (overdue.state, overdue.late) == ("overdue", 300.0)
    assert overdue.summary() == "Vitals overdue, 5 min late"


def test_next_item_says_what_comes_and_when(kap) -> None:
    session = Session(kap)
    tracker = session.tracker
    assert tracker.next_item().summary() == "Vitals before the dose due"
    tracker.done("start+0:vitals", {"systolic": 128, "diastolic": 80, "hr": 72, "spo2": 98})
    assert tracker.next_item().summary() == "Vitals 15 min after the dose"
    session.clock.advance(DOSE)
    tracker.mark_dose()
    session.clock.advance(11 * 60 + 1)
    assert tracker.next_item().summary() == "Vitals in 4 min"
    session.clock.advance(4 * 60 - 1)
    assert tracker.next_item().summary() == "Vitals due"
    assert [s.item.id for s in tracker.due_items()] == ["dose+15:vitals"]


def test_checks_before_the_dose_stay_due_until_the_dose_is_marked(kap) -> None:
    session = Session(kap)
    session.run_until(25 * 60)
    assert session.tracker.status("start+0:vitals").state == "due"
    session.tracker.mark_dose()
    overdue = session.tracker.status("start+0:vitals")
    assert (overdue.state, overdue.late) == ("overdue", 25 * 60.0)


def test_dose_timed_items_wait_for_the_dose(kap) -> None:
    session = Session(kap)
    session.run_until(3 * 3600)
    assert [f["item"] for _, f in session.of(ev.REMINDER_DUE)] == ["start+0:vitals"]
    assert session.tracker.status("dose+15:vitals").due_at is None


def test_put_off_item_falls_due_again_at_the_exact_second(kap) -> None:
    session = Session(kap, dose=DOSE)
    session.run_until(DOSE + 15 * 60)
    session.clock.advance(20)
    status = session.tracker.put_off("dose+15:vitals")
    assert (status.state, status.wait) == ("put_off", 300.0)
    assert status.summary() == "Vitals put off, due again in 5 min"
    session.run_until(DOSE + 15 * 60 + 20 + 300)
    again = session.of(ev.REMINDER_DUE)[-1]
    assert again == (DOSE + 15 * 60 + 320, {"item": "dose+15:vitals", "kind": "vitals",
                                            "title": "Vitals", "due": DOSE + 900,
                                            "since_dose": 1220.0, "again": True})
    assert session.of(ev.REMINDER_PUT_OFF) == [(DOSE + 920, {
        "item": "dose+15:vitals", "title": "Vitals", "minutes": 5.0, "until": DOSE + 1220})]
    # Put off past the grace: it comes back overdue, with how late from its first time.
    status = session.tracker.status("dose+15:vitals")
    assert (status.state, status.late) == ("overdue", 320.0)


def test_put_off_takes_a_chosen_number_of_minutes_and_refuses_done_items(kap) -> None:
    session = Session(kap, dose=DOSE)
    session.clock.advance(DOSE + 30 * 60)
    assert session.tracker.put_off("dose+30:vitals", 2).put_off_until == DOSE + 32 * 60
    session.tracker.done("dose+30:vitals", {"hr": 70})
    with pytest.raises(PlanError, match="already done"):
        session.tracker.put_off("dose+30:vitals")


def test_done_records_values_marks_lateness_and_missing_readings(kap) -> None:
    session = Session(kap, dose=DOSE)
    session.clock.advance(DOSE + 17 * 60)
    status = session.tracker.done("dose+15:vitals", {"systolic": "171", "diastolic": "92",
                                                     "hr": 64, "spo2": "97%", "moaa-s": 3})
    assert (status.state, status.late) == ("done", 120.0)
    ((at, fields),) = session.of(ev.VITALS_DONE)
    assert at == DOSE + 17 * 60
    assert fields == {"item": "dose+15:vitals", "title": "Vitals",
                      "values": {"systolic": 171, "diastolic": 92, "hr": 64, "spo2": 97,
                                 "moaa-s": 3},
                      "marks": {"systolic": "high", "moaa-s": "low"},
                      "due": DOSE + 900, "late": 120.0}
    session.tracker.done("dose+30:vitals", {"bp": "120/80", "hr": ""})
    fields = session.of(ev.VITALS_DONE)[-1][1]
    assert fields["values"] == {"systolic": 120, "diastolic": 80}
    assert fields["missing"] == ["hr", "spo2", "moaa-s"]
    assert fields["late"] == -13 * 60.0


@pytest.mark.parametrize(("values", "message"), [
    ({"hr": "fast"}, "hr must be a number, not 'fast'"),
    ({"moaa-s": 7}, "MOAA/S is scored from 0 to 5, not 7"),
    ({"temp": 37}, "'temp' is not a reading of this check"),
    ({"hr": True}, "hr must be a number"),
])
def test_values_that_cannot_be_right_are_refused_with_a_message(kap, values, message) -> None:
    session = Session(kap, dose=DOSE)
    with pytest.raises(PlanError, match=message):
        session.tracker.done("dose+15:vitals", values)
    assert session.tracker.status("dose+15:vitals").state != "done"


def test_check_in_done_and_skip_are_recorded(kap) -> None:
    session = Session(kap, dose=DOSE)
    session.clock.advance(DOSE + 40 * 60 + 30)
    session.tracker.done("dose+40:check_in", note="resting, eyes closed")
    session.tracker.skip("dose+45:vitals", "client asleep, breathing easy")
    assert session.of(ev.CHECKIN_DONE) == [(DOSE + 2430, {
        "item": "dose+40:check_in", "title": "Check-in", "due": DOSE + 2400, "late": 30.0,
        "note": "resting, eyes closed"})]
    assert session.of(ev.REMINDER_SKIPPED)[0][1]["reason"] == "client asleep, breathing easy"
    assert session.tracker.status("dose+45:vitals").summary() == (
        "Vitals skipped: client asleep, breathing easy")
    session.run_until(DOSE + 50 * 60)
    assert "dose+45:vitals" not in [f["item"] for _, f in session.of(ev.REMINDER_DUE)]


def test_resume_keeps_done_items_done_and_shows_missed_ones_overdue(tmp_path, kap) -> None:
    mono, wall = FakeClock(), Wall()
    record = SessionRecord.start(tmp_path, playlist_name="KAP", playlist_hash="h",
                                 monotonic=mono, wall=wall)

    def tracker_on(rec: SessionRecord, history=()) -> PlanTracker:
        return PlanTracker(kap, rec.dose_elapsed, rec.clock.elapsed, history=history,
                           on_event=lambda kind, fields: rec.append(kind, **fields))

    tracker = tracker_on(record)

    def tick(seconds: int) -> None:
        for _ in range(seconds):
            mono.advance(1)
            wall.advance(1)
            tracker.poll()

    tracker.poll()
    tracker.done("start+0:vitals", {"bp": "130/85", "hr": 76, "spo2": 98})
    tick(int(DOSE))
    record.mark_dose()
    tracker.mark_dose()
    tick(16 * 60)
    tracker.done("dose+15:vitals", {"bp": "135/86", "hr": 80})
    tick(14 * 60 + 30)  # +0:30 fell due; the app dies 30 s later, before it is done
    record.close()
    wall.advance(20 * 60)  # 20 minutes without the app: +0:40 and +0:45 fall due meanwhile

    resumed = SessionRecord.resume(record.path, monotonic=FakeClock(), wall=wall)
    again = tracker_on(resumed, history=resumed.events)
    states = {s.item.id: (s.state, s.missed) for s in again.statuses()}
    assert states["start+0:vitals"] == ("done", False)
    assert states["dose+15:vitals"] == ("done", False)
    assert states["dose+30:vitals"] == ("overdue", False)
    assert states["dose+40:check_in"] == ("overdue", True)
    assert states["dose+45:vitals"] == ("overdue", True)
    assert states["dose+60:vitals"] == ("upcoming", False)
    assert again.status("dose+45:vitals").late == pytest.approx(5 * 60 + 30)
    news = again.poll()
    assert [s.item.id for s in news] == ["dose+40:check_in", "dose+45:vitals"]
    assert resumed.last(ev.REMINDER_DUE).get("missed") is True
    assert again.form("dose+60:vitals")[0].last == 135
    assert sum(1 for e in resumed.events if e.type == ev.PLAN_LOADED) == 1
    resumed.close()


def test_ready_to_leave_brings_the_before_leaving_check_forward(kap) -> None:
    session = Session(kap, dose=DOSE)
    session.run_until(DOSE + 100 * 60)
    assert session.tracker.status("leaving:vitals").wait == 20 * 60
    session.tracker.ready_to_leave()
    assert session.tracker.status("leaving:vitals").state == "due"
    session.tracker.poll()
    assert session.of(ev.REMINDER_DUE)[-1][1]["item"] == "leaving:vitals"
    ((at, fields),) = session.of(ev.READY_TO_LEAVE)
    assert at == DOSE + 6000
    assert fields["observation_left"] == 20 * 60.0 and fields["since_dose"] == 6000.0
    assert "leaving:vitals" in fields["open"]


def test_minimum_observation_left_and_the_early_end_override(kap) -> None:
    session = Session(kap)
    assert session.tracker.minimum_observation_left() == 0.0  # no dose, nothing to observe
    session.clock.advance(DOSE)
    session.tracker.mark_dose()
    assert session.tracker.minimum_observation_left() == 120 * 60
    session.clock.advance(95 * 60)
    assert session.tracker.minimum_observation_left() == 25 * 60
    with pytest.raises(PlanError, match="needs a reason"):
        session.tracker.end_early("  ")
    session.tracker.end_early("client's ride arrived; accompanied home")
    assert session.of(ev.OBSERVATION_OVERRIDE) == [(DOSE + 5700, {
        "reason": "client's ride arrived; accompanied home", "observation_left": 1500.0,
        "min_observation_minutes": 120.0, "since_dose": 5700.0})]
    session.clock.advance(25 * 60)
    assert session.tracker.minimum_observation_left() == 0.0


def test_the_vitals_form_has_the_plan_readings_ranges_and_last_values(kap) -> None:
    history = [ev.Event("2026-11-25T13:00:00+00:00", 30.0, ev.NOTE,
                        {"tag": "vitals", "text": "BP 140/90 HR 88",
                         "vitals": {"systolic": 140, "diastolic": 90, "heart_rate": 88}})]
    tracker = Session(kap, history=history).tracker
    fields = {f.name: f for f in tracker.form("dose+15:vitals")}
    assert list(fields) == ["systolic", "diastolic", "hr", "spo2", "moaa-s"]
    assert (fields["systolic"].low, fields["systolic"].high, fields["systolic"].last) == (
        90, 160, 140)
    assert (fields["hr"].last, fields["hr"].last_elapsed, fields["hr"].unit) == (88, 30.0, "/min")
    assert (fields["moaa-s"].label, fields["moaa-s"].minimum, fields["moaa-s"].maximum) == (
        "MOAA/S", 0, 5)
    assert fields["spo2"].last is None


def test_vitals_outside_the_schedule_are_recorded_without_an_item(kap) -> None:
    session = Session(kap)
    session.tracker.record_vitals({"hr": 120, "temp": "37.2"}, note="after the harbour")
    assert session.of(ev.VITALS_DONE) == [(0.0, {
        "title": "Vitals", "values": {"hr": 120, "temp": 37.2}, "marks": {"hr": "high"},
        "note": "after the harbour"})]


def test_plan_loaded_is_reported_once_with_what_the_report_needs(kap) -> None:
    session = Session(kap)
    ((_, fields),) = session.of(ev.PLAN_LOADED)
    assert [i["id"] for i in fields["schedule"]][:2] == ["start+0:vitals", "dose+15:vitals"]
    assert fields["min_observation_minutes"] == 120
    assert fields["integration_prompts"][0] == "What stood out for you?"
    assert fields["ranges"]["spo2"] == [94, None]
    history = [ev.Event("t", 0.0, ev.PLAN_LOADED, fields)]
    assert Session(kap, history=history).of(ev.PLAN_LOADED) == []
    changed = [ev.Event("t", 0.0, ev.PLAN_LOADED, {**fields, "min_observation_minutes": 90})]
    assert len(Session(kap, history=changed).of(ev.PLAN_LOADED)) == 1


def test_harbour_and_landing_events_carry_the_plan_settings(kap) -> None:
    session = Session(kap, dose=DOSE)
    session.clock.advance(DOSE + 1800)
    assert session.tracker.harbour_started() == {"fade": 8.0, "level": 75.0, "title": "Holding"}
    assert session.tracker.in_harbour
    session.clock.advance(245)
    assert session.tracker.harbour_stopped("grounding_done") == {"reason": "grounding_done",
                                                                 "length": 245.0}
    assert not session.tracker.in_harbour
    assert session.tracker.landing_started("ended") == {"fade": 20.0, "reason": "ended"}


def test_a_plan_without_observation_time_puts_the_leaving_check_at_ready_to_leave() -> None:
    plan = _plan(_vitals("leaving:vitals", 0, anchor="leaving"))
    session = Session(plan, dose=0.0)
    session.run_until(4 * 3600, step=60)
    assert session.of(ev.REMINDER_DUE) == []
    assert session.tracker.next_item().summary() == "Vitals before leaving"
    session.tracker.ready_to_leave()
    assert [s.item.id for s in session.tracker.poll()] == ["leaving:vitals"]


def test_a_plan_timed_in_seconds_works_as_well(kap) -> None:
    plan = _plan(_vitals("dose+0.25:vitals", 0.25), _vitals("dose+0.5:vitals", 0.5),
                 overdue_after_minutes=0.5)
    session = Session(plan, dose=2.0)
    session.run_until(40, step=0.5)
    assert [at for at, _ in session.of(ev.REMINDER_DUE)] == [17.0, 32.0]
    assert session.tracker.status("dose+0.25:vitals").state == "due"
    session.run_until(47, step=0.5)
    assert session.tracker.status("dose+0.25:vitals").state == "overdue"


def test_scales_and_ranges_mark_without_built_in_thresholds() -> None:
    plan = _plan(_vitals("dose+5:vitals", 5, readings=("bp", "cadss")),
                 scales={"cadss": Scale("cadss", "CADSS", 0, 92)},
                 ranges={"cadss": ValueRange(high=20)})
    session = Session(plan, dose=0.0)
    session.tracker.done("dose+5:vitals", {"systolic": 250, "diastolic": 40, "cadss": 21})
    assert session.of(ev.VITALS_DONE)[0][1]["marks"] == {"cadss": "high"}
    assert note_ranges(plan) is None


def test_note_ranges_follow_the_plan_for_notes_typed_as_text(kap) -> None:
    from companion.record import parse_vitals

    vitals = parse_vitals("BP 165/80 HR 45 SpO2 99", note_ranges(kap))
    assert dict(vitals.marks) == {"systolic": "high", "heart_rate": "low"}


@pytest.mark.parametrize(("seconds", "text"), [
    (30, "less than a minute"), (60, "1 min"), (61, "2 min"), (240, "4 min"),
    (3600, "1 h"), (3900, "1 h 5 min")])
def test_minutes_are_said_calmly(seconds, text) -> None:
    assert minutes_text(seconds) == text


def test_unknown_items_are_named_in_the_error(kap) -> None:
    with pytest.raises(PlanError, match=r"no item 'dose\+99:vitals'"):
        Session(kap).tracker.done("dose+99:vitals")


def test_every_bundled_plan_runs_through_a_session(tmp_path) -> None:
    for path in sorted(Path(paths.bundled_playlists_dir()).glob("*.yaml")):
        session = Session(load_playlist(path).plan)
        session.run_until(DOSE, step=30)
        session.tracker.mark_dose()
        session.run_until(DOSE + 4 * 3600, step=30)
        for status in session.tracker.statuses():
            assert status.state in ("due", "overdue"), (path.name, status)


def test_resume_after_a_put_off_came_due_again_does_not_announce_it_twice(kap) -> None:
    first = Session(kap, dose=DOSE)
    first.run_until(DOSE + 16 * 60)
    first.tracker.put_off("dose+15:vitals")
    first.run_until(DOSE + 22 * 60)  # due again at +0:21; the app dies at +0:22
    history = [ev.Event("t", at, kind, fields) for at, kind, fields in first.events]
    history.append(ev.Event("t", DOSE + 40 * 60, ev.SESSION_RESUMED,
                            {"last_elapsed": DOSE + 22 * 60, "gap": 18 * 60}))
    second = Session(kap, history=history, dose=DOSE, start=DOSE + 40 * 60)
    assert second.tracker.status("dose+15:vitals").state == "overdue"
    assert not second.tracker.status("dose+15:vitals").missed
    assert [s.item.id for s in second.tracker.poll()] == ["dose+30:vitals", "dose+40:check_in"]
    assert second.of(ev.REMINDER_DUE)[0][1]["missed"] is True
