"""The 5-4-3-2-1 grounding screen (`screen`), its key hints (`keys`), and opening it over a session."""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.ui.screens.grounding.keys import join_keys, key_hints
    from companion.ui.screens.grounding.screen import (MIN_HEIGHT, MIN_WIDTH, NAV_KEYS, PAUSE_S,
                                                       ROOMY_HEIGHT, GroundingScreen,
                                                       open_in_session)

__getattr__, __all__ = exports(__name__, {
    "keys": ("join_keys", "key_hints"),
    "screen": ("MIN_HEIGHT", "MIN_WIDTH", "NAV_KEYS", "PAUSE_S", "ROOMY_HEIGHT",
        "GroundingScreen", "open_in_session"),
})
