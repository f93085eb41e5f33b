"""Each event's builder writes the fields its EVENT_TYPES entry documents, and no others."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from companion.record import events as ev

TARGET = ev.Event(t="2026-11-25T14:44:12.000+01:00", elapsed=5.0, type=ev.NOTE)
PLAN = SimpleNamespace(
    schedule=[SimpleNamespace(id="dose+15:vitals", kind="vitals", title="Vitals", anchor="dose",
                              minutes=15.0, readings=("bp",), words="Arm, please.",
                              phase="Peak")],
    min_observation_minutes=60, ranges={"hr": SimpleNamespace(low=50, high=None)},
    scales={"moaa-s": SimpleNamespace(title="MOAA/S", minimum=0, maximum=5)},
    integration_prompts=("What stayed?",),
    harbour=SimpleNamespace(fade=8.0, level=30.0, track=SimpleNamespace(title="Holding")),
    landing=SimpleNamespace(fade=20.0, after=SimpleNamespace(title="Birdsong")))
SUMMARY = {"mode": "sitter", "lang": "en", "items": {"see": 5}, "words": {"see": ["lamp"]},
           "skipped": [], "all_steps": False, "duration": 40.0, "rating_before": 6,
           "rating_after": 3}

# Each builder with every optional field given, then with only what it needs.
BUILT = [
    ev.session_started(app_version="1", started_at="2026-11-25T13:44:12+00:00",
                       playlist_name="KAP", playlist_hash="abc", client_code="C07",
                       intention="rest"),
    ev.session_started(app_version="1", started_at="x", playlist_name="KAP", playlist_hash="a"),
    ev.session_resumed(last_elapsed=60.0, gap=12.0, app_version="1", torn_tail='{"t":'),
    ev.session_resumed(last_elapsed=60.0, gap=12.0, app_version="1"),
    ev.session_ended("a calm close", 300.0), ev.session_ended(),
    ev.dose_marked(note="under the tongue"), ev.dose_marked(),
    ev.write_error("No space left on device", 3, "ENOSPC"), ev.write_error("?", 1),
    ev.write_recovered(3, 12.5),
    ev.phase_changed(1, "Onset", "target", planned_minutes=20, resumed=True),
    ev.phase_changed(0, "Settling", "start"),
    ev.track_started("A", phase=0, index=1, seconds=200.0, gain_db=-3.0, file="/a.flac",
                     position=12.5, below_target_db=7.5),
    ev.track_started("Rain", phase=0, index=0, seconds=None, gain_db=0.0, builtin="rain"),
    ev.track_ended("A", 200.0, "end"), ev.track_skipped("A", 12.0, "next"),
    ev.track_failed("A", "/a.flac", None, "cannot decode"),
    ev.track_position("A", 0, 1, 30.0), ev.volume_changed(50, 40), ev.paused(13.0),
    ev.resumed(), ev.holding_started("Holding"), ev.holding_stopped(),
    ev.audio_output("alsa", "default", "chosen"), ev.audio_output("none"),
    ev.sound_check(40, heard=True, sound="Holding", seconds=4.0, device_lufs=-30.0),
    ev.sound_check(40, heard=False, reason="no audio output"),
    ev.breathing_started("box", "Box breathing", 6, None, False),
    ev.breathing_stopped("box", 3, 48.0, False, 5, 3),
    ev.breathing_paused("box"), ev.breathing_resumed("box"),
    ev.breathing_rating("after", 3, "box"),
    ev.grounding_started("sitter", "en"),
    ev.grounding_step("see", 1, "start", 5), ev.grounding_step("closing", 6, "done"),
    ev.grounding_item("see", 1, 5, "lamp"), ev.grounding_item("see", 2, 5),
    ev.grounding_item_removed("see", 2),
    ev.grounding_completed(SUMMARY), ev.grounding_stopped("hear", SUMMARY),
    ev.distress_rating(6, context="grounding", moment="before"), ev.distress_rating(6),
    ev.sud_rating(4, 2, "tight chest"), ev.sud_rating(4, None),
    ev.bilateral_started(1, preset="processing", speed=1.0, passes=24, seconds=None,
                         sound="tone", pan="hard", sud_before=6),
    ev.bilateral_stopped(1, preset="processing", passes=24, planned_passes=24, seconds=23.5,
                         speeds=[1.0, 1.2], speed=1.2, stopped_early=False, reason="end",
                         sud_before=6),
    ev.note("obs", "calm", {"hr": 70}), ev.note("other", "calm"),
    ev.correction(4, TARGET, ev.CORRECT, {"text": "calmer"}, "typo"),
    ev.correction(4, TARGET, ev.STRIKE),
    ev.plan_loaded(PLAN),
    ev.reminder_due("dose+15:vitals", "vitals", "Vitals", 900.0, since_dose=900.0, again=True,
                    missed=True),
    ev.reminder_due("leaving:vitals", "vitals", "Vitals", None),
    ev.reminder_put_off("dose+15:vitals", "Vitals", 5.0, 1200.0),
    ev.reminder_skipped("dose+15:vitals", "Vitals", "asleep", 900.0),
    ev.reminder_skipped("dose+15:vitals", "Vitals"),
    ev.vitals_done("Vitals", {"hr": 120}, item="dose+15:vitals", marks={"hr": "high"},
                   missing=["spo2"], due=900.0, late=30.0, after_dose=None, note="moved"),
    ev.vitals_done("Vitals", {"hr": 70}),
    ev.checkin_done("dose+60:check_in", "Check-in", due=3600.0, after_dose=10.0, note="ok"),
    ev.checkin_done("dose+60:check_in", "Check-in"),
    ev.ready_to_leave(0.0, since_dose=3600.0, open_items=["leaving:vitals"], note="ok"),
    ev.ready_to_leave(600.0),
    ev.observation_override("left", 600.0, 60, since_dose=3000.0),
    ev.observation_override("left", 600.0, None),
    ev.harbour_started(8.0, 30.0, "Holding"), ev.harbour_started(8.0, 30.0),
    ev.harbour_stopped("key", 40.0), ev.harbour_stopped("ending"),
    ev.landing_started(20.0, "ended", "Birdsong"), ev.landing_started(20.0, "last_phase"),
]


def documented(kind: str) -> tuple[set[str], set[str]]:
    """(required, optional) field names of `kind` as its EVENT_TYPES entry lists them."""
    text = ev.EVENT_TYPES[kind][1]
    while re.search(r"\([^()]*\)", text):
        text = re.sub(r"\s*\([^()]*\)", "", text)
    required, optional = set(), set()
    for piece in re.split(r"[,;]", text):
        piece = piece.strip()
        if not re.fullmatch(r"[a-z_]+\??( or [a-z_]+\??)*", piece):
            continue  # words, not a field name ("and any detail the sitter gives", "-")
        for name in piece.split(" or "):
            (optional if name.endswith("?") else required).add(name.rstrip("?"))
    return required, optional


def test_every_event_type_has_a_builder_here():
    assert {event.type for event in BUILT} == set(ev.EVENT_TYPES)


@pytest.mark.parametrize("event", BUILT, ids=lambda event: event.type)
def test_a_builder_writes_only_documented_fields_and_every_required_one(event):
    required, optional = documented(event.type)
    written = set(event.fields)
    if event.type != ev.DOSE_MARKED:  # "and any detail the sitter gives"
        assert written <= required | optional
    # The breathing pacer's rating names it `value`, an older name readers accept.
    assert required - written <= ({"rating"} if "value" in written else set())


def test_every_builder_is_named_for_its_event_and_exported():
    for name in ev.EVENT_TYPES:
        if name == ev.DISTRESS_RATING:
            continue
        assert getattr(ev, name).__name__ == name
        assert name in ev.__all__
