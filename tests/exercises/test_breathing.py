"""The breathing patterns and the pacer: timings, custom patterns, pause, length, ending."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from companion.breathing import (Pacer, Pattern, Step, builtin_patterns, find_pattern,
                                 spec_problems, timing_text)
from companion.clock import FakeClock
from companion.errors import ExerciseError
from companion.wording import Wording

BUILTIN_TIMINGS = {
    "box": [("inhale", 4), ("hold", 4), ("exhale", 4), ("hold", 4)],
    "4-7-8": [("inhale", 4), ("hold", 7), ("exhale", 8)],
    "resonance": [("inhale", 5.5), ("exhale", 5.5)],
    "coherent": [("inhale", 5), ("exhale", 5)],
    "extended-exhale": [("inhale", 4), ("exhale", 6)],
    "physiological-sigh": [("inhale", 4), ("inhale", 1.5), ("exhale", 8)],
    "equal": [("inhale", 4), ("exhale", 4)],
    "calming": [("inhale", 2), ("exhale", 4)],
}


@dataclass(frozen=True)
class StepSpec:
    kind: str
    seconds: float
    words: str = ""


@dataclass(frozen=True)
class BreathingSpec:
    name: str
    title: str
    steps: tuple
    cycles: int | None = None
    minutes: float | None = None
    line: int = 0


def calm_spec(**changes) -> BreathingSpec:
    fields = dict(name="calm-4-6", title="Calm 4-6", cycles=6, line=12, steps=(
        StepSpec("inhale", 4, "Breathe in slowly... two... three... four"),
        StepSpec("exhale", 6, "And let it go... slowly...")))
    fields.update(changes)
    return BreathingSpec(**fields)


@pytest.mark.parametrize("name, timings", BUILTIN_TIMINGS.items())
def test_builtin_pattern_has_its_published_timings(name, timings):
    pattern = find_pattern(name)
    assert [(s.kind, s.seconds) for s in pattern.steps] == timings
    assert all(step.words for step in pattern.steps)
    assert pattern.title and pattern.summary


def test_every_builtin_pattern_is_listed_and_tested():
    assert [p.name for p in builtin_patterns()] == list(BUILTIN_TIMINGS)


def test_resonance_is_about_five_and_a_half_breaths_a_minute():
    assert find_pattern("resonance").breaths_per_minute == pytest.approx(5.45, abs=0.01)


def test_physiological_sigh_exhale_outlasts_both_inhales():
    steps = find_pattern("physiological-sigh").steps
    assert steps[2].seconds > steps[0].seconds + steps[1].seconds
    assert 1 <= steps[1].seconds <= 2


def test_timing_text_reads_like_the_pattern_name():
    assert timing_text(find_pattern("4-7-8")) == "in 4 · hold 7 · out 8"


def test_spanish_wording_gives_spanish_words_with_same_timings():
    pattern = find_pattern("box", wording=Wording("es"))
    assert pattern.title == "Respiración cuadrada"
    assert pattern.steps[0].words.startswith("Inhala")
    assert [s.seconds for s in pattern.steps] == [4, 4, 4, 4]


def test_playlist_wording_overrides_a_builtin_steps_words_and_the_closing_line():
    wording = Wording("en", {"breathing.patterns.box.step1": "Slowly in, with me",
                             "breathing.closing": "Rest now."})
    pattern = find_pattern("box", wording=wording)
    assert pattern.steps[0].words == "Slowly in, with me"
    assert Pacer(pattern, FakeClock(0), wording=wording).closing_line == "Rest now."


def test_every_english_breathing_line_is_translated_to_spanish():
    from companion.wording import missing_keys

    assert [key for key in missing_keys("es") if key.startswith("breathing.")] == []


def test_unknown_pattern_names_the_known_ones():
    with pytest.raises(ExerciseError) as caught:
        find_pattern("square")
    assert "'square'" in str(caught.value)
    for name in BUILTIN_TIMINGS:
        assert name in str(caught.value)


def test_pattern_name_ignores_case():
    assert find_pattern("BOX").name == "box"


def test_custom_spec_becomes_a_pattern_with_its_words():
    pattern = Pattern.from_spec(calm_spec())
    assert pattern.name == "calm-4-6" and pattern.title == "Calm 4-6"
    assert pattern.steps == (Step("inhale", 4.0, "Breathe in slowly... two... three... four"),
                             Step("exhale", 6.0, "And let it go... slowly..."))
    assert pattern.cycles == 6 and not pattern.builtin


def test_custom_pattern_is_found_beside_the_builtins():
    assert find_pattern("calm-4-6", custom=[calm_spec()]).cycle_seconds == 10


def test_custom_pattern_replaces_a_builtin_of_the_same_name():
    pattern = find_pattern("box", custom=[calm_spec(name="box")])
    assert not pattern.builtin


def test_custom_step_without_words_gets_the_generic_words():
    spec = calm_spec(steps=(StepSpec("inhale", 4), StepSpec("exhale", 6)))
    clock = FakeClock(0)
    state = Pacer(Pattern.from_spec(spec), clock).state()
    assert state.words == "Breathe in slowly through your nose..."


@pytest.mark.parametrize("changes, problem", [
    (dict(steps=()), "needs at least one step"),
    (dict(steps=(StepSpec("inhale", 4), StepSpec("breathe", 4))), "step 2 is 'breathe'"),
    (dict(steps=(StepSpec("inhale", 0), StepSpec("exhale", 4))), "step 1 lasts 0 seconds"),
    (dict(steps=(StepSpec("inhale", -2), StepSpec("exhale", 4))), "step 1 lasts -2 seconds"),
    (dict(steps=(StepSpec("inhale", "4"), StepSpec("exhale", 4))), "step 1 lasts '4' seconds"),
    (dict(steps=(StepSpec("inhale", 4), StepSpec("exhale", 90))), "at most 60"),
    (dict(steps=(StepSpec("inhale", 4), StepSpec("hold", 4))), "one inhale and one exhale"),
    (dict(cycles=0), "cycles is 0"),
    (dict(cycles=3, minutes=2), "not both"),
    (dict(cycles=None, minutes=-1), "minutes is -1"),
])
def test_invalid_custom_pattern_is_refused_with_name_and_line(changes, problem):
    spec = calm_spec(**changes)
    assert any(problem in message for message in spec_problems(spec))
    with pytest.raises(ExerciseError) as caught:
        Pattern.from_spec(spec)
    assert "'calm-4-6' (line 12)" in str(caught.value)


def test_valid_custom_pattern_has_no_problems():
    assert spec_problems(calm_spec()) == []


def expected_changes(pattern: Pattern, cycles: int, start: float) -> list[tuple[float, int]]:
    """(time, step index) of every step start, computed independently by multiplication."""
    changes = []
    offsets = [sum(s.seconds for s in pattern.steps[:i]) for i in range(len(pattern.steps))]
    for cycle in range(cycles):
        for index, offset in enumerate(offsets):
            changes.append((start + cycle * pattern.cycle_seconds + offset, index))
    return changes


@pytest.mark.parametrize("name", list(BUILTIN_TIMINGS))
def test_thirty_minutes_find_every_step_change_exactly_where_it_belongs(name):
    pattern = find_pattern(name)
    clock = FakeClock(5000.0)
    cycles = int(30 * 60 // pattern.cycle_seconds)
    pacer = Pacer(pattern, clock, cycles=cycles)
    expected = expected_changes(pattern, cycles, 5000.0)
    found = [(clock(), pacer.state().step_index)]
    # Jump from change to change as a screen's one-shot timer would.
    while (change := pacer.next_change()) is not None:
        clock.now = change - 1e-6
        assert pacer.state().step_index == found[-1][1], "changed early"
        clock.now = change
        state = pacer.state()
        if state.finished:
            break
        found.append((change, state.step_index))
    assert len(found) == len(expected)
    for (at, index), (want_at, want_index) in zip(found, expected):
        assert index == want_index
        assert at == pytest.approx(want_at, abs=1e-9)
    assert clock() == pytest.approx(5000.0 + cycles * pattern.cycle_seconds, abs=1e-9)
    assert pacer.finished


def test_thirty_minutes_sampled_every_tenth_of_a_second_agree_with_the_schedule():
    pattern = find_pattern("resonance")
    clock = FakeClock(0.0)
    pacer = Pacer(pattern, clock, minutes=30)
    for tick in range(30 * 60 * 10):
        clock.now = tick / 10
        state = pacer.state()
        into = clock.now % 11.0
        assert state.kind == ("inhale" if into < 5.5 else "exhale")
        assert state.cycle == int(clock.now // 11.0) + 1
    assert pacer.cycles == 164  # 30 minutes of 11 s cycles, rounded to whole breaths
    clock.now = 164 * 11.0 - 0.01
    assert not pacer.finished
    clock.now = 164 * 11.0
    assert pacer.finished


def test_count_goes_up_each_second_within_a_step():
    clock = FakeClock(0)
    pacer = Pacer(find_pattern("4-7-8"), clock)
    clock.advance(4)
    counts = []
    for _ in range(7):
        counts.append((pacer.state().kind, pacer.state().count))
        clock.advance(1)
    assert counts == [("hold", n) for n in range(1, 8)]


def test_half_second_steps_count_their_last_half_second():
    clock = FakeClock(0)
    pacer = Pacer(find_pattern("resonance"), clock)
    clock.advance(5.25)
    assert pacer.state().count == 6
    assert pacer.next_count() == pytest.approx(5.5)


def test_progress_grows_on_inhale_holds_and_shrinks_on_exhale():
    clock = FakeClock(0)
    pacer = Pacer(find_pattern("box"), clock)
    samples = []
    for _ in range(16 * 4):
        samples.append(pacer.state().progress)
        clock.advance(0.25)
    inhale, hold_full, exhale, hold_empty = (samples[i * 16:(i + 1) * 16] for i in range(4))
    assert inhale == sorted(inhale) and inhale[0] == 0
    assert all(p == pytest.approx(1.0) for p in hold_full)
    assert exhale == sorted(exhale, reverse=True)
    assert all(p == pytest.approx(0.0) for p in hold_empty)


def test_sigh_top_up_fills_the_last_part_of_the_breath():
    clock = FakeClock(0)
    pacer = Pacer(find_pattern("physiological-sigh"), clock)
    clock.advance(4)
    first = pacer.state()
    assert first.label == "A little more"
    assert first.progress == pytest.approx(4 / 5.5)
    clock.advance(1.5)
    assert pacer.state().kind == "exhale" and pacer.state().progress == pytest.approx(1.0)


def test_pause_leaves_the_paused_time_out():
    clock = FakeClock(0)
    pacer = Pacer(find_pattern("box"), clock, cycles=2)
    clock.advance(3)
    pacer.pause()
    assert pacer.next_change() is None
    clock.advance(100)
    state = pacer.state()
    assert state.paused and state.kind == "inhale" and state.seconds_in == pytest.approx(3)
    pacer.resume()
    assert pacer.next_change() == pytest.approx(104)
    clock.advance(1)
    assert pacer.state().kind == "hold"
    clock.advance(27.999)
    assert not pacer.finished
    clock.advance(0.001)
    assert pacer.finished
    assert pacer.elapsed() == pytest.approx(32)


def test_pausing_twice_and_resuming_twice_counts_once():
    clock = FakeClock(0)
    pacer = Pacer(find_pattern("equal"), clock)
    clock.advance(2)
    pacer.pause()
    pacer.pause()
    clock.advance(5)
    pacer.resume()
    pacer.resume()
    assert pacer.elapsed() == pytest.approx(2)


@pytest.mark.parametrize("minutes, cycles", [(1, 5), (2, 11), (0.1, 1), (3, 16)])
def test_minutes_round_to_whole_cycles_so_it_ends_after_an_exhale(minutes, cycles):
    pacer = Pacer(find_pattern("resonance"), FakeClock(0), minutes=minutes)
    assert pacer.cycles == cycles


def test_cycles_and_minutes_together_are_refused():
    with pytest.raises(ExerciseError):
        Pacer(find_pattern("box"), FakeClock(0), cycles=2, minutes=2)


def test_pattern_default_length_applies_without_cycles_or_minutes():
    assert Pacer(find_pattern("box"), FakeClock(0)).cycles == 6
    assert Pacer(find_pattern("coherent"), FakeClock(0)).cycles == 30


def test_ending_says_the_closing_line_and_counts_cycles():
    clock = FakeClock(0)
    pacer = Pacer(find_pattern("equal"), clock, cycles=3)
    clock.advance(24)
    state = pacer.state()
    assert state.finished and state.phase == "done"
    assert state.words == "Let your breath return to its own rhythm."
    assert state.cycles_done == 3 and state.progress == 0.0
    assert pacer.next_change() is None


def test_stop_ends_gently_and_keeps_the_cycles_done():
    clock = FakeClock(0)
    pacer = Pacer(find_pattern("equal"), clock, cycles=10)
    clock.advance(20)
    pacer.stop()
    clock.advance(50)
    state = pacer.state()
    assert state.finished and state.cycles_done == 2
    assert pacer.elapsed() == pytest.approx(20)
    assert state.words == pacer.closing_line


def test_lead_in_shows_the_opening_line_and_counts_down():
    clock = FakeClock(0)
    pacer = Pacer(find_pattern("box"), clock, lead_in=3)
    state = pacer.state()
    assert state.phase == "ready" and state.count == 3
    assert state.words.startswith("We'll breathe together")
    assert pacer.next_count() == pytest.approx(1)
    clock.advance(2.5)
    assert pacer.state().count == 1
    assert pacer.next_change() == pytest.approx(3)
    clock.advance(0.5)
    assert pacer.state().kind == "inhale" and pacer.state().count == 1
    assert pacer.elapsed() == 0


def test_upcoming_names_the_next_step_and_the_end():
    clock = FakeClock(0)
    pacer = Pacer(find_pattern("extended-exhale"), clock, cycles=1, lead_in=2)
    assert pacer.upcoming() == ("inhale", 2)
    clock.advance(2)
    assert pacer.upcoming() == ("exhale", 6)
    clock.advance(4)
    assert pacer.upcoming() == ("end", 12)


def test_breathe_list_prints_every_pattern_with_timings(capsys):
    from companion.cli import main

    assert main(["breathe", "--list"]) == 0
    out = capsys.readouterr().out
    assert "box                 in 4 · hold 4 · out 4 · hold 4  (6 cycles)  Box breathing" in out
    assert "physiological-sigh  in 4 · in 1.5 · out 8  (3 cycles)" in out
    for name in BUILTIN_TIMINGS:
        assert f"  {name} " in out


def test_breathe_unknown_pattern_exits_2_and_names_the_known_ones(capsys):
    from companion.cli import main

    assert main(["breathe", "square"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("companion: unknown breathing pattern 'square'; known patterns: box, ")


def test_breathe_list_adds_a_playlists_own_patterns_in_its_language(tmp_path, capsys):
    from companion.cli import main

    playlist = tmp_path / "mine.yaml"
    playlist.write_text(
        "name: Mine\nlanguage: es\nphases:\n  - {name: Settling, minutes: 5, tracks: []}\n"
        "breathing:\n  - name: calm-4-6\n    title: Calma 4-6\n    cycles: 6\n    steps:\n"
        "      - {inhale: 4, words: Inhala}\n      - {exhale: 6, words: Exhala}\n",
        encoding="utf-8")
    assert main(["breathe", "--playlist", str(playlist), "--list"]) == 0
    out = capsys.readouterr().out
    assert "calm-4-6            inhala 4 · exhala 6  (6 ciclos)  Calma 4-6" in out
    assert "Respiración cuadrada" in out


def test_withdraw_cues_on_a_pause_and_an_early_stop_but_not_at_the_natural_end():
    from types import SimpleNamespace

    from companion.breathing import WithdrawCues

    calls = []
    guide = WithdrawCues(SimpleNamespace(withdraw_cues=lambda: calls.append("withdraw")))
    guide.started(None)
    guide.paused(None)
    guide.resumed(None)
    guide.stopped(SimpleNamespace(stopped=False))        # the end: its closing sounds stay
    assert calls == ["withdraw"]
    guide.stopped(SimpleNamespace(stopped=True))         # stopped early
    assert calls == ["withdraw", "withdraw"]
