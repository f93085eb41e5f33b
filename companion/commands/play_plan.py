"""How `companion play` joins its items: each one's length, fades and overlap with the one before."""

from __future__ import annotations

import math
from dataclasses import dataclass

from companion.commands.play_items import Item

ENDLESS_PREVIEW_S = 30.0  # a built-in soundscape with no length plays this long without --seconds


@dataclass(frozen=True)
class Step:
    """How one item is sent to the engine: its length and fades, and its join with the previous."""

    seconds: float | None
    """Length to play (None: the file's own length, to the sample)."""
    fade_in: float
    """Fade-in when it starts from silence (the first item, or after one that could not play)."""
    join: float
    """Overlap with the item before it, which is also its fade-in then (0: gapless)."""
    fade_out: float
    """Its own fade at its end (0 when the next one joins it gaplessly)."""


def plan(items: list[Item], limit: float | None, crossfade: float | None) -> list[Step]:
    """Each item's length, fades and join (see EPILOG); `crossfade` overrides the items' own."""
    played: list[float | None] = []
    cut: list[bool] = []
    for item in items:
        length = item.seconds
        if length is None and item.builtin is not None and limit is None:
            length, cut_short = ENDLESS_PREVIEW_S, True  # an endless built-in: a taste of it
        elif limit is not None and (length is None or limit < length):
            length, cut_short = limit, True
        else:
            cut_short = False
        played.append(length)
        cut.append(cut_short)
    joins = [0.0]
    for before, after, item in zip(played, played[1:], items[1:]):
        join = item.crossfade if crossfade is None else crossfade
        shorter = min((s for s in (before, after) if s is not None), default=None)
        joins.append(min(join, shorter / 2) if shorter is not None else join)
    steps = []
    for index, item in enumerate(items):
        length = played[index]
        third = length / 3 if length is not None else math.inf
        gapless_next = index + 1 < len(items) and joins[index + 1] == 0
        fade_out = 0.0 if gapless_next and not cut[index] else min(item.fade_out, third)
        # Files not cut short play to their own last sample: a length in seconds could round it off.
        seconds = length if cut[index] or item.file is None else None
        steps.append(Step(seconds, min(item.fade_in, third), joins[index], fade_out))
    return steps
