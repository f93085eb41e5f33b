"""The breathing screens: the pattern picker (`picker`), the pacer (`pacer`), and the two in a
row from a key (`flow.push_breathing`)."""

from companion.lazy import exports

__getattr__, __all__ = exports(__name__, {
    "flow": ("push_breathing",),
    "pacer": ("COMPACT_HEIGHT", "CUE_LEAD", "FPS", "LEAD_IN", "MIN_DELAY", "TINY_HEIGHT",
        "CueSink", "PacerScreen"),
    "picker": ("PatternPickerScreen", "pattern_length"),
})
