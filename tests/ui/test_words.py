"""Nothing cut at 80x24 or 60x18: the words of the note dialog, the end dialog's report path, a
scale's words in the vitals form, the start screen and the key bar are read whole on screen."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from companion import paths
from companion.clock import FakeClock
from companion.plan import PlanTracker
from companion.playlist import load_playlist
from companion.ui.screens.dialogs import NoteDialog, ReportDialog
from companion.ui.screens.vitals import ReminderDialog
from companion.ui.widgets.keys import KeyBar
from tests.ui.fakes import begin, run_async, session_app, wait_for
from tests.ui.test_dialogs import DialogApp

SIZES = [(80, 24), (60, 18)]
NOTE_PLACEHOLDER = "what happened (BP 132/84 HR 78 kept as vitals)"
NOTE_TAGS = ("Observation", "Intervention", "Vitals", "Client's words")
KAP = paths.bundled_playlists_dir() / "kap-sublingual-2h.yaml"
REPORT = Path("/home/sitter/.local/share/companion/sessions/2026-12-07_19-42-51_K-17.md")

_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
                   r'clip-path="url\(#terminal-[\d-]*line-(\d+)\)">(.*?)</text>', re.S)


def screen_lines(app) -> list[str]:
    """The screen as lines of text, read back from Textual's SVG screenshot."""
    rows: dict[int, dict[int, str]] = {}
    for x, line, text in _TEXT.findall(app.export_screenshot()):
        rows.setdefault(int(line), {})[round(float(x) / 12.2)] = html.unescape(text)
    lines = []
    for number in range(max(rows, default=-1) + 1):
        line = ""
        for column, text in sorted(rows.get(number, {}).items()):
            line = line.ljust(column) + text.replace("\xa0", " ").rstrip("\n")
        lines.append(line)
    return lines


def flowing(lines: list[str]) -> str:
    """The text inside a dialog's frame, lines joined with one space: words wrapped over lines
    read as one sentence (a path broken mid-way reads whole once the spaces are dropped)."""
    inner = [line.strip().strip("│▊▎").strip() for line in lines]
    return re.sub(r"\s+", " ", " ".join(part for part in inner if part))


async def _dialog_lines(dialog, size) -> list[str]:
    app = DialogApp(dialog)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.screen is dialog)
        await pilot.pause()
        return screen_lines(app)


@pytest.mark.parametrize("size", SIZES)
@run_async
async def test_the_note_placeholder_and_every_tag_are_whole(size):
    screen = "\n".join(await _dialog_lines(NoteDialog(), size))
    assert NOTE_PLACEHOLDER in screen, screen
    for tag in NOTE_TAGS:
        assert tag in screen, screen
    assert "…" not in screen, screen


@pytest.mark.parametrize("size", SIZES)
@run_async
async def test_the_report_path_is_whole(size):
    from companion.paths import write_private_text

    lines = await _dialog_lines(ReportDialog("# r", REPORT, write_private_text), size)
    assert str(REPORT) in flowing(lines).replace(" ", ""), "\n".join(lines)
    assert any("Save report" in line for line in lines) and any("Close" in line for line in lines)


@pytest.mark.parametrize("size", SIZES)
@run_async
async def test_once_saved_the_path_is_said_once_and_the_buttons_stay(tmp_path, size):
    from companion.paths import write_private_text

    target = tmp_path / ("a-long-folder-name-" * 2) / "sessions" / "2026-12-07_19-42-51_K-17.md"
    target.parent.mkdir(parents=True)
    dialog = ReportDialog("# r", target, write_private_text)
    app = DialogApp(dialog)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.screen is dialog)
        await pilot.press("enter")                     # "Save report" has the focus
        await wait_for(pilot, target.exists)
        await pilot.pause()
        lines = screen_lines(app)
    text = flowing(lines).replace(" ", "")
    assert "Saved." in text and text.count(str(target)) == 1, "\n".join(lines)
    assert any("Close" in line for line in lines), "\n".join(lines)


@pytest.mark.parametrize("size", [(80, 24)])
@run_async
async def test_a_scales_words_wrap_under_its_field(size):
    plan = load_playlist(KAP).plan
    item = next(i for i in plan.schedule if "moaa-s" in i.readings)
    words = plan.scales["moaa-s"].words
    dialog = ReminderDialog(item.title, PlanTracker(plan, 0.0, FakeClock(0.0)).form(item),
                            save=lambda values: None, put_off_minutes=5)
    lines = await _dialog_lines(dialog, size)
    assert words in flowing(lines), "\n".join(lines)


@run_async
async def test_the_start_screen_is_whole_at_60x18(tmp_path):
    app, _engine, _clock = session_app(tmp_path, reason="failed to init device (-401)")
    async with app.run_test(size=(60, 18)) as pilot:
        await wait_for(pilot, lambda: app.audio is not None)
        await pilot.pause()
        lines = screen_lines(app)
        text = flowing(lines)
        begin_button = app.screen.query_one("#begin")
        assert begin_button.region.bottom <= 18 - 1, "the Begin button runs under the key bar"
    assert "Begin session" in text and "Enter in any field begins the session." in text, lines
    assert "No sound device: the session runs silent, with words on screen" in text, lines
    assert text.count("silent") == 1, lines


@pytest.mark.parametrize("size", SIZES)
@run_async
async def test_the_key_bar_keeps_every_key_whole_with_two_more(tmp_path, size):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await begin(pilot)
        screen = app.screen
        # The keys other changes add (correct an entry, and one more): the bar wraps them.
        screen._bindings.bind("c", "correct", "correct")
        screen._bindings.bind("x", "strike", "strike out")
        screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        bar = screen.query_one(KeyBar)
        entries, region = bar.entries(), bar.region
        lines = screen_lines(app)[region.y:region.bottom]
    assert ("c", "correct") in entries and ("x", "strike out") in entries
    assert region.bottom == size[1] and len(lines) == region.height
    shown = "\n".join(lines)
    for key, description in entries:
        assert re.search(rf"(^ ?|  ){re.escape(key)} {re.escape(description)}(  |$)", shown, re.M), \
            (key, description, shown)
    assert all(len(line.rstrip()) <= size[0] for line in lines)
