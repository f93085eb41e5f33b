"""The report's plan sections: vitals against the schedule, monitoring, harbours, prompts."""

from __future__ import annotations

import json

from companion import paths
from companion.clock import FakeClock
from companion.plan import PlanTracker
from companion.playlist import load_playlist
from companion.record import SessionRecord, read_events, to_csv, to_json, to_markdown
from companion.record.monitoring import harbours, monitoring, plan_rows
from companion.record.report import describe
from tests.record.conftest import Wall

KAP = paths.bundled_playlists_dir() / "kap-sublingual-2h.yaml"


def write_planned_session(directory, *, early: bool = False):
    """A KAP session through the plan tracker: checks done, put off, skipped, a harbour."""
    mono = FakeClock()
    record = SessionRecord.start(directory, playlist_name="KAP", playlist_hash="h",
                                 client_code="K07", monotonic=mono, wall=Wall())
    tracker = PlanTracker(load_playlist(KAP).plan, None, record.clock.elapsed,
                          on_event=lambda kind, fields: record.append(kind, **fields))

    def at(seconds: float) -> None:
        mono.advance(seconds - record.clock.elapsed())
        tracker.poll()

    tracker.poll()
    at(300)
    tracker.done("start+0:vitals", {"bp": "128/82", "hr": 74, "spo2": 98})
    at(600)
    record.mark_dose()
    tracker.mark_dose()
    at(600 + 15 * 60)
    tracker.put_off("dose+15:vitals")
    at(600 + 20 * 60)
    tracker.done("dose+15:vitals", {"systolic": 168, "diastolic": 96, "hr": 88, "spo2": 97,
                                    "moaa-s": 4})
    at(600 + 25 * 60)
    tracker.harbour_started()
    at(600 + 29 * 60)
    tracker.harbour_stopped("grounding_done")
    at(600 + 30 * 60)
    tracker.done("dose+30:vitals", {"bp": "150/90", "hr": 80, "spo2": 96, "moaa-s": 3})
    at(600 + 40 * 60)
    tracker.skip("dose+40:check_in", "client resting")
    if early:
        at(600 + 50 * 60)
        tracker.end_early("family emergency; client accompanied")
        tracker.landing_started("ended")
        record.end("ended early")
        return record.path
    for minutes in (45, 60, 90):
        at(600 + minutes * 60)
        tracker.done(f"dose+{minutes}:vitals", {"bp": "126/80", "hr": 70, "spo2": 98,
                                                "moaa-s": 5})
    at(600 + 75 * 60 + 30)
    tracker.done("dose+75:check_in")
    at(600 + 118 * 60)
    tracker.record_vitals({"hr": 68})
    at(600 + 125 * 60)
    tracker.ready_to_leave()
    tracker.done("leaving:vitals", {"bp": "122/78", "hr": 66, "spo2": 99, "moaa-s": 5})
    at(600 + 127 * 60)
    record.end("home with partner")
    return record.path


def test_markdown_report_shows_the_vitals_against_the_schedule(tmp_path) -> None:
    text = to_markdown(read_events(write_planned_session(tmp_path)))
    assert "| Item | Due | Done | Late | Values | Marks |" in text
    assert ("| Vitals before the dose | 0:00:00 from start | 0:05:00 from start |  "
            "| BP 128/82, HR 74, SpO2 98% |  |") in text
    assert ("| Vitals | +0:15:00 | +0:20:00 | 5 min late (put off 1×) | BP 168/96, HR 88, "
            "SpO2 97%, MOAA/S 4 | systolic high |") in text
    assert "| Vitals | +0:30:00 | +0:30:00 | on time | BP 150/90, HR 80, SpO2 96%, MOAA/S 3 " \
           "| MOAA/S low |" in text
    assert "| Check-in | +0:40:00 | skipped: client resting at +0:40:00 |  |  |  |" in text
    assert "| Check-in | +1:15:00 | +1:15:30 | 30 s late |  |  |" in text
    assert "| Vitals (unscheduled) |  | +1:58:00 |  | HR 68 |  |" in text
    assert ("| Vitals before leaving | +2:00:00 | +2:05:00 | 5 min late | BP 122/78, HR 66, "
            "SpO2 99%, MOAA/S 5 |  |") in text


def test_markdown_report_gives_observation_ready_to_leave_harbours_and_prompts(tmp_path) -> None:
    text = to_markdown(read_events(write_planned_session(tmp_path)))
    assert "| Minimum observation | 2 h after the dose — met |" in text
    assert "| Dose to end of monitoring | 2 h 5 min |" in text
    assert "| Ready to leave | 15:15:00 (+2:05:00) |" in text
    assert "| Overrides | 0 |" in text
    assert "| 0:35:00 | +0:25:00 | 4 min | Holding | grounding finished |" in text
    # The form's readings are in the one vitals table too, marks in words.
    assert "| 0:30:00 | +0:20:00 | form | 168/96 (systolic high) | 88 | 97% |  |  | MOAA/S 4 |" \
        in text.split("## Vitals")[1]
    assert "## For the integration session\n\n- What stood out for you?\n" in text
    assert text.index("## Monitoring") < text.index("## Safe harbour") < text.index(
        "## For the integration session") < text.index("## Notes")


def test_an_early_end_shows_the_override_and_the_time_left(tmp_path) -> None:
    result = read_events(write_planned_session(tmp_path, early=True))
    text = to_markdown(result)
    assert "| Minimum observation | 2 h after the dose — ended 1 h 10 min before it |" in text
    assert "| Ready to leave | not marked |" in text
    assert "| Dose to end of monitoring | 50 min |" in text
    assert ("- **+0:50:00** ended early (1 h 10 min before the minimum observation time): family "
            "emergency; client accompanied") in text
    assert "| Vitals | +0:45:00 | not done |" in text
    facts = monitoring(result)
    assert facts["overrides"][0]["reason"] == "family emergency; client accompanied"
    assert "Landing: the music fades over 20 s" in text


def test_timeline_lines_say_what_the_plan_events_mean(tmp_path) -> None:
    result = read_events(write_planned_session(tmp_path))
    lines = [describe(e) for e in result.events]
    assert "Plan: 9 planned checks, minimum observation 2 h" in lines
    assert "Due: Vitals (again)" in lines
    assert "Put off 5 min: Vitals" in lines
    assert "Vitals: BP 168/96, HR 88, SpO2 97%, moaa-s 4 (5 min late)" in lines
    assert "Skipped: Check-in (client resting)" in lines
    assert "Vitals: HR 68 (unscheduled)" in lines
    assert "Safe harbour: Holding" in lines and "Left the safe harbour after 4 min" in lines
    assert "Client ready to leave" in lines


def test_json_export_carries_the_monitoring(tmp_path) -> None:
    result = read_events(write_planned_session(tmp_path))
    document = json.loads(to_json(result))
    monitoring_part = document["monitoring"]
    assert monitoring_part["monitored_minutes"] == 125
    assert monitoring_part["ready_to_leave"] == 600 + 125 * 60
    assert [r["outcome"] for r in monitoring_part["schedule"]].count("done") == 8
    assert monitoring_part["harbours"] == [{"start": 2100.0, "length": 240.0,
                                            "title": "Holding", "ended_by": "grounding_done"}]
    assert len(to_csv(result).splitlines()) == len(result.events) + 1


def test_a_harbour_left_open_by_a_crash_ends_at_the_resume(tmp_path) -> None:
    mono, wall = FakeClock(), Wall()
    record = SessionRecord.start(tmp_path, playlist_name="P", playlist_hash="h",
                                 monotonic=mono, wall=wall)
    record.append("harbour_started", title="Holding", fade=8, level=30)
    mono.advance(90)
    wall.advance(90)
    record.close()
    wall.advance(30)
    resumed = SessionRecord.resume(record.path, monotonic=FakeClock(), wall=wall)
    resumed.end()
    (stay,) = harbours(read_events(record.path))
    assert (stay.start, stay.length, stay.ended_by) == (0.0, 120.0, "interruption")


def test_a_session_without_a_plan_keeps_its_report_as_before(tmp_path) -> None:
    from tests.record.sample import write_sample

    result = read_events(write_sample(tmp_path))
    text = to_markdown(result)
    assert "## Monitoring" not in text and "## Safe harbour" not in text
    assert plan_rows(result) == []
