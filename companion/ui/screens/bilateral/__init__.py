"""The BLS panel (`panel`), its marker and clock (`marker`), and the SUD dialog (`sud`)."""

from companion.ui.screens.bilateral.marker import (TRACK_WIDTH, check_position,
                                                   marker_position, track_text)
from companion.ui.screens.bilateral.panel import (BLS_BINDINGS, EMDR_NOTE, TICK_REDUCED_S,
                                                  TICK_S, BilateralScreen)
from companion.ui.screens.bilateral.sud import SudDialog

__all__ = [
    "BLS_BINDINGS", "EMDR_NOTE", "TICK_REDUCED_S", "TICK_S", "TRACK_WIDTH", "BilateralScreen",
    "SudDialog", "check_position", "marker_position", "track_text",
]
