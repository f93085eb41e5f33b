"""Every class of checker problem, with its exact line and column."""

from __future__ import annotations

import pytest

from companion.playlist import check_playlist
from tests.playlist.helpers import located, write

CASES = [
    ("yaml_syntax", "name: x\nphases: [\n", ["3:1: YAML syntax: expected the node content"]),
    ("tab_indent", "name: x\nphases:\n\t- name: a\n", ["3:1: YAML syntax: found character '\\t' "
                                                       "that cannot start any token; indent with "
                                                       "spaces, not tabs"]),
    ("two_documents", "name: x\n---\nname: y\n", ["2:1: YAML syntax: expected a single document "
                                                   "in the stream, but found another document"]),
    ("empty_file", "", ["1:1: the file is empty; a playlist needs at least `name` and "
                        "`phases`"]),
    ("not_a_mapping", "- a\n- b\n", ["1:1: a playlist must be a mapping of keys"]),
    ("unknown_key_hint", "name: x\nphases: [{name: a, minutes: 1}]\nplayback:\n  fadein: 3\n",
     ["4:3: unknown key `fadein` in the playback settings; did you mean `fade_in`?"]),
    ("unknown_key_listed", "name: x\nphases: [{name: a, minutes: 1}]\nzzz: 1\n",
     ["3:1: unknown key `zzz` in a playlist (known keys: name, description"]),
    ("missing_name", "phases: [{name: a, minutes: 1}]\n", ["1:1: a playlist needs `name`"]),
    ("missing_phases", "name: x\n", ["1:1: a playlist needs `phases`"]),
    ("empty_phases", "name: x\nphases: []\n", ["2:9: `phases` needs at least 1 item"]),
    ("phase_needs_length", "name: x\nphases:\n  - name: a\n",
     ["3:5: a phase needs `minutes` or `until`"]),
    ("phase_both_lengths", "name: x\nphases:\n  - name: a\n    minutes: 3\n    until: dose\n",
     ["5:5: a phase takes `minutes` or `until`, not both `minutes` and `until`"]),
    ("until_unknown", "name: x\nphases:\n  - {name: a, until: dos}\n",
     ["3:22: unknown `until` 'dos'; did you mean `dose`?"]),
    ("track_needs_source", "name: x\nphases:\n  - name: a\n    minutes: 1\n    tracks:\n"
     "      - title: t\n", ["6:9: a track needs `file` or `builtin`"]),
    ("track_both_sources", "name: x\nphases:\n  - name: a\n    minutes: 1\n    tracks:\n"
     "      - {file: a.wav, builtin: ocean}\n",
     ["6:23: a track takes `file` or `builtin`, not both `file` and `builtin`"]),
    ("builtin_unknown", "name: x\nphases:\n  - name: a\n    minutes: 1\n    tracks:\n"
     "      - builtin: brown_noise\n", ["6:18: unknown `builtin` 'brown_noise'; did you mean "
                                        "`brown-noise`?"]),
    ("number_is_text", "name: x\nplayback: {volume: loud}\nphases: [{name: a, minutes: 1}]\n",
     ["2:20: `volume` must be a number, not text 'loud'"]),
    ("number_quoted", "name: x\nplayback: {volume: '40'}\nphases: [{name: a, minutes: 1}]\n",
     ["2:20: `volume` must be a number, not text '40' (remove the quotes)"]),
    ("number_out_of_range", "name: x\nplayback: {volume: 120}\nphases: [{name: a, minutes: 1}]\n",
     ["2:20: `volume` must be between 0 and 100 percent, not 120"]),
    ("number_zero_minutes", "name: x\nphases: [{name: a, minutes: 0}]\n",
     ["2:29: `minutes` must be more than 0 and at most 600 minutes, not 0"]),
    ("number_sexagesimal", "name: x\nphases: [{name: a, minutes: 1:30}]\n",
     ["2:29: `minutes` must be a plain number, not '1:30' (write minutes as e.g. 90 or 1.5)"]),
    ("number_not_finite", "name: x\nplayback: {crossfade: .inf}\nphases: [{name: a, minutes: 1}]\n",
     ["2:23: `crossfade` must be a finite number, not .inf"]),
    ("number_null", "name: x\nplayback:\n  fade_in:\nphases: [{name: a, minutes: 1}]\n",
     ["3:11: `fade_in` must be a number, not no value"]),
    ("whole_number", "name: x\nphases: [{name: a, minutes: 1}]\nbreathing:\n  - name: b\n"
     "    cycles: 2.5\n    steps: [{inhale: 4}, {exhale: 4}]\n",
     ["5:13: `cycles` must be a whole number, not 2.5"]),
    ("flag_not_bool", "name: x\nphases:\n  - {name: a, minutes: 1, tracks: [{builtin: ocean, "
     "loop: 1}]}\n", ["3:59: `loop` must be true or false, not the number 1"]),
    ("text_empty", "name: ''\nphases: [{name: a, minutes: 1}]\n", ["1:7: `name` is empty"]),
    ("text_null", "name:\nphases: [{name: a, minutes: 1}]\n", ["1:6: `name` has no value"]),
    ("text_is_list", "name: [a]\nphases: [{name: a, minutes: 1}]\n",
     ["1:7: `name` must be text, not a list"]),
    ("list_is_mapping", "name: x\nphases:\n  name: a\n",
     ["3:3: `phases` must be a list of phases (each item starts with `- `), not a mapping"]),
    ("language_pattern", "name: x\nlanguage: english!\nphases: [{name: a, minutes: 1}]\n",
     ["2:11: `language` must be a language code such as en, es or pt-BR"]),
    ("duplicate_key", "name: x\nname: y\nphases: [{name: a, minutes: 1}]\n",
     ["2:1: duplicate key `name` (first on line 1); YAML keeps only the last one"]),
    ("duplicate_phase", "name: x\nphases:\n  - {name: Peak, minutes: 1}\n"
     "  - {name: peak, minutes: 2}\n", ["4:12: phase name `peak` is used twice (first on line 3)"]),
    ("two_dose_phases", "name: x\nphases:\n  - {name: a, until: dose}\n  - {name: b, until: dose}\n",
     ["4:22: only one phase can last until the dose (also on line 3)"]),
    ("volume_above_ceiling", "name: x\nplayback: {volume: 90, ceiling: 70}\n"
     "phases: [{name: a, minutes: 1}]\n", ["2:20: `volume` 90 is above the `ceiling` 70"]),
    ("seed_on_file", "name: x\nphases:\n  - name: a\n    minutes: 1\n    tracks:\n"
     "      - {file: a.wav, seed: 2}\n", ["6:29: `seed` only applies to a `builtin` sound",
                                          "6:16: file not found"]),
    ("breathing_duplicate", "name: x\nphases: [{name: a, minutes: 1}]\nbreathing:\n"
     "  - {name: calm, steps: [{inhale: 4}, {exhale: 4}]}\n"
     "  - {name: calm, steps: [{inhale: 4}, {exhale: 4}]}\n",
     ["5:12: breathing pattern name `calm` is used twice (first on line 4)"]),
    ("breathing_name_pattern", "name: x\nphases: [{name: a, minutes: 1}]\nbreathing:\n"
     "  - {name: Calm Four, steps: [{inhale: 4}, {exhale: 4}]}\n",
     ["4:12: `name` must be lower-case letters, digits and dashes"]),
    ("breathing_step_kind", "name: x\nphases: [{name: a, minutes: 1}]\nbreathing:\n"
     "  - name: b\n    steps:\n      - {inhale: 4}\n      - {exhail: 4}\n",
     ["6:7: a breathing pattern needs at least one `inhale` and one `exhale` step",
      "7:10: unknown key `exhail` in a breathing step; did you mean `exhale`?",
      "7:9: a breathing step needs `inhale`, `exhale` or `hold`"]),
    ("breathing_step_too_long", "name: x\nphases: [{name: a, minutes: 1}]\nbreathing:\n"
     "  - name: b\n    steps: [{inhale: 4}, {exhale: 90}]\n",
     ["5:35: `exhale` must be more than 0 and at most 60 seconds, not 90"]),
    ("breathing_words_not_text", "name: x\nphases: [{name: a, minutes: 1}]\nbreathing:\n"
     "  - name: b\n    steps: [{inhale: 4, words: [a]}, {exhale: 4}]\n",
     ["5:32: `words` must be text, not a list"]),
    ("breathing_cycles_and_minutes", "name: x\nphases: [{name: a, minutes: 1}]\nbreathing:\n"
     "  - {name: b, cycles: 3, minutes: 2, steps: [{inhale: 4}, {exhale: 4}]}\n",
     ["4:26: a breathing pattern takes `cycles` or `minutes`, not both `cycles` and `minutes`"]),
    ("cue_role_unknown", "name: x\nphases: [{name: a, minutes: 1}]\ncues:\n"
     "  exhail: {builtin: chime}\n",
     ["4:3: unknown key `exhail` in the cue sounds; did you mean `exhale`?"]),
    ("cue_builtin_is_soundscape", "name: x\nphases: [{name: a, minutes: 1}]\ncues:\n"
     "  inhale: {builtin: ocean}\n", ["4:21: unknown `builtin` 'ocean' (known: soft-bell, chime, bowl)"]),
    ("wording_key_shape", "name: x\nphases: [{name: a, minutes: 1}]\nwording:\n  Hello: hi\n",
     ["4:3: `Hello` in `wording` must be a dotted key such as grounding.see.prompt"]),
    ("wording_unknown_key", "name: x\nphases: [{name: a, minutes: 1}]\nwording:\n"
     "  grounding.see.promt: Look\n",
     ["4:3: unknown wording key `grounding.see.promt`; did you mean `grounding.see.prompt`?"]),
    ("wording_value_not_text", "name: x\nphases: [{name: a, minutes: 1}]\nwording:\n"
     "  grounding.see.prompt: [a]\n", ["4:25: `grounding.see.prompt` must be text, not a list"]),
    ("unknown_tag", "name: !shout x\nphases: [{name: a, minutes: 1}]\n",
     ["1:7: unknown tag `!shout` on `name`"]),
    ("key_not_scalar", "name: x\nphases: [{name: a, minutes: 1}]\n? [a, b]\n: c\n",
     ["3:3: a key must be a plain word, not a list"]),
    ("undefined_alias", "name: *nothing\nphases: [{name: a, minutes: 1}]\n",
     ["1:7: YAML syntax: found undefined alias 'nothing'"]),
    ("control_character", "name: a\x07b\nphases: [{name: a, minutes: 1}]\n",
     ["1:8: YAML syntax: special characters are not allowed (character U+0007)"]),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_checker_reports_problem_at_exact_position(tmp_path, text, expected):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    problems = check_playlist(path)
    got = located(problems)
    for want in expected:
        assert any(line.startswith(want) for line in got), f"{want!r} not in {got!r}"
    assert all(str(p).startswith(f"{path}:{p.line}:{p.column}: ") for p in problems)


def test_checker_reports_every_problem_not_just_the_first(tmp_path):
    path = write(tmp_path, """\
        name: x
        playback:
          volum: 40
          ceiling: 200
        phases:
          - name: a
            minutes: -1
            tracks:
              - builtin: oceans
        """)
    assert located(check_playlist(path)) == [
        "3:3: unknown key `volum` in the playback settings; did you mean `volume`?",
        "4:12: `ceiling` must be between 0 and 100 percent, not 200",
        "7:14: `minutes` must be more than 0 and at most 600 minutes, not -1",
        "9:18: unknown `builtin` 'oceans'; did you mean `ocean`?",
    ]


def test_merge_keys_are_read_and_explicit_keys_win(tmp_path):
    path = write(tmp_path, """\
        name: x
        phases:
          - &base {name: a, minutes: 5, tracks: [{builtin: ocean}]}
          - <<: *base
            name: b
        """)
    assert check_playlist(path) == []


def test_missing_and_windows_files_are_warnings_at_the_file_value(tmp_path):
    path = write(tmp_path, """\
        name: x
        phases:
          - name: a
            minutes: 5
            tracks:
              - file: music/none.flac
              - file: 'D:\\Music\\a.mp3'
        """)
    problems = check_playlist(path)
    assert [(p.line, p.column, p.severity) for p in problems] == [(6, 15, "warning"),
                                                                  (7, 15, "warning")]
    assert problems[0].message == (f"file not found: music/none.flac (looked for "
                                   f"{tmp_path / 'music' / 'none.flac'})")
    assert "is a Windows path" in problems[1].message


def test_unplayable_file_is_reported_with_its_reason(tmp_path):
    (tmp_path / "cover.mp3").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    path = write(tmp_path, """\
        name: x
        phases:
          - {name: a, minutes: 5, tracks: [{file: cover.mp3}]}
        """)
    [problem] = check_playlist(path)
    assert (problem.line, problem.column) == (3, 43)
    assert problem.message.startswith("cannot play cover.mp3: ")



def test_odd_file_entries_are_reported_without_a_traceback(tmp_path):
    path = write(tmp_path, """\
        name: x
        phases:
          - name: a
            minutes: 1
            tracks:
              - file: .
              - file: /dev/null
              - file: "a\\0b"
        """)
    got = located(check_playlist(path))
    assert got[0].startswith("6:15: cannot play .: ")
    assert got[1].startswith("7:15: cannot play /dev/null: ")
    assert got[2] == "8:15: file name `a\\x00b` holds control characters"
