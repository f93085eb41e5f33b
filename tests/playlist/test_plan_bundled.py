"""The bundled example plans: realistic schedules that pass the checker with no problems."""

from __future__ import annotations

import pytest

from companion import paths
from companion.playlist import check_playlist, load_playlist
from companion.playlist.spec import SCHEMA_FILE_NAME

BUNDLED = paths.bundled_playlists_dir()
KAP = BUNDLED / "kap-sublingual-2h.yaml"
ESKETAMINE = BUNDLED / "esketamine-label-monitoring.yaml"


@pytest.mark.parametrize("path", [KAP, ESKETAMINE], ids=["kap", "esketamine"])
def test_example_plan_passes_the_checker_with_builtin_sounds_only(path) -> None:
    assert [str(p) for p in check_playlist(path)] == []
    playlist = load_playlist(path)
    tracks = [t for p in playlist.phases for t in p.tracks] + list(playlist.cues.values())
    tracks += [playlist.plan.harbour.track] if playlist.plan.harbour.track else []
    assert all(t.file is None and t.builtin for t in tracks)
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_FILE_NAME}"


@pytest.mark.parametrize("path", [KAP, ESKETAMINE], ids=["kap", "esketamine"])
def test_example_plan_says_the_clinic_protocol_replaces_it(path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "AN EXAMPLE ONLY" in text and "not clinical advice" in text


def test_kap_example_checks_vitals_before_the_dose_at_the_set_times_and_before_leaving() -> None:
    plan = load_playlist(KAP).plan
    vitals = [(i.anchor, i.minutes) for i in plan.schedule if i.kind == "vitals"]
    assert vitals == [("start", 0), ("dose", 15), ("dose", 30), ("dose", 45), ("dose", 60),
                      ("dose", 90), ("leaving", 0)]
    assert plan.min_observation_minutes == 120
    assert plan.harbour.track.title == "Holding" and plan.harbour.words
    assert plan.landing.fade == 20 and plan.landing.after is None
    assert plan.integration_prompts[:2] == ("What stood out for you?",
                                            "What would you like to remember?")


def test_esketamine_example_follows_the_label_monitoring() -> None:
    plan = load_playlist(ESKETAMINE).plan
    blood_pressure = [(i.anchor, i.minutes) for i in plan.schedule if "bp" in i.readings]
    assert blood_pressure == [("start", 0), ("dose", 40), ("leaving", 0)]
    sedation = [i for i in plan.schedule if {"moaa-s", "cadss"} <= set(i.readings)]
    assert len(sedation) >= 3
    assert plan.min_observation_minutes >= 120
    assert (plan.ranges["systolic"].high, plan.ranges["diastolic"].high) == (140, 90)


def test_check_summarises_the_plan_in_one_line() -> None:
    from companion.playlist.checker import check_report

    assert check_report(KAP).plan[-1] == (
        "plan in the room: 7 vitals checks, 2 check-ins, minimum observation 2:00:00 after the "
        "dose (`companion plan` prints the timeline)")
