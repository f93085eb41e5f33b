"""The end of a session: the report is saved as it ends, and "Finishing…" is on screen from
Close until the app exits (the terminal never goes blank)."""

from __future__ import annotations

import threading

from companion.ui.screens.dialogs import ReportDialog
from companion.ui.screens.finishing import FinishingScreen
from tests.ui.fakes import begin, run_async, session_app, wait_for

SIZE = (80, 24)


@run_async
async def test_the_report_is_saved_as_the_session_ends_and_finishing_shows_until_exit(tmp_path):
    app, _engine, _clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        report = controller.record.path.with_suffix(".md")
        app._begin_ending("a calm close")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportDialog))
        assert report.is_file(), "saved before the sitter does anything"
        assert "a calm close" in report.read_text()
        assert report.stat().st_mode & 0o077 == 0, "readable by the sitter alone"
        status = str(app.screen.query_one("#report-status").render())
        assert "The report is saved" in status
        assert str(report) in str(app.screen.query_one("#report-file").render())

        closing_may_end = threading.Event()
        close = controller.close

        def slow_close() -> None:  # the engine's fade, held until the screen has been read
            closing_may_end.wait(5)
            close()

        controller.close = slow_close
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, FinishingScreen))
        await pilot.pause()
        assert "Finishing…" in str(app.screen.query_one("#finishing-title").render())
        assert str(report) in str(app.screen.query_one("#finishing-report").render())
        assert app.is_running, "still on screen while the record closes"
        closing_may_end.set()
        await wait_for(pilot, lambda: not app.is_running or app._exit_renderables)
    assert app.return_value == 0
