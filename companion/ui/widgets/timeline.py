"""The phase timeline: every phase as a segment sized by its target, the current one filled."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from companion.session.view import UNTIL_DOSE_NOMINAL, PhaseSpan


def _length(phase: PhaseSpan, index: int, current: int, phase_elapsed: float) -> float:
    """The seconds a phase takes on the timeline: its target, or what it really took."""
    if phase.started is not None and phase.ended is not None:
        return max(phase.ended - phase.started, 60.0)
    if phase.target is not None:
        return max(phase.target, 60.0)
    if index == current:
        return max(phase_elapsed, UNTIL_DOSE_NOMINAL)
    return UNTIL_DOSE_NOMINAL


def layout(lengths: list[float], width: int) -> list[int]:
    """Split `width` cells between segments in proportion to `lengths` (each at least 1)."""
    if not lengths or width <= 0:
        return []
    total = sum(lengths)
    least = 3 if width >= 3 * len(lengths) else 1  # room for a name's first letters
    cells = [max(least, int(width * length / total)) for length in lengths]
    # Hand out (or take back) the rounding difference, largest segments first.
    order = sorted(range(len(cells)), key=lambda i: -lengths[i])
    index = 0
    while sum(cells) != width and index < 10 * len(cells):
        i = order[index % len(order)]
        if sum(cells) < width:
            cells[i] += 1
        elif cells[i] > least:
            cells[i] -= 1
        index += 1
    return cells


class Timeline(Widget):
    """Two lines: phase names, then a bar; past phases dim, the current one filled so far."""

    COMPONENT_CLASSES = {"timeline--done", "timeline--current", "timeline--todo", "timeline--name",
                         "timeline--current-name"}

    DEFAULT_CSS = """
    Timeline {
        height: 2;
        width: 1fr;
    }
    Timeline > .timeline--done { color: $secondary-muted; }
    Timeline > .timeline--current { color: $primary; }
    Timeline > .timeline--todo { color: $panel-lighten-2; }
    Timeline > .timeline--name { color: $text-muted; }
    Timeline > .timeline--current-name { color: $foreground; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._phases: tuple[PhaseSpan, ...] = ()
        self._current = 0
        self._phase_elapsed = 0.0
        self._key: tuple = ()

    def show(self, phases: tuple[PhaseSpan, ...], current: int, phase_elapsed: float) -> None:
        """Update the timeline; repaints only when a cell would change (about once a minute)."""
        self._phases, self._current, self._phase_elapsed = phases, current, phase_elapsed
        key = (phases, current, int(phase_elapsed // 30), self.size.width)
        if key != self._key:
            self._key = key
            self.refresh()

    def render(self) -> Text:
        width = self.size.width
        phases = self._phases
        if not phases or width < 4:
            return Text("")
        lengths = [_length(p, i, self._current, self._phase_elapsed) for i, p in enumerate(phases)]
        cells = layout(lengths, width)
        names, bar = Text(), Text()
        for index, (phase, cell) in enumerate(zip(phases, cells)):
            is_current = index == self._current
            name_style = self.get_component_rich_style(
                "timeline--current-name" if is_current else "timeline--name", partial=True)
            label = phase.name[: max(0, cell - 1)].ljust(cell)
            names.append(label, style=name_style)
            if index < self._current:
                bar.append("━" * (cell - 1) + " ", style=self.get_component_rich_style("timeline--done", partial=True))
            elif is_current:
                fraction = min(1.0, self._phase_elapsed / max(lengths[index], 1.0))
                filled = min(cell - 1, int(round(fraction * (cell - 1))))
                bar.append("━" * filled, style=self.get_component_rich_style("timeline--current", partial=True))
                bar.append("─" * (cell - 1 - filled) + " ", style=self.get_component_rich_style("timeline--todo", partial=True))
            else:
                bar.append("─" * (cell - 1) + " ", style=self.get_component_rich_style("timeline--todo", partial=True))
        names.append("\n")
        names.append_text(bar)
        return names
