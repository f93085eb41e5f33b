"""The plan in the playlist: every problem at its FILE:LINE:COL, the model it builds, its schema."""

from __future__ import annotations

import json

import pytest

from companion.playlist import check_playlist, load_playlist
from companion.playlist.model import Plan, due_elapsed
from companion.playlist.schema import json_schema, schema_text
from tests.playlist.helpers import located, write

BASE = "name: x\nphases:\n  - {name: Settling, until: dose}\n  - {name: Peak, minutes: 40}\n"

CASES = [
    ("negative_at", "schedule:\n  - {at: -10, vitals: [bp]}\n",
     ["6:10: `at` must be between 0 and 1440 minutes, not -10 (a check before the dose is "
      "written `before_dose: true` or `after_start: MINUTES`)"]),
    ("no_time", "schedule:\n  - {vitals: [bp]}\n",
     ["6:5: a schedule item needs `at`, `after_start`, `before_dose` or `before_leaving`"]),
    ("two_times", "schedule:\n  - {at: 5, before_dose: true, vitals: [bp]}\n",
     ["6:13: a schedule item takes `at`, `after_start`, `before_dose` or `before_leaving`, "
      "not both `at` and `before_dose`"]),
    ("no_kind", "schedule:\n  - {at: 5}\n", ["6:5: a schedule item needs `vitals` or `check_in`"]),
    ("both_kinds", "schedule:\n  - {at: 5, vitals: [bp], check_in: hi}\n",
     ["6:27: a schedule item takes `vitals` or `check_in`, not both `vitals` and `check_in`"]),
    ("before_dose_false", "schedule:\n  - {before_dose: false, vitals: [bp]}\n",
     ["6:19: `before_dose` is written `true` or left out, not false"]),
    ("unknown_reading", "schedule:\n  - {at: 5, vitals: [bp, sp02, moaas]}\n",
     ["6:26: unknown reading `sp02`; did you mean `spo2`?",
      "6:32: unknown reading `moaas` (known: bp, hr, spo2, rr, temp; name other scores under "
      "`scales`)"]),
    ("reading_twice", "schedule:\n  - {at: 5, vitals: [hr, hr]}\n",
     ["6:26: reading `hr` is listed twice"]),
    ("empty_vitals", "schedule:\n  - {at: 5, vitals: []}\n",
     ["6:21: `vitals` needs at least 1 item"]),
    ("unknown_phase", "schedule:\n  - {at: 5, vitals: [hr], phase: peak}\n",
     ["6:34: no phase called 'peak'; did you mean `Peak`?"]),
    ("words_on_check_in", "schedule:\n  - {at: 5, check_in: hi, words: there}\n",
     ["6:27: a check-in's words are its `check_in` text; `words` belongs to vitals checks"]),
    ("range_of_unknown_value", "ranges:\n  bp: {high: 140}\n  pulse: {high: 100}\n",
     ["6:3: no value called `bp` to give a range (blood pressure has two: systolic and "
      "diastolic)",
      "7:3: no value called `pulse` to give a range (known: systolic, diastolic, hr, spo2, rr, "
      "temp)"]),
    ("empty_range", "ranges:\n  hr: {}\n", ["6:7: a range needs `low` or `high`"]),
    ("range_backwards", "ranges:\n  hr: {low: 100, high: 50}\n",
     ["6:24: range of `hr`: `high` 50 is below `low` 100"]),
    ("bad_scales", "scales:\n  hr: {min: 0, max: 5}\n  moaa-s: {min: 5, max: 0}\n"
     "  Big: {min: 0, max: 1}\n",
     ["6:3: scale `hr` has the name of a vital sign; give the scale another name",
      "7:25: scale `moaa-s`: `max` 0 must be above `min` 5",
      "8:3: `Big` in `scales` must be lower-case letters, digits and dashes, like moaa-s"]),
    ("scale_without_bounds", "scales:\n  cadss: {title: CADSS}\n",
     ["6:10: a scale needs `min`", "6:10: a scale needs `max`"]),
    ("harbour", "playback: {ceiling: 60}\nharbour: {level: 70, fade: 200, colour: blue}\n",
     ["6:18: harbour `level` 70 is above the `ceiling` 60",
      "6:28: `fade` must be between 0 and 120 seconds, not 200",
      "6:33: unknown key `colour` in the safe harbour (known keys: track, fade, level, words)"]),
    ("landing", "landing: {fade: -1, after: {builtin: nope}}\n",
     ["5:17: `fade` must be between 0 and 600 seconds, not -1",
      "5:38: unknown `builtin` 'nope' (known: brown-noise, warm-pad, ocean)"]),
    ("no_observation", "min_observation_minutes: 0\n",
     ["5:26: `min_observation_minutes` must be more than 0 and at most 1440 minutes, not 0"]),
    ("prompts_not_a_list", "integration_prompts: What stood out?\n",
     ["5:22: `integration_prompts` must be a list of items, not text 'What stood out?'"]),
    ("reminder_cue", "schedule:\n  - {at: 5, check_in: hi, cue: {builtin: gong}}\n",
     ["6:42: unknown `builtin` 'gong' (known: soft-bell, chime, bowl)"]),
    ("harbour_file_missing", "harbour:\n  track: {file: missing.flac}\n",
     ["6:17: file not found: missing.flac (looked for {dir}/missing.flac)"]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_plan_problem_is_reported_where_it_is(tmp_path, text, expected) -> None:
    path = write(tmp_path, BASE + text)
    problems = check_playlist(path)
    assert located(problems) == [e.format(dir=tmp_path) for e in expected]
    assert all(str(p).startswith(f"{path}:") for p in problems)


def test_a_playlist_without_a_plan_gets_calm_defaults(tmp_path) -> None:
    plan = load_playlist(write(tmp_path, BASE + "playback: {volume: 42, holding: "
                               "{builtin: warm-pad, title: Hold}}\n")).plan
    assert plan.schedule == () and plan.min_observation_minutes is None
    assert (plan.harbour.track.title, plan.harbour.fade, plan.harbour.level) == ("Hold", 8, 42)
    assert (plan.landing.fade, plan.landing.after) == (20, None)
    assert (plan.put_off_minutes, plan.overdue_after_minutes) == (5, 5)


def test_the_schedule_builds_in_due_order_with_stable_ids(tmp_path) -> None:
    text = BASE + """\
schedule:
  - before_leaving: true
    vitals: [bp]
  - at: 30
    check_in: "How are you doing?"
    phase: Peak
  - at: 15
    title: First look
    vitals: [bp, hr, moaa-s]
    words: "A quick blood pressure"
  - at: 15
    vitals: [hr]
  - after_start: 5
    vitals: [bp]
  - before_dose: true
    vitals: [spo2]
    cue: {builtin: soft-bell, gain_db: -12}
scales:
  moaa-s: {title: MOAA/S, min: 0, max: 5}
ranges:
  systolic: {low: 90, high: 150}
  moaa-s: {low: 4}
min_observation_minutes: 120
harbour:
  track: {builtin: ocean, title: Harbour}
  level: 25
  words: "You're safe."
landing: {fade: 45, after: {builtin: warm-pad, title: After}}
integration_prompts: ["What stood out for you?"]
"""
    plan = load_playlist(write(tmp_path, text)).plan
    assert [(i.id, i.anchor, i.minutes) for i in plan.schedule] == [
        ("start+0:vitals", "start", 0), ("start+5:vitals", "start", 5),
        ("dose+15:vitals", "dose", 15), ("dose+15:vitals#2", "dose", 15),
        ("dose+30:check_in", "dose", 30), ("leaving:vitals", "leaving", 0)]
    first = plan.schedule[2]
    assert (first.title, first.readings, first.words) == (
        "First look", ("bp", "hr", "moaa-s"), "A quick blood pressure")
    check_in = plan.schedule[4]
    assert (check_in.kind, check_in.title, check_in.words, check_in.phase) == (
        "check_in", "Check-in", "How are you doing?", "Peak")
    assert plan.schedule[0].cue.builtin == "soft-bell"
    assert plan.scales["moaa-s"].maximum == 5
    assert plan.ranges["systolic"].mark(151) == "high" and plan.ranges["moaa-s"].mark(3) == "low"
    assert plan.ranges["moaa-s"].mark(5) is None
    assert (plan.harbour.track.title, plan.harbour.level, plan.harbour.words) == (
        "Harbour", 25, "You're safe.")
    assert (plan.landing.fade, plan.landing.after.title) == (45, "After")
    assert plan.min_observation_minutes == 120
    assert plan.integration_prompts == ("What stood out for you?",)


@pytest.mark.parametrize(("anchor", "minutes", "dose", "ready", "minimum", "due"), [
    ("start", 5, None, None, None, 300),
    ("dose", 15, None, None, None, None),
    ("dose", 15, 600, None, None, 1500),
    ("leaving", 0, 600, None, 120, 7800),
    ("leaving", 0, 600, 5000, 120, 5000),
    ("leaving", 0, 600, None, None, None),
    ("leaving", 0, None, 900, 120, 900),
])
def test_due_times_count_from_the_start_the_dose_or_leaving(anchor, minutes, dose, ready,
                                                            minimum, due) -> None:
    assert due_elapsed(anchor, minutes, dose=dose, ready=ready,
                       min_observation_minutes=minimum) == due


def test_schema_describes_the_plan_keys() -> None:
    schema = json_schema()
    for key in ("schedule", "scales", "ranges", "min_observation_minutes", "put_off_minutes",
                "overdue_after_minutes", "harbour", "landing", "integration_prompts"):
        assert key in schema["properties"], key
    item = schema["$defs"]["plan_item"]
    assert item["allOf"] == [
        {"oneOf": [{"required": ["at"]}, {"required": ["after_start"]},
                   {"required": ["before_dose"]}, {"required": ["before_leaving"]}]},
        {"oneOf": [{"required": ["vitals"]}, {"required": ["check_in"]}]}]
    assert item["properties"]["before_dose"]["const"] is True
    assert schema["$defs"]["range"]["anyOf"] == [{"required": ["low"]}, {"required": ["high"]}]
    assert json.loads(schema_text()) == schema


def test_model_plan_is_frozen_and_empty_by_default() -> None:
    plan = Plan()
    with pytest.raises(AttributeError):
        plan.min_observation_minutes = 5  # type: ignore[misc]
    assert dict(plan.ranges) == {} and plan.integration_prompts == ()
