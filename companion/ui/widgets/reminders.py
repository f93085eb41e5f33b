"""The plan in the room on the session screen: what is due, what comes next, observation left.

Calm by design: an item that falls due changes colour once, to the theme's soft accent,
and stays so; nothing blinks, flashes or moves. Overdue items stay listed with how late
they are. The widget hides itself when the playlist has no plan to show.
"""

from __future__ import annotations

from textual.widgets import Static

from companion.plan import minutes_text
from companion.clock import format_clock
from companion.session.view import SessionView

MAX_DUE_SHOWN = 2
"""Due items listed by name; more are counted ("and 2 more")."""


def reminder_lines(view: SessionView, vitals_key: str = "v", harbour_key: str = "f") -> list[str]:
    """The lines to show (none when there is no plan to show), the most urgent first."""
    lines = []
    if view.harbour_since is not None:
        lines.append(f"In the safe harbour since {format_clock(view.harbour_since)} · "
                     f"{harbour_key} returns")
    if view.due:
        shown = [status.summary() for status in view.due[:MAX_DUE_SHOWN]]
        more = len(view.due) - MAX_DUE_SHOWN
        if more > 0:
            shown.append(f"and {more} more")
        lines.append(" · ".join(shown) + f"  ({vitals_key} opens)")
    elif view.next_item is not None:
        lines.append(f"Next: {view.next_item.summary()}")
    observation = _observation(view)
    if observation:
        if lines and not view.due and view.harbour_since is None:
            lines[-1] += f" · {observation}"
        else:
            lines.append(observation)
    return lines


def _observation(view: SessionView) -> str:
    if view.ready_elapsed is not None:
        return f"Ready to leave at {format_clock(view.ready_elapsed)}"
    if view.observation_left is None:
        return ""
    if view.observation_left <= 0:
        return "Minimum observation met"
    return f"Observation: {minutes_text(view.observation_left)} left"


class Reminders(Static):
    """One or two quiet lines about the plan; `-due` (a calm accent) while something is due."""

    DEFAULT_CSS = """
    Reminders {
        height: auto;
        width: 1fr;
        color: $text-muted;
    }
    Reminders.-due { color: $accent; }
    Reminders.-harbour { color: $secondary; }
    Reminders.-empty { display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._shown: tuple[str, ...] | None = None
        self.vitals_key = "v"
        self.harbour_key = "f"

    def show(self, view: SessionView) -> None:
        """Update from a session snapshot; repaints only when the words change."""
        lines = tuple(reminder_lines(view, self.vitals_key, self.harbour_key))
        self.set_class(bool(view.due), "-due")
        self.set_class(view.harbour_since is not None and not view.due, "-harbour")
        self.set_class(not lines, "-empty")
        if lines != self._shown:
            self._shown = lines
            self.update("\n".join(lines))

    @property
    def text(self) -> str:
        """What the widget says now (for tests)."""
        return "\n".join(self._shown or ())
