"""Where a planned item stands (`ItemStatus`), and how the screen says times calmly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from companion.clock import minutes_text
from companion.playlist.model import PlanItem
from companion.wording import counted

ItemState = Literal["upcoming", "due", "overdue", "put_off", "done", "skipped"]


@dataclass(frozen=True)
class ItemStatus:
    """Where one planned item stands at `now` (elapsed session seconds)."""

    item: PlanItem
    state: ItemState
    now: float
    due_at: float | None
    """Elapsed seconds when it falls due; None while it waits for the dose (or for leaving)."""
    put_off_until: float | None = None
    missed: bool = False
    """It fell due while the app was down (shown overdue at once)."""
    done_at: float | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    marks: Mapping[str, str] = field(default_factory=dict)
    reason: str = ""

    @property
    def late(self) -> float:
        """Seconds past its time (0 before it)."""
        if self.due_at is None:
            return 0.0
        end = self.done_at if self.done_at is not None else self.now
        return max(0.0, end - self.due_at)

    @property
    def wait(self) -> float | None:
        """Seconds until it is due (again, when put off); None when not waiting on the clock."""
        if self.state == "put_off" and self.put_off_until is not None:
            return self.put_off_until - self.now
        if self.state == "upcoming" and self.due_at is not None:
            return self.due_at - self.now
        return None

    @property
    def open(self) -> bool:
        """True until it is done or skipped."""
        return self.state not in ("done", "skipped")

    def summary(self) -> str:
        """What the screen says: "Vitals in 4 min", "Vitals due", "Vitals overdue, 7 min late"."""
        title = self.item.title
        if self.state == "upcoming":
            if self.wait is None:
                return f"{title} {_waiting(self.item)}"
            return f"{title} in {minutes_text(self.wait)}"
        if self.state == "put_off":
            return f"{title} put off, due again in {minutes_text(self.wait or 0)}"
        if self.state == "due":
            return f"{title} due"
        if self.state == "overdue" and self.item.anchor == "start" and not self.missed:
            # Overdue because the dose is now marked: minutes since the session began
            # would not be "late" for anything.
            return f"{title} overdue (the dose is marked)"
        if self.state == "overdue":
            return f"{title} overdue, {minutes_text(self.late)} late"
        if self.state == "done":
            return f"{title} done"
        return f"{title} skipped" + (f": {self.reason}" if self.reason else "")


def _waiting(item: PlanItem) -> str:
    if item.anchor == "dose":
        return f"{minutes_text(item.minutes * 60)} after the dose"
    return "before leaving"


def checks_due_text(count: int) -> str:
    """What "ready to leave" adds when checks are still due: " 1 check before leaving is
    due." (with its leading space), " 2 checks ... are due.", '' for none."""
    if not count:
        return ""
    verb = "is" if count == 1 else "are"
    return f" {counted(count, 'check')} before leaving {verb} due."
