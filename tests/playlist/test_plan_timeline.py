"""`companion plan PLAYLIST`: the whole session as a timeline a clinician can read beforehand."""

from __future__ import annotations

import argparse

import pytest

from companion import paths
from companion.clock import clock_minutes
from companion.commands import plan as plan_command
from companion.errors import UsageError
from companion.playlist import load_playlist
from companion.playlist.timeline import timeline_lines
from tests.playlist.helpers import write

KAP = paths.bundled_playlists_dir() / "kap-sublingual-2h.yaml"


def _run(path, capsys) -> tuple[int, list[str]]:
    parser = argparse.ArgumentParser()
    plan_command.add_arguments(parser)
    code = plan_command.run(parser.parse_args([str(path)]))
    return code, capsys.readouterr().out.splitlines()


def test_plan_prints_phases_music_checks_observation_harbour_and_landing(capsys) -> None:
    code, lines = _run(KAP, capsys)
    assert code == 0
    text = "\n".join(lines)
    assert lines[0] == f"Sublingual KAP, two hours — {KAP}"
    order = [
        "  0:00     Phase Settling, until the dose: Arriving (ocean, until the phase ends)",
        "  0:00     Vitals before the dose: BP, HR, SpO2",
        "           The sitter marks the dose",
        "  +0:00    Phase Onset, 15 min: Softening (brown noise, 15 min)",
        "  +0:15    Phase Peak, 40 min: Open sky (warm pad, 20 min); Deep water (warm pad, "
        "20 min)",
        "  +0:15    Vitals: BP, HR, SpO2, MOAA/S [Peak]",
        "  +0:40    Check-in: \"Softly:",
        "  +1:30    Vitals: BP, HR, SpO2, MOAA/S [Integration]",
        "  +1:45    The music ends: the last fade over 20 s, then silence.",
        "  +2:00    Minimum observation ends (120 min after the dose)",
        "  +2:00    Vitals before leaving: BP, HR, SpO2, MOAA/S",
        "Ranges (values outside are marked, never alarmed): systolic 90–160",
        "Safe harbour: fades over 8 s to Holding (warm pad) at 75 %, and grounding opens with "
        "the words \"You're safe. I'm right here. Let's notice the room.\"",
        "  - What stood out for you?",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


def test_plan_of_a_broken_playlist_prints_the_problems_and_fails(tmp_path, capsys) -> None:
    path = write(tmp_path, "name: x\nphases: [{name: a, minutes: 5}]\nschedule:\n"
                           "  - {at: 5, vitals: [pulse]}\n")
    code, lines = _run(path, capsys)
    assert code == 1
    assert lines[0] == f"{path}:4:22: unknown reading `pulse` (known: bp, hr, spo2, rr, temp; " \
                       "name other scores under `scales`)"


def test_plan_of_a_missing_file_is_a_usage_error(tmp_path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        plan_command.run(argparse.Namespace(playlist=str(tmp_path / "nope.yaml")))


def test_without_a_dose_phase_the_dose_times_wait_for_the_mark(tmp_path) -> None:
    path = write(tmp_path, "name: Short\nphases: [{name: Only, minutes: 1.5}]\n"
                           "schedule:\n  - {at: 0.25, check_in: Breathe}\n"
                           "  - {before_leaving: true, vitals: [hr]}\n")
    lines = timeline_lines(load_playlist(path))
    assert "  0:00     Phase Only, 1:30: silence" in lines
    assert "  0:01:30  The music ends: the last fade over 20 s, then silence." in lines
    assert "After the dose (whenever the sitter marks it)" in lines
    assert '  +0:00:15 Check-in: "Breathe"' in lines
    assert "           Vitals: HR (when the client is marked ready to leave)" in lines


@pytest.mark.parametrize(("minutes", "after", "text"), [
    (0, False, "0:00"), (15, True, "+0:15"), (90, True, "+1:30"), (0.25, True, "+0:00:15")])
def test_clock_minutes(minutes, after, text) -> None:
    assert clock_minutes(minutes, after) == text
