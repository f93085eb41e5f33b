"""M3U import: the quirks of real players' files, and the real-world corpus in ../shared/testdata."""

from __future__ import annotations

import re

import pytest
import yaml

from companion.errors import PlaylistError
from companion.playlist import check_playlist
from companion.playlist.m3u import read_m3u, to_yaml
from tests.playlist.helpers import wav_bytes
from tests.playlist.test_testdata import ABSENT, TESTDATA

CORPUS = sorted((TESTDATA / "m3u").glob("*.m3u*"))

QUIRKS = [
    ("extm3u_extinf", b"#EXTM3U\n#EXTINF:123,Artist - Song\nsong.mp3\n",
     [("song.mp3", "Artist - Song", 123.0)], []),
    ("no_header", b"a.mp3\nb.flac\n", [("a.mp3", None, None), ("b.flac", None, None)], []),
    ("extinf_minus_one_and_attributes",
     b'#EXTM3U\n#EXTINF:-1 tvg-id="x" group-title="y",Title, with comma\na.ogg\n',
     [("a.ogg", "Title, with comma", None)], []),
    ("comments_between_extinf_and_path", b"#EXTM3U\n#EXTINF:5,Song #1\n# note\na.mp3\n",
     [("a.mp3", "Song #1", 5.0)], []),
    ("utf8_bom_crlf", b"\xef\xbb\xbf#EXTM3U\r\n#EXTINF:7,\xc3\xa9t\xc3\xa9\r\n\xc3\xa9t\xc3\xa9.mp3\r\n",
     [("été.mp3", "été", 7.0)], []),
    ("bare_cr", b"#EXTM3U\r#EXTINF:3,A\ra.wav\rb.wav", [("a.wav", "A", 3.0), ("b.wav", None, None)],
     []),
    ("utf16_bom", "#EXTM3U\n#EXTINF:9,Ω\nΩ.flac\n".encode("utf-16"), [("Ω.flac", "Ω", 9.0)], []),
    ("latin1_fallback", b"#EXTINF:1,\xe6\xf8\xe5\n\xe6\xf8\xe5.mp3\n", [("æøå.mp3", "æøå", 1.0)],
     ["1: not UTF-8 (byte 0xE6); read the file as Windows-1252 (Latin-1)"]),
    ("cp1251_fallback", "#EXTINF:1,Юность Вера\nпесня.mp3\n".encode("cp1251"),
     [("песня.mp3", "Юность Вера", 1.0)], ["1: not UTF-8 (byte 0xDE); read the file as "
                                           "Windows-1251 (Cyrillic)"]),
    ("undecodable_byte", b"#EXTINF:1,a\x81b\na.mp3\n", [("a.mp3", "a\ufffdb", 1.0)],
     ["1: bytes that are not Windows-1252 (Latin-1) text were replaced by \ufffd"]),
    ("windows_paths", b"D:\\Music\\a.mp3\r\n..\\rel\\b.mp3\r\n",
     [("D:/Music/a.mp3", None, None), ("../rel/b.mp3", None, None)],
     ["1: D:/Music/a.mp3: a Windows path, not on this computer (kept;"]),
    ("file_uris", b"file:///home/me/My%20Song.mp3\nfile:///D:/M%C3%BAsica/a.flac\n"
     b"file://server/share/c.ogg\n",
     [("/home/me/My Song.mp3", None, None), ("D:/Música/a.flac", None, None),
      ("//server/share/c.ogg", None, None)], []),
    ("vlc_uri_inside_extinf", b"#EXTM3U\n#EXTINF:267,Dabro - file:///D:/x/02%20Dabro.mp3\n",
     [("D:/x/02 Dabro.mp3", "Dabro", 267.0)], []),
    ("web_urls_left_out", b"#EXTINF:-1,Radio\nhttp://radio.example/live.mp3\nlocal.mp3\n"
     b"rtsp://tv.example/stream\n", [("local.mp3", None, None)],
     ["2: web address left out (http://radio.example/live.mp3): Companion plays local files "
      "only, offline", "4: web address left out (rtsp://tv.example/stream)"]),
    ("hls_list", b"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nseg1.mp3\n#EXT-X-ENDLIST\n",
     [], ["2: an HLS streaming list (#EXT-X-...)"]),
    ("unplayable_formats_left_out", b"cover.jpg\nsong.m4a\nsong.mp3\n", [("song.mp3", None, None)],
     ["1: cover.jpg left out: `.jpg` files are not a format Companion plays",
      "2: song.m4a left out: `.m4a` files"]),
    ("percent_in_plain_path", b"/no/such/01%20A.mp3\n", [("/no/such/01%20A.mp3", None, None)],
     ["1: /no/such/01%20A.mp3: not found (kept;"]),
]


@pytest.mark.parametrize("data, entries, notes", [q[1:] for q in QUIRKS], ids=[q[0] for q in QUIRKS])
def test_m3u_quirk_is_read(tmp_path, data, entries, notes):
    path = tmp_path / "list.m3u"
    path.write_bytes(data)
    m3u = read_m3u(path)
    assert [(e.location, e.title, e.seconds) for e in m3u.entries] == entries
    said = [f"{n.line}: {n.message}" for n in m3u.notes]
    for want in notes:
        assert any(line.startswith(want) for line in said), f"{want!r} not in {said!r}"


def test_missing_files_are_reported_and_kept(tmp_path):
    (tmp_path / "here.mp3").write_bytes(b"ID3")
    path = tmp_path / "list.m3u"
    path.write_text("here.mp3\ngone.mp3\n")
    m3u = read_m3u(path)
    assert [e.location for e in m3u.entries] == ["here.mp3", "gone.mp3"]
    assert [(n.line, n.message) for n in m3u.notes] == [
        (2, "gone.mp3: not found (kept; copy the file there or fix the path)")]


def test_percent_encoded_plain_path_is_decoded_when_that_file_exists(tmp_path):
    (tmp_path / "01 A.mp3").write_bytes(b"ID3")
    path = tmp_path / "list.m3u"
    path.write_text(f"{tmp_path}/01%20A.mp3\n")
    assert [e.location for e in read_m3u(path).entries] == [f"{tmp_path}/01 A.mp3"]


def test_yaml_paths_are_relative_to_the_output_and_pass_the_checker(tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    (music / "a.wav").write_bytes(wav_bytes())
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "mix.m3u8").write_text("#EXTM3U\n#PLAYLIST:Evening\n#EXTINF:61,Song: \"one\" #1\n"
                                    "../music/a.wav\n", encoding="utf-8")
    out = tmp_path / "playlists" / "mix.yaml"
    out.parent.mkdir()
    out.write_text(to_yaml(read_m3u(lists / "mix.m3u8"), out.parent), encoding="utf-8")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["name"] == "Evening"
    assert data["phases"][0]["minutes"] == 2
    assert data["phases"][0]["tracks"] == [{"file": "../music/a.wav", "title": 'Song: "one" #1'}]
    assert check_playlist(out) == []


def test_nothing_to_import_is_an_error(tmp_path):
    path = tmp_path / "radio.m3u"
    path.write_text("http://radio.example/live\n")
    with pytest.raises(PlaylistError, match="nothing to import"):
        to_yaml(read_m3u(path), tmp_path)


@pytest.mark.skipif(not CORPUS, reason=ABSENT)
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_real_world_m3u_imports_keeping_titles_and_passes_check_but_for_missing_files(
        tmp_path, path):
    m3u = read_m3u(path)
    titles = [t.strip() for t in re.findall(r"#EXTINF:[^,\r\n]*,([^\r\n]*)",
                                            path.read_bytes().decode(m3u_codec(m3u), "replace"))]
    if not m3u.entries:
        assert m3u.notes or path.stat().st_size == 0, "an empty import must say why"
        return
    out = tmp_path / "imported.yaml"
    out.write_text(to_yaml(m3u, tmp_path), encoding="utf-8")
    imported = yaml.safe_load(out.read_text(encoding="utf-8"))
    kept = [t["title"] for t in imported["phases"][0]["tracks"]]
    for entry in m3u.entries:
        if entry.title:
            assert entry.title in kept
            assert any(entry.title in t for t in titles)
    problems = check_playlist(out)
    assert all(p.message.startswith("file not found") for p in problems), problems


def m3u_codec(m3u) -> str:
    """The Python codec for the encoding the importer reported."""
    return {"UTF-16": "utf-16", "Windows-1251 (Cyrillic)": "cp1251",
            "Windows-1252 (Latin-1)": "cp1252"}.get(m3u.encoding, "utf-8-sig")


def test_real_world_corpus_edge_cases_are_reported():
    if not CORPUS:
        pytest.skip(ABSENT)
    by_name = {p.name: read_m3u(p) for p in CORPUS}
    assert by_name["playlist-along--aimp-cp1251.m3u"].encoding == "Windows-1251 (Cyrillic)"
    assert by_name["mopidy--encoding-ext.m3u"].entries[0].title == "æøå"
    assert by_name["navidrome--bom-test-utf16.m3u"].name == "UTF-16 Test Playlist"
    assert [e.location for e in by_name["navidrome--cr-ended.m3u"].entries] == ["abc.mp3",
                                                                              "def.mp3"]
    assert len(by_name["playlist-along--vlc.m3u"].entries) == 11
    assert len(by_name["clementine--test.m3u"].entries) == 239
    assert any("HLS" in n.message for n in by_name["totem-pl-parser--live-streaming.m3u"].notes)
    assert any("web address" in n.message
               for n in by_name["atldotnet--playlist_simple.m3u"].notes)
