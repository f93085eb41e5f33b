"""The docs site: generated pages match the code, the site builds strictly, README links land."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def load_generator() -> ModuleType:
    """scripts/docs as a module (it has no .py suffix, so it is loaded by path)."""
    loader = importlib.machinery.SourceFileLoader("companion_docs_script",
                                                  str(ROOT / "scripts" / "docs"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # its dataclasses look their module up by name
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site, built as a reader gets it: `mkdocs build --strict` (a warning fails it)."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def test_generated_pages_match_the_code(generator):
    stale = [str(path.relative_to(ROOT)) for path, _ in generator.stale_pages()]
    assert not stale, f"stale docs pages (run scripts/docs): {', '.join(stale)}"


def test_playlist_key_reference_has_every_key_of_every_mapping(generator):
    from companion.playlist import spec

    page = generator.playlist_keys_page()
    mappings = generator.mappings(spec.build_format())
    assert {"playlist", "playback", "track", "phase", "plan_item", "harbour", "landing"} \
        <= set(mappings)
    for mapping in mappings.values():
        title = mapping.what[0].upper() + mapping.what[1:]
        section = page.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
        for key in mapping.keys:
            assert f"| `{key.name}` |" in section, f"{mapping.name}.{key.name} missing"


def test_record_event_reference_has_every_event_type(generator):
    from companion.record.events import EVENT_TYPES

    page = generator.record_events_page()
    for name, (meaning, _fields) in EVENT_TYPES.items():
        assert f"| `{name}` | {meaning.replace('|', chr(92) + '|')} |" in page


def test_playlist_key_types_read_as_words(generator):
    from companion.playlist import spec

    assert generator.type_words(spec.Number(minimum=0, maximum=120, unit="seconds")) \
        == "number (≥ 0, ≤ 120 seconds)"
    assert generator.type_words(spec.Number(minimum=1, maximum=100, integer=True)) \
        == "whole number (≥ 1, ≤ 100)"
    assert generator.type_words(spec.Number(minimum=0, exclusive_minimum=True, maximum=60)) \
        == "number (> 0, ≤ 60)"
    assert generator.type_words(spec.Flag(only_true=True)) == "`true`"
    assert generator.type_words(spec.Text(choices=("hard", "smooth"))) == "one of `hard`, `smooth`"


def test_a_dated_include_follows_the_newest_measurement(generator, tmp_path):
    (tmp_path / "performance").mkdir()
    for day in ("2026-11-25", "2027-01-03", "2026-12-31"):
        (tmp_path / "performance" / f"bench-{day}.txt").write_text("| figure |\n")
    page = tmp_path / "performance" / "index.md"
    page.write_text('# Performance\n\n--8<-- "performance/bench-2026-11-25.txt"\n\n'
                    'Written `--8<-- "performance/bench-2026-11-25.txt"` in a sentence stays.\n')
    expected = dict(generator.expected_pages(tmp_path))
    assert expected[page] == (
        '# Performance\n\n--8<-- "performance/bench-2027-01-03.txt"\n\n'
        'Written `--8<-- "performance/bench-2026-11-25.txt"` in a sentence stays.\n')


def test_every_dated_include_names_a_file_that_exists():
    docs = ROOT / "docs"
    for page in docs.rglob("*.md"):
        for match in re.finditer(r'^--8<-- "([^"]+)"$', page.read_text(encoding="utf-8"), re.M):
            assert (docs / match[1]).is_file(), f"{page.relative_to(ROOT)} includes {match[1]}"


def test_site_builds_strictly_with_every_page_and_reference(site):
    for page in ("index.html", "guide/session/index.html", "reference/playlist-keys/index.html",
                 "reference/record-events/index.html", "performance/index.html",
                 "development/architecture/index.html"):
        assert (site / page).is_file(), page
    performance = (site / "performance" / "index.html").read_text(encoding="utf-8")
    assert "launch to first screen" in performance  # the dated bench output, included
    assert "fonts.googleapis.com" not in (site / "index.html").read_text(encoding="utf-8")


def test_readme_is_short():
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines < 250, f"README.md has {lines} lines; move detail into docs/"


def test_readme_links_into_docs_land_on_a_page_and_heading(site):
    links = re.findall(r"\]\((docs/[^)#\s]+)(?:#([^)\s]+))?\)", README.read_text(encoding="utf-8"))
    assert len(links) > 10
    for path, anchor in links:
        assert (ROOT / path).is_file(), path
        page = Path(path).relative_to("docs")
        html = site / (page.parent if page.stem == "index" else page.with_suffix("")) / "index.html"
        if anchor:
            assert f'id="{anchor}"' in html.read_text(encoding="utf-8"), f"{path}#{anchor}"
