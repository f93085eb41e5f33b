"""Each dialog on its own: what it returns through `dismiss` for each way of answering."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App

from companion.ui.screens.dialogs import (
    DistressDialog,
    EarlyEndDialog,
    EndDialog,
    HelpDialog,
    LogDialog,
    NoteDialog,
    PhaseDialog,
    ReasonDialog,
    ReportDialog,
    ReportScreen,
    ResumeDialog,
)
from companion.ui.theme import apply_calm_theme
from tests.ui.fakes import run_async, wait_for

UNSET = object()


class DialogApp(App):
    """Pushes one dialog and keeps what it returned."""

    CSS_PATH = str(Path(__file__).resolve().parents[2] / "companion" / "ui" / "app.tcss")

    def __init__(self, dialog: Any) -> None:
        super().__init__()
        self.dialog = dialog
        self.result: Any = UNSET

    def on_mount(self) -> None:
        apply_calm_theme(self)
        self.push_screen(self.dialog, self._done)

    def _done(self, result: Any) -> None:
        self.result = result


async def answer(dialog: Any, *keys: str, text: str = "") -> Any:
    """Open `dialog`, press `keys` (typing `text` first), return what it dismissed with."""
    app = DialogApp(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if text:
            await pilot.press(*text)
        await pilot.press(*keys)
        await wait_for(pilot, lambda: app.result is not UNSET, timeout=2)
    return app.result


@run_async
async def test_end_dialog_needs_a_second_enter_on_its_button():
    app = DialogApp(EndDialog())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"all calm", "enter")
        await pilot.pause()
        assert app.result is UNSET   # Enter in the note only moves to "End session"
        assert app.focused is not None and app.focused.id == "end-session"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    assert app.result == "all calm"


@run_async
async def test_end_dialog_enter_with_nothing_written_keeps_going():
    app = DialogApp(EndDialog())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "keep-going"
        assert "Nothing written" in str(app.screen.query_one("#end-hint").render())
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    assert app.result is None


@run_async
async def test_end_dialog_ends_without_a_note_from_its_button():
    assert await answer(EndDialog(), "tab", "tab", "enter") == ""


@run_async
async def test_end_dialog_escape_keeps_going():
    assert await answer(EndDialog(), "escape") is None


@run_async
async def test_end_dialog_keep_going_button():
    assert await answer(EndDialog(), "tab", "enter") is None


@run_async
async def test_note_dialog_returns_tag_and_text():
    assert await answer(NoteDialog(), "enter", text="eyes closed") == ("observation", "eyes closed")


@run_async
async def test_note_dialog_tag_is_chosen_with_arrows():
    app = DialogApp(NoteDialog())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"I feel safe", "tab", "right", "right", "right", "enter", "shift+tab", "enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    assert app.result == ("client_words", "I feel safe")


@run_async
async def test_note_dialog_empty_text_saves_nothing():
    assert await answer(NoteDialog(), "enter") is None


@run_async
async def test_distress_dialog_takes_0_to_10_only():
    app = DialogApp(DistressDialog())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("1", "1", "enter")
        await pilot.pause()
        assert app.result is UNSET
        assert "0 to 10" in str(app.screen.query_one("#distress-problem").render())
        await pilot.press("backspace", "enter")
        await wait_for(pilot, lambda: app.result is not UNSET)
    assert app.result == 1


@run_async
async def test_distress_dialog_ten():
    assert await answer(DistressDialog(), "enter", text="10") == 10


@run_async
async def test_phase_dialog_returns_the_index():
    names = ["Settling", "Onset", "Peak"]
    assert await answer(PhaseDialog(names, 0), "enter") == 0   # highlighted: the current phase
    assert await answer(PhaseDialog(names, 0), "down", "enter") == 1
    assert await answer(PhaseDialog(names, 2), "up", "enter") == 1
    assert await answer(PhaseDialog(names, 1), "escape") is None


@run_async
async def test_resume_dialog_answers():
    assert await answer(ResumeDialog("Began Wed 14:00"), "enter") is True
    assert await answer(ResumeDialog("Began Wed 14:00"), "tab", "enter") is False
    assert await answer(ResumeDialog("Began Wed 14:00"), "escape") is False


@run_async
async def test_help_and_log_close_with_escape():
    assert await answer(HelpDialog([("space", "pause")]), "escape") is None
    assert await answer(LogDialog(["0:00:00  Session started"]), "escape") is None


@run_async
async def test_report_dialog_saves_privately_and_views(tmp_path):
    from companion.paths import write_private_text

    target = tmp_path / "report.md"
    app = DialogApp(ReportDialog("# Session\n\nAll well.", target, write_private_text))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")   # "Save report" has the focus
        await pilot.pause()
        assert target.read_text() == "# Session\n\nAll well."
        assert target.stat().st_mode & 0o777 == 0o600
        await pilot.click("#view-report")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.result is not UNSET)
    assert app.result == target


@run_async
async def test_report_dialog_says_when_it_cannot_save(tmp_path):
    from companion.paths import write_private_text

    blocked = tmp_path / "file"
    blocked.write_text("")
    app = DialogApp(ReportDialog("# r", blocked / "inside" / "r.md", write_private_text))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Could not save" in str(app.screen.query_one("#report-status").render())


@run_async
async def test_early_end_dialog_returns_the_reason_and_the_note():
    result = await answer(EarlyEndDialog("34 min", "2 h"), "enter", *"ride home", "enter", "enter",
                          text="client asked")
    assert result == ("client asked", "ride home")


@run_async
async def test_early_end_dialog_escape_keeps_going():
    assert await answer(EarlyEndDialog("34 min", "2 h"), "escape") is None


@run_async
async def test_reason_dialog_needs_words_when_required_and_escape_cancels():
    app = DialogApp(ReasonDialog("Why?", required=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.result is UNSET
        await pilot.press(*"asleep", "enter")
        await wait_for(pilot, lambda: app.result is not UNSET, timeout=2)
    assert app.result == "asleep"
    assert await answer(ReasonDialog("Why?"), "escape") is None
    assert await answer(ReasonDialog("Why?", required=False), "enter") == ""
