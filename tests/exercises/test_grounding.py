"""The 5-4-3-2-1 state machine (every transition, its events) and the wording it speaks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from companion.clock import FakeClock
from companion.errors import ExerciseError
from companion.grounding import STEPS, Grounding, step_line
from companion.wording import (Wording, fill, known_keys, languages, load_file, missing_keys,
                               normalize_language)

SENSES = [s.sense for s in STEPS]


class Events(list):
    """Collects `(type, fields)` pairs as a screen's `on_event` would receive them."""

    def __call__(self, type_: str, fields: dict[str, Any]) -> None:
        self.append((type_, fields))

    def types(self) -> list[str]:
        return [t for t, _ in self]

    def last(self, type_: str) -> dict[str, Any]:
        return [f for t, f in self if t == type_][-1]


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def started(events: Events) -> Grounding:
    exercise = Grounding(events, clock=FakeClock(), mode="sitter")
    exercise.start()
    return exercise


def fill_step(exercise: Grounding, words: str = "") -> None:
    for _ in range(exercise.remaining):
        exercise.notice(words)


# -- the state machine ----------------------------------------------------------------------


def test_steps_are_five_four_three_two_one() -> None:
    assert [(s.sense, s.count) for s in STEPS] == [
        ("see", 5), ("hear", 4), ("feel", 3), ("smell", 2), ("taste", 1)]


def test_start_reports_mode_and_first_step(events: Events) -> None:
    exercise = Grounding(events, mode="client", lang="es")
    assert not exercise.started
    exercise.start()
    exercise.start()  # a second start changes nothing
    assert events == [
        ("grounding_started", {"mode": "client", "lang": "es"}),
        ("grounding_step", {"step": "see", "number": 1, "count": 5, "action": "start"}),
    ]
    assert exercise.step == STEPS[0] and exercise.remaining == 5


def test_walking_all_five_steps_reaches_the_closing_and_completes(events: Events) -> None:
    clock = FakeClock()
    exercise = Grounding(events, clock=clock, mode="sitter")
    exercise.start()
    for sense in SENSES:
        assert exercise.step is not None and exercise.step.sense == sense
        fill_step(exercise, f"a {sense} thing")
        clock.advance(10)
    assert exercise.at_closing and exercise.step is None and exercise.remaining == 0
    assert events.last("grounding_step") == {"step": "closing", "number": 6, "action": "done"}
    summary = exercise.finish()
    done = events.last("grounding_completed")
    assert done["items"] == {"see": 5, "hear": 4, "feel": 3, "smell": 2, "taste": 1}
    assert done["skipped"] == [] and done["all_steps"] is True
    assert done["duration"] == 50.0
    assert "words" not in done  # the words were already recorded item by item
    assert summary["words"]["taste"] == ["a taste thing"]
    assert events.types().count("grounding_item") == 15


def test_notice_reports_the_item_and_its_words(started: Grounding, events: Events) -> None:
    started.notice("  the   blue cup ")
    started.notice()
    items = [f for t, f in events if t == "grounding_item"]
    assert items == [{"step": "see", "item": 1, "count": 5, "text": "the blue cup"},
                     {"step": "see", "item": 2, "count": 5}]
    assert started.noticed == ("the blue cup", "")


def test_without_auto_advance_a_full_step_waits(events: Events) -> None:
    exercise = Grounding(events, auto_advance=False)
    exercise.start()
    for _ in range(7):
        exercise.notice()
    assert exercise.index == 0 and len(exercise.noticed) == 5  # no more than the count


def test_undo_takes_back_the_last_mark(started: Grounding, events: Events) -> None:
    started.notice("lamp")
    started.notice("cup")
    started.undo()
    assert started.noticed == ("lamp",)
    assert events[-1] == ("grounding_item_removed", {"step": "see", "item": 2})
    started.undo()
    started.undo()  # nothing left: nothing happens
    assert started.noticed == () and events.types().count("grounding_item_removed") == 2


@pytest.mark.parametrize(
    ("moves", "index", "action"),
    [
        (["next"], 1, "next"),
        (["next", "back"], 0, "back"),
        (["back"], 0, None),  # already at the first step: nothing to report
        (["skip"], 1, "skip"),
        (["next", "next", "next", "next", "next"], 5, "next"),
        (["next", "next", "next", "next", "next", "next"], 5, "next"),  # the closing is the end
        (["next", "next", "next", "next", "next", "back"], 4, "back"),  # back from the closing
        (["next", "repeat"], 1, "repeat"),
        (["next", "next", "restart"], 0, "restart"),
    ],
)
def test_moves_between_steps(started: Grounding, events: Events, moves: list[str], index: int,
                             action: str | None) -> None:
    before = len(events)
    for move in moves:
        getattr(started, move)()
    assert started.index == index
    steps = [f for t, f in events[before:] if t == "grounding_step"]
    assert (steps[-1]["action"] if steps else None) == action


def test_next_keeps_what_was_noticed(started: Grounding) -> None:
    started.notice("lamp")
    started.next()
    started.back()
    assert started.noticed == ("lamp",)


def test_skip_marks_the_step_until_it_is_done(started: Grounding) -> None:
    started.skip()
    assert started.summary()["skipped"] == ["see"]
    started.back()
    started.notice("window")
    assert started.summary()["skipped"] == []


def test_repeat_clears_the_step_and_its_skip(started: Grounding, events: Events) -> None:
    started.notice("lamp")
    started.repeat()
    assert started.noticed == () and started.index == 0
    assert events[-1] == ("grounding_step", {"step": "see", "number": 1, "count": 5,
                                             "action": "repeat"})


def test_restart_clears_everything_but_the_ratings(started: Grounding) -> None:
    started.rate("before", 8)
    fill_step(started, "x")
    started.skip()
    started.restart()
    assert started.index == 0 and started.items == [[], [], [], [], []]
    assert started.summary()["skipped"] == [] and started.rating_before == 8


def test_finishing_early_reports_stopped_at_the_step(started: Grounding, events: Events) -> None:
    started.notice()
    started.next()
    summary = started.finish()
    stopped = events.last("grounding_stopped")
    assert stopped["step"] == "hear" and stopped["all_steps"] is False
    assert "grounding_completed" not in events.types()
    assert summary["items"]["see"] == 1 and started.finished


def test_finish_without_start_starts_first(events: Events) -> None:
    Grounding(events).finish()
    assert events.types() == ["grounding_started", "grounding_step", "grounding_stopped"]


def test_finish_twice_reports_once(started: Grounding, events: Events) -> None:
    started.finish()
    started.finish()
    assert events.types().count("grounding_stopped") == 1


@pytest.mark.parametrize("move", ["notice", "undo", "next", "back", "skip", "repeat", "restart"])
def test_moves_need_a_running_exercise(events: Events, move: str) -> None:
    exercise = Grounding(events)
    with pytest.raises(ExerciseError, match="not started"):
        getattr(exercise, move)()
    exercise.start()
    exercise.finish()
    with pytest.raises(ExerciseError, match="already finished"):
        getattr(exercise, move)()


def test_ratings_before_and_after_are_reported_in_order(events: Events) -> None:
    exercise = Grounding(events)
    exercise.rate("before", 7)
    exercise.start()
    for _ in STEPS:
        fill_step(exercise)
    summary = exercise.finish(rating_after=3)
    assert events[0] == ("distress_rating", {"rating": 7, "scale": "0-10",
                                             "context": "grounding", "moment": "before"})
    # The rating after follows the end, as the record's reports pair it with the run.
    assert events.types()[-2:] == ["grounding_completed", "distress_rating"]
    assert events[-1][1]["moment"] == "after"
    assert events.last("grounding_completed")["rating_after"] == 3
    assert (summary["rating_before"], summary["rating_after"]) == (7, 3)


def test_a_skipped_rating_reports_nothing(events: Events) -> None:
    exercise = Grounding(events)
    exercise.rate("before", None)
    exercise.finish(rating_after=None)
    assert "distress_rating" not in events.types()
    assert exercise.summary()["rating_before"] is None


@pytest.mark.parametrize("value", [-1, 11, 2.5, True, "5"])
def test_ratings_outside_0_to_10_are_refused(value: Any) -> None:
    exercise = Grounding()
    with pytest.raises(ExerciseError, match="0 to 10"):
        exercise.rate("before", value)
    with pytest.raises(ExerciseError, match="0 to 10"):
        exercise.finish(rating_after=value)
    assert not exercise.finished


def test_rating_moment_must_be_before_or_after() -> None:
    with pytest.raises(ExerciseError, match="'during'"):
        Grounding().rate("during", 3)


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ExerciseError, match="'alone'"):
        Grounding(mode="alone")


def test_no_callback_means_nothing_is_kept_anywhere() -> None:
    exercise = Grounding()
    exercise.start()
    fill_step(exercise, "private")
    assert exercise.finish()["words"] == {"see": ["private"] * 5}


# -- wording --------------------------------------------------------------------------------


def write(root: Path, lang: str, stem: str, text: str) -> None:
    folder = root / lang
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def locales(tmp_path: Path) -> list[Path]:
    write(tmp_path, "en", "grounding", "see:\n  prompt: Notice {count} things\n  hint: Look\n"
          "title: Grounding\n")
    write(tmp_path, "en", "breathing", "closing: Let it go\nlabel.inhale: Breathe in\n")
    write(tmp_path, "fr", "grounding", "see:\n  prompt: Remarquez {count} choses\n")
    return [tmp_path]


def test_file_stem_prefixes_keys_and_nesting_equals_dots(locales: list[Path]) -> None:
    assert known_keys(locales) == {"grounding.see.prompt", "grounding.see.hint",
                                   "grounding.title", "breathing.closing",
                                   "breathing.label.inhale"}


def test_translation_is_used_and_missing_lines_fall_back_to_english(
        locales: list[Path]) -> None:
    wording = Wording("fr", dirs=locales)
    assert wording.get("grounding.see.prompt", count=5) == "Remarquez 5 choses"
    assert wording.get("grounding.see.hint") == "Look"
    assert wording.get("breathing.closing") == "Let it go"
    assert wording.known


def test_regional_code_falls_back_to_its_language_then_english(locales: list[Path]) -> None:
    write(locales[0], "fr_CA", "grounding", "title: Ancrage\n")
    wording = Wording("fr-ca", dirs=locales)
    assert wording.lang == "fr-CA"
    assert wording.get("grounding.title") == "Ancrage"
    assert wording.get("grounding.see.prompt", count=2) == "Remarquez 2 choses"
    assert wording.get("grounding.see.hint") == "Look"


def test_unknown_language_is_all_english_and_says_so(locales: list[Path]) -> None:
    wording = Wording("xx", dirs=locales)
    assert not wording.known
    assert wording.get("grounding.title") == "Grounding"


def test_overrides_win_over_every_language(locales: list[Path]) -> None:
    wording = Wording("fr", {"grounding.see.prompt": "Look for {count} things",
                             "grounding.title": "Anchor"}, dirs=locales)
    assert wording.get("grounding.see.prompt", count=5) == "Look for 5 things"
    assert wording["grounding.title"] == "Anchor"


def test_unknown_key_gives_default_or_the_key(locales: list[Path]) -> None:
    wording = Wording(dirs=locales)
    assert wording.get("grounding.nope") == "grounding.nope"
    assert wording.get("grounding.nope", default="Hi {name}", name="Ana") == "Hi Ana"
    assert "grounding.nope" not in wording and "grounding.title" in wording
    with pytest.raises(KeyError):
        wording["grounding.nope"]


def test_missing_keys_lists_untranslated_lines(locales: list[Path]) -> None:
    assert missing_keys("fr", locales) == ["breathing.closing", "breathing.label.inhale",
                                           "grounding.see.hint", "grounding.title"]
    assert missing_keys("en", locales) == []
    assert len(missing_keys("xx", locales)) == 5


def test_languages_lists_folders_with_wording(locales: list[Path]) -> None:
    (locales[0] / "de").mkdir()  # empty: not a language yet
    assert languages(locales) == ["en", "fr"]


def test_first_folder_wins_per_line(tmp_path: Path, locales: list[Path]) -> None:
    user = tmp_path / "user"
    write(user, "en", "grounding", "title: Coming back\n")
    wording = Wording("en", dirs=[user, *locales])
    assert wording.get("grounding.title") == "Coming back"
    assert wording.get("grounding.see.hint") == "Look"


@pytest.mark.parametrize(("text", "message"), [
    ("see: [a, b]\n", "must be text"),
    ("see: yes\n", "must be text"),
    ("see:\n", "must be text"),
    ("- a list\n", "a mapping"),
    ("see: 'unclosed\n", "not valid YAML"),
])
def test_malformed_wording_files_say_where(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "en", "grounding", text)
    with pytest.raises(ExerciseError, match=message) as caught:
        load_file(tmp_path / "en" / "grounding.yaml")
    assert "grounding.yaml" in str(caught.value)


def test_a_yaml_error_names_the_line(tmp_path: Path) -> None:
    write(tmp_path, "en", "grounding", "title: ok\nsee: 'unclosed\n")
    with pytest.raises(ExerciseError, match=r"grounding\.yaml:\d+:\d+: not valid YAML"):
        load_file(tmp_path / "en" / "grounding.yaml")


def test_numbers_are_text_and_empty_files_are_fine(tmp_path: Path) -> None:
    write(tmp_path, "en", "grounding", "count: 5\n")
    write(tmp_path, "en", "empty", "# nothing yet\n")
    assert Wording(dirs=[tmp_path]).get("grounding.count") == "5"


@pytest.mark.parametrize(("text", "fields", "expected"), [
    ("Step {number} of {total}", {"number": 2, "total": 5}, "Step 2 of 5"),
    ("Hello {name}", {}, "Hello {name}"),
    ("Hello {nmae}", {"name": "Ana"}, "Hello {nmae}"),  # a typo shows instead of crashing
    ("Broken {brace", {"x": 1}, "Broken {brace"),
])
def test_fill(text: str, fields: dict[str, Any], expected: str) -> None:
    assert fill(text, fields) == expected


@pytest.mark.parametrize(("code", "expected"), [("es", "es"), ("ES_mx", "es-MX"),
                                                ("pt-br", "pt-BR")])
def test_normalize_language(code: str, expected: str) -> None:
    assert normalize_language(code) == expected


# -- the bundled wording --------------------------------------------------------------------


def test_bundled_english_has_every_line_the_exercise_uses() -> None:
    keys = known_keys([Path(__file__).resolve().parents[2] / "companion" / "locales"])
    for sense in SENSES:
        for part in ("name", "prompt", "sitter", "hint"):
            assert f"grounding.{sense}.{part}" in keys
    for key in ("opening.client", "opening.sitter", "closing.client", "closing.sitter",
                "rating.before.client", "rating.after.sitter", "too_small", "quote"):
        assert f"grounding.{key}" in keys


def test_bundled_spanish_translates_every_grounding_line() -> None:
    assert [k for k in missing_keys("es") if k.startswith("grounding.")] == []
    assert "es" in languages() and "en" in languages()


def test_taste_offers_water_or_a_mint() -> None:
    assert Wording("en").get("grounding.taste.hint") == (
        "If nothing, take a sip of water or a mint and notice it.")


def test_sitter_reads_its_own_variant_unless_the_prompt_was_overridden() -> None:
    plain = Wording("en")
    assert step_line(plain, "see", "prompt", "sitter") == plain.get("grounding.see.sitter")
    assert step_line(plain, "see", "prompt", "client") == plain.get("grounding.see.prompt")
    mine = Wording("en", {"grounding.see.prompt": "Five things you see, please."})
    assert step_line(mine, "see", "prompt", "sitter") == "Five things you see, please."
    assert step_line(mine, "see", "hint", "sitter") == plain.get("grounding.see.sitter_hint")


def test_wording_for_a_playlist_takes_its_language_and_overrides() -> None:
    class Playlist:
        language = "es"
        wording = {"grounding.title": "Volver"}

    wording = Wording.for_playlist(Playlist())
    assert wording.lang == "es" and wording.get("grounding.title") == "Volver"
    assert Wording.for_playlist(Playlist(), lang="en").get("grounding.see.name") == "See"
    assert Wording.for_playlist(None).lang == "en"


def test_a_clinic_adds_a_language_in_its_config_folder(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_CONFIG_DIR", str(tmp_path))
    write(tmp_path / "locales", "fr", "grounding", "title: Ancrage\n")
    assert "fr" in languages()
    wording = Wording("fr")
    assert wording.known and wording.get("grounding.title") == "Ancrage"
    assert wording.get("grounding.see.name") == "See"
    assert "grounding.see.name" in missing_keys("fr")
