"""The 5-4-3-2-1 grounding screen (`screen`), its key hints (`keys`), and opening it over a session."""

from companion.ui.screens.grounding.keys import join_keys, key_hints
from companion.ui.screens.grounding.screen import (MIN_HEIGHT, MIN_WIDTH, NAV_KEYS, PAUSE_S,
                                                   ROOMY_HEIGHT, GroundingScreen,
                                                   open_in_session)

__all__ = [
    "MIN_HEIGHT", "MIN_WIDTH", "NAV_KEYS", "PAUSE_S", "ROOMY_HEIGHT", "GroundingScreen",
    "join_keys", "key_hints", "open_in_session",
]
