"""How full the lungs are through a pattern's steps: the level the pacer's visual follows."""

from __future__ import annotations

import math
from collections.abc import Sequence

from companion.breathing.patterns import Step


def ease(fraction: float) -> float:
    """A sine ease in and out: a breath starts and ends slowly."""
    return (1.0 - math.cos(math.pi * fraction)) / 2.0


def lung_levels(steps: Sequence[Step]) -> tuple[tuple[float, float], ...]:
    """How full the lungs are (0..1) at the start and end of each step, for the visual.

    Consecutive inhales share the rise from empty to full in proportion to their seconds
    (the physiological sigh's top-up takes the last part), exhales the fall; holds keep
    the level.
    """
    count = len(steps)
    moves = [i for i, step in enumerate(steps) if step.kind != "hold"]
    # Start at a move whose previous move (cyclically) is of the other kind: a run's start.
    first = next(k for k in range(len(moves)) if steps[moves[k]].kind != steps[moves[k - 1]].kind)
    ordered = moves[first:] + moves[:first]
    ends: dict[int, float] = {}
    run: list[int] = []
    for position, index in enumerate(ordered + [None]):  # type: ignore[list-item]
        if run and (index is None or steps[index].kind != steps[run[0]].kind):
            total = sum(steps[i].seconds for i in run)
            done = 0.0
            for i in run:
                done += steps[i].seconds
                fraction = done / total
                ends[i] = fraction if steps[i].kind == "inhale" else 1.0 - fraction
            run = []
        if index is not None:
            run.append(index)
    for _ in range(2):  # holds take the level of the move before them, cyclically
        for i in range(count):
            if steps[i].kind == "hold":
                ends[i] = ends.get((i - 1) % count, ends.get(i, 0.0))
    return tuple((ends[(i - 1) % count], ends[i]) for i in range(count))
