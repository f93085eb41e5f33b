"""The breathing screens: the pattern picker (`picker`), the pacer (`pacer`), and the two in a
row from a key (`flow.push_breathing`)."""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.ui.screens.breathing.flow import push_breathing
    from companion.ui.screens.breathing.pacer import (COMPACT_HEIGHT, CUE_LEAD, FPS, LEAD_IN,
                                                      MIN_DELAY, TINY_HEIGHT, CueSink, PacerScreen)
    from companion.ui.screens.breathing.picker import PatternPickerScreen, pattern_length

__getattr__, __all__ = exports(__name__, {
    "flow": ("push_breathing",),
    "pacer": ("COMPACT_HEIGHT", "CUE_LEAD", "FPS", "LEAD_IN", "MIN_DELAY", "TINY_HEIGHT",
        "CueSink", "PacerScreen"),
    "picker": ("PatternPickerScreen", "pattern_length"),
})
