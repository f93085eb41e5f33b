"""The BLS panel (`panel`), its marker and clock (`marker`), and the SUD dialog (`sud`)."""

from companion.lazy import exports

__getattr__, __all__ = exports(__name__, {
    "marker": ("TRACK_WIDTH", "check_position", "marker_position", "track_text"),
    "panel": ("BLS_BINDINGS", "EMDR_NOTE", "TICK_REDUCED_S", "TICK_S", "BilateralScreen"),
    "sud": ("SudDialog",),
})
