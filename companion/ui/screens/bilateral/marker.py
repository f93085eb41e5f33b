"""Where the BLS marker is drawn: on the side heard, gliding between passes; the set's clock."""

from __future__ import annotations

import math

from rich.text import Text

from companion.bilateral import SetState

TRACK_WIDTH = 41


def marker_position(state: SetState | None, now: float, smooth: bool) -> float:
    """Where the marker is, -1 (left) to 1 (right), from the last pass heard and the speed."""
    if state is None or state.side is None or state.last_onset is None:
        return -1.0
    here = -1.0 if state.side == "left" else 1.0
    if not state.running:
        return here
    u = max(0.0, (now - state.last_onset) * 2 * state.speed)
    if u >= 1.0:
        return -here  # the next pass is due: shown when it is heard
    if smooth:
        move = 0.5 - 0.5 * math.cos(math.pi * u)
    else:  # rest on the side while the note sounds, then glide across
        move = 0.0 if u < 0.5 else 0.5 - 0.5 * math.cos(math.pi * (u - 0.5) * 2)
    return here - 2 * here * move


def check_position(side: str | None) -> float:
    """Where the marker rests in the left-right check: on the ear that sounds, never moving
    (a glide towards the other side would contradict "This is your LEFT ear"); in the middle
    until the first tone is heard."""
    return {"left": -1.0, "right": 1.0}.get(side or "", 0.0)


def track_text(position: float, width: int = TRACK_WIDTH) -> Text:
    """`L ····●···· R`: the marker at `position` (-1..1) on a quiet dotted line."""
    spot = round((position + 1) / 2 * (width - 1))
    line = Text("L ", style="bold")
    line.append("·" * spot, style="dim")
    line.append("●", style="bold")
    line.append("·" * (width - 1 - spot), style="dim")
    line.append(" R", style="bold")
    return line
