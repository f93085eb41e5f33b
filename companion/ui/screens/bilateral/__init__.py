"""The BLS panel (`panel`), its marker and clock (`marker`), and the SUD dialog (`sud`)."""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.ui.screens.bilateral.marker import (TRACK_WIDTH, check_position, marker_position,
                                                       track_text)
    from companion.ui.screens.bilateral.panel import (BLS_BINDINGS, EMDR_NOTE, TICK_REDUCED_S,
                                                      TICK_S, BilateralScreen)
    from companion.ui.screens.bilateral.sud import SudDialog

__getattr__, __all__ = exports(__name__, {
    "marker": ("TRACK_WIDTH", "check_position", "marker_position", "track_text"),
    "panel": ("BLS_BINDINGS", "EMDR_NOTE", "TICK_REDUCED_S", "TICK_S", "BilateralScreen"),
    "sud": ("SudDialog",),
})
