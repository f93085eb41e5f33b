"""The bundled playlists pass the checker, and the bundled schema is what `companion schema` prints."""

from __future__ import annotations

import json

import pytest

from companion import paths
from companion.playlist import check_playlist, load_playlist
from companion.playlist.schema import DIALECT, json_schema, schema_text
from companion.playlist.spec import SCHEMA_FILE_NAME, build_format

BUNDLED = paths.bundled_playlists_dir()
PLAYLISTS = ["default.yaml", "kap-sublingual-2h.yaml"]


@pytest.mark.parametrize("name", PLAYLISTS)
def test_bundled_playlist_passes_the_checker(name):
    assert [str(p) for p in check_playlist(BUNDLED / name)] == []


@pytest.mark.parametrize("name", PLAYLISTS)
def test_bundled_playlist_points_editors_at_the_schema(name):
    first = (BUNDLED / name).read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_FILE_NAME}"


def test_default_playlist_needs_no_music_files():
    playlist = load_playlist(paths.default_playlist())
    tracks = [t for p in playlist.phases for t in p.tracks] + list(playlist.cues.values())
    assert tracks and all(t.file is None and t.builtin for t in tracks)


def test_kap_plan_has_the_five_phases_of_about_two_hours():
    playlist = load_playlist(BUNDLED / "kap-sublingual-2h.yaml")
    assert [p.name for p in playlist.phases] == ["Settling", "Onset", "Peak", "Return",
                                                 "Integration"]
    assert playlist.phases[0].until_dose
    assert 90 <= sum(p.minutes or 0 for p in playlist.phases) <= 120


def test_bundled_schema_file_equals_companion_schema_output():
    bundled = (BUNDLED / SCHEMA_FILE_NAME).read_text(encoding="utf-8")
    assert bundled == schema_text(), "run `companion schema > playlists/" + SCHEMA_FILE_NAME + "`"


def test_schema_is_draft_2020_12_and_mirrors_every_mapping_of_the_format():
    schema = json.loads(schema_text())
    assert schema["$schema"] == DIALECT == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) == {"name", "phases"}
    fmt = build_format()
    assert list(schema["properties"]) == [k.name for k in fmt.keys]
    for name, definition in schema["$defs"].items():
        assert definition["additionalProperties"] is False, name
        assert all("description" in prop for prop in definition["properties"].values()), name
    track = schema["$defs"]["track"]
    assert track["oneOf"] == [{"required": ["file"]}, {"required": ["builtin"]}]
    assert track["properties"]["builtin"]["enum"] == ["brown-noise", "warm-pad", "ocean"]
    assert schema["$defs"]["step"]["properties"]["inhale"] == {
        "description": "Breathe in for this many seconds.", "type": "number",
        "exclusiveMinimum": 0, "maximum": 60}


def test_every_ref_in_the_schema_resolves():
    schema = json_schema()
    text = json.dumps(schema)
    refs = {part.split('"')[0] for part in text.split('"$ref": "#/$defs/')[1:]}
    assert refs <= set(schema["$defs"])
