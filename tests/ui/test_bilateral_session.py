"""The BLS panel over a session: the music goes on, sets and SUDs go to the session record."""

from __future__ import annotations

from companion.ui.screens.bilateral import BilateralScreen, SudDialog
from companion.ui.screens.session import SessionScreen
from tests.ui.fakes import begin, event_types, run_async, session_app, settle, wait_for

SIZE = (80, 24)


@run_async
async def test_t_opens_the_bls_panel_over_the_session_and_sets_go_to_the_record(tmp_path):
    app, engine, clock = session_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        controller = await begin(pilot)
        before = list(engine.kinds())
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, BilateralScreen))
        assert isinstance(app.screen_stack[-2], SessionScreen), "over the session screen"
        await pilot.press("space")
        for _ in range(30):
            clock.advance(0.05)
            app.screen.tick()
        await pilot.pause()
        assert str(app.screen.query_one("#bls-counter").render()).startswith("Pass 3 of 24")
        await pilot.press("space")
        clock.advance(0.1)
        app.screen.tick()
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SudDialog))
        await pilot.press("4", "enter")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        await settle(pilot)
        assert not {"stop", "pause"} & set(engine.kinds()[len(before):]), "the music goes on"
        kinds = event_types(app)
        assert kinds[-3:] == ["bilateral_started", "bilateral_stopped", "distress_rating"]
        rating = controller.record.last("distress_rating")
        assert rating.get("exercise") == "bilateral" and rating.get("rating") == 4
