"""The user's config file: key remaps, reduced motion, vitals ranges, and clear errors."""

from __future__ import annotations

import pytest

from companion.config import load_config
from companion.errors import PlaylistError
from companion.ui.screens.session import SESSION_BINDINGS

IDS = [binding.id for binding in SESSION_BINDINGS]


def write(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


def test_no_file_means_the_defaults(tmp_path):
    config = load_config(tmp_path / "config.yaml", binding_ids=IDS)
    assert dict(config.keys) == {} and config.reduced_motion is False and config.vitals is None


def test_the_default_location_is_the_config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPANION_CONFIG_DIR", str(tmp_path))
    write(tmp_path, "reduced_motion: true\n")
    assert load_config().reduced_motion is True


def test_keys_reduced_motion_and_vitals_are_read(tmp_path):
    config = load_config(write(tmp_path, """\
keys:
  pause: k
  note: [a, ctrl+n]
reduced_motion: true
vitals:
  heart_rate: [50, 110]
  spo2: [94, 100]
"""), binding_ids=IDS)
    assert dict(config.keys) == {"pause": "k", "note": "a,ctrl+n"}
    assert config.reduced_motion is True
    assert config.vitals.heart_rate == (50.0, 110.0) and config.vitals.spo2 == (94.0, 100.0)


@pytest.mark.parametrize(("text", "line", "words"), [
    ("keys:\n  pause: k\n  snooze: z\n", 3, "unknown key binding 'snooze'"),
    ("reduced_motion: maybe\n", 1, "true or false"),
    ("vitals:\n  heart_rate: [110, 50]\n", 2, "heart_rate"),
    ("vitals:\n  pulse: [50, 110]\n", 2, "unknown vital sign 'pulse'"),
    ("colour: red\n", 1, "unknown setting 'colour'"),
    ("keys: [1, 2]\n", 1, "keys must be a mapping"),
    ("keys:\n  pause: ''\n", 2, "must be text"),
    ("keys:\n  pause: k\n   end: q\n", 3, "not valid YAML"),
])
def test_mistakes_are_named_with_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(PlaylistError) as caught:
        load_config(path, binding_ids=IDS)
    assert caught.value.line == line
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}")


def test_yaml_tags_that_run_code_are_refused(tmp_path):
    with pytest.raises(PlaylistError):
        load_config(write(tmp_path, "reduced_motion: !!python/object/apply:os.getcwd []\n"))


def test_other_screens_keys_are_named_with_a_dot(tmp_path):
    config = load_config(write(tmp_path, "keys:\n  breathing.stop: x\n"), binding_ids=IDS)
    assert dict(config.keys) == {"breathing.stop": "x"}


@pytest.mark.parametrize(("text", "expected"), [
    ("breath_sound: true\n", True),
    ("breath_sound: false\n", False),
    ("reduced_motion: true\n", False),  # off by default
])
def test_breath_sound_is_read(tmp_path, text, expected):
    assert load_config(write(tmp_path, text), binding_ids=IDS).breath_sound is expected


def test_breath_sound_must_be_true_or_false(tmp_path):
    path = write(tmp_path, "reduced_motion: true\nbreath_sound: loud\n")
    with pytest.raises(PlaylistError) as caught:
        load_config(path, binding_ids=IDS)
    assert caught.value.line == 2
    assert "breath_sound must be true or false, not 'loud'" in str(caught.value)
    assert str(caught.value).startswith(f"{path}:2")


def test_the_default_config_has_no_breath_sound(tmp_path):
    assert load_config(tmp_path / "config.yaml", binding_ids=IDS).breath_sound is False
