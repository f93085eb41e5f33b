"""A last phase with no target time (one that lasts until the dose, once the dose is marked)
still ends in the soft landing: the landing's fade starts so that it ends with the phase's
last track, then the plan's `after` sound (or silence). Before, the music just stopped."""

from __future__ import annotations

import pytest

from companion.session import AudioSetup, begin_session
from companion.session.silent import SilentPlayer
from tests.test_session_plan import events, run
from tests.ui.fakes import PLAN_YAML, FakeEngine, clocks

ONE_PHASE = """\
name: Until the dose
playback: {volume: 50, ceiling: 80, crossfade: 6}
phases:
  - name: Settling
    until: dose
    tracks:
      - {builtin: brown-noise, title: Soft swell, minutes: 10}
""" + PLAN_YAML.replace("landing:\n  fade: 3\n",
                       "landing:\n  fade: 3\n  after: {builtin: ocean, title: After}\n")


def start(tmp_path, audio=None):
    clock, wall = clocks()
    engine = FakeEngine()
    path = tmp_path / "one-phase.yaml"
    path.write_text(ONE_PHASE, encoding="utf-8")
    controller = begin_session(path, tmp_path / "sessions", clock=clock, wall=wall,
                               audio=audio or AudioSetup(engine, engine.info, "silent"))
    return controller, engine, clock


def test_an_untimed_last_phase_lands_as_its_last_track_ends(tmp_path):
    controller, engine, clock = start(tmp_path)
    run(controller, clock, 60, step=5)
    assert not events(controller, "landing_started")  # before the dose it goes round
    controller.mark_dose()
    run(controller, clock, 500, step=5)
    assert not events(controller, "landing_started")
    run(controller, clock, 60, step=0.5)
    (landing,) = events(controller, "landing_started")
    assert landing.get("reason") == "last_phase" and landing.get("after") == "After"
    # The 3 s fade begins 3 s before the 10-minute track ends (within the poll's half second).
    assert landing.elapsed == pytest.approx(600 - 3, abs=1.0)
    assert ("stop", {"slot": "music", "fade_s": 3.0}) in engine.commands
    assert any(kind == "play" and f.get("slot") == "landing" for kind, f in engine.commands)


def test_an_untimed_last_phase_lands_without_a_player_too(tmp_path):
    controller, _engine, clock = start(tmp_path, AudioSetup.silent("no engine"))
    assert isinstance(controller.player, SilentPlayer)
    run(controller, clock, 60, step=5)
    controller.mark_dose()
    run(controller, clock, 600, step=1)
    (landing,) = events(controller, "landing_started")
    assert landing.get("reason") == "last_phase"
    assert landing.elapsed == pytest.approx(60 + 600 - 3, abs=1.5)
