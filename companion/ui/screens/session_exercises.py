"""The session screen's exercise keys: breathing (r), grounding (g) and BLS (t), each over
the session while the music goes on, its events in the record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.errors import CompanionError

if TYPE_CHECKING:
    from companion.ui.screens.session import SessionScreen


def open_breathing(screen: SessionScreen) -> None:
    """The breathing picker over the session; events go to the record, cues to the engine."""
    from companion.ui.screens.breathing import PacerScreen, PatternPickerScreen, push_breathing

    app, controller = screen.companion, screen.controller
    if any(isinstance(s, (PacerScreen, PatternPickerScreen)) for s in app.screen_stack):
        return
    wording = controller.wording()
    try:
        patterns = controller.breathing_patterns(wording)
    except CompanionError as error:
        app.notify(str(error), title="Breathing", severity="warning", timeout=8)
        return
    push_breathing(app, patterns, clock=app.clock, reduced_motion=app.reduced_motion,
                   on_event=controller.exercise_event, cue=controller.cue, wording=wording,
                   guides=controller.breathing_guides, ask_distress=True)


def open_grounding(screen: SessionScreen) -> None:
    """Grounding (sitter mode) over the session; its events go to the record."""
    from companion.ui.screens.grounding import open_in_session

    open_in_session(screen.companion, screen.controller)


def open_bilateral(screen: SessionScreen) -> None:
    """The BLS panel over the session (the music goes on); its sets go to the record."""
    from companion.ui.screens.bilateral import BilateralScreen

    app = screen.companion
    if any(isinstance(s, BilateralScreen) for s in app.screen_stack):
        return
    session, detach = screen.controller.bilateral_session(app.clock)
    panel = BilateralScreen(session, clock=app.clock, reduced_motion=app.reduced_motion)
    panel.open_over(app.screen, lambda _result: detach())
