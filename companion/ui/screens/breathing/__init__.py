"""The breathing screens: the pattern picker (`picker`), the pacer (`pacer`), and the two in a
row from a key (`flow.push_breathing`)."""

from companion.breathing import BreathingSummary, PacerGuide
from companion.record.events import EventSink
from companion.ui.screens.breathing.flow import push_breathing
from companion.ui.screens.breathing.pacer import (COMPACT_HEIGHT, CUE_LEAD, FPS, LEAD_IN,
                                                  MIN_DELAY, TINY_HEIGHT, CueSink, PacerScreen)
from companion.ui.screens.breathing.picker import PatternPickerScreen, pattern_length

__all__ = [
    "COMPACT_HEIGHT", "CUE_LEAD", "FPS", "LEAD_IN", "MIN_DELAY", "TINY_HEIGHT",
    "BreathingSummary", "CueSink", "EventSink", "PacerGuide", "PacerScreen",
    "PatternPickerScreen", "pattern_length", "push_breathing",
]
