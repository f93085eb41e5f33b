"""The breathing visual: a soft-edged circle that grows on the inhale and shrinks on the exhale.

Drawn with half-block characters (two round "pixels" per cell) whose colours are blended
from the background to the fill by how much of each pixel the circle covers, so the edge
moves smoothly rather than in whole cells. A faint ring marks the full size.
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

# Coverage is quantised to this many levels: smooth to the eye, and a small style cache.
_LEVELS = 12
_RING_STRENGTH = 0.22
_MIN_SIZE = 0.28
"""Radius at empty lungs, as a fraction of the full radius: a small calm dot, never nothing."""


class PacerVisual(Widget):
    """A circle whose size follows `progress` (0 empty .. 1 full)."""

    COMPONENT_CLASSES = {"pacer-visual--fill"}

    DEFAULT_CSS = """
    PacerVisual {
        width: 1fr;
        height: 1fr;
        min-height: 5;
        background: $background;
    }
    PacerVisual > .pacer-visual--fill {
        color: $primary 60%;
    }
    """

    progress: reactive[float] = reactive(0.0)
    """How full the circle is, 0..1; changing it repaints only when the drawn frame changes."""

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._frame_key: tuple[int, int, int] | None = None
        self._frame: list[Strip] = []
        self._styles: dict[tuple[int, int], Style] = {}
        self._palette_key: tuple[str, str] | None = None
        self._geometry_key: tuple[int, int] | None = None
        self._geometry_cache: tuple[np.ndarray, np.ndarray, float] = (np.zeros(0), np.zeros(0), 1.0)

    def validate_progress(self, value: float) -> float:
        return min(1.0, max(0.0, float(value)))

    def watch_progress(self, old: float, new: float) -> None:
        # Repaint only when the picture would differ (quantised radius), so a held breath or
        # a pause costs no drawing at all.
        if self._radius_key(old) != self._radius_key(new):
            self.refresh()

    def _radius_key(self, progress: float) -> int:
        return round(progress * 400)

    def _palette(self) -> tuple[Color, Color]:
        background = self.background_colors[1]
        fill_style = self.get_component_styles("pacer-visual--fill")
        fill = background + fill_style.color
        key = (background.hex, fill.hex)
        if key != self._palette_key:
            self._palette_key = key
            self._styles.clear()
            self._frame_key = None
        return background, fill

    def _style(self, top: int, bottom: int, background: Color, fill: Color) -> Style:
        style = self._styles.get((top, bottom))
        if style is None:
            upper = background.blend(fill, top / _LEVELS).rich_color
            lower = background.blend(fill, bottom / _LEVELS).rich_color
            style = Style(color=upper, bgcolor=lower)
            self._styles[(top, bottom)] = style
        return style

    def _geometry(self, width: int, height: int) -> tuple[np.ndarray, np.ndarray, float]:
        """Distance of every pixel from the centre, the faint ring's levels, and the full radius."""
        if self._geometry_key != (width, height):
            # Pixels are half a cell tall, which makes them about square in a usual terminal font.
            xs = np.arange(width) + 0.5 - width / 2.0
            ys = np.arange(2 * height) + 0.5 - float(height)
            distance = np.hypot(xs[None, :], ys[:, None])
            full = max(1.0, min(width / 2.0, float(height)) - 1.0)
            ring = np.clip(1.0 - np.abs(distance - full), 0.0, 1.0) * _RING_STRENGTH
            self._geometry_cache = (distance, ring, full)
            self._geometry_key = (width, height)
        return self._geometry_cache

    def _render_frame(self) -> list[Strip]:
        width, height = self.size
        background, fill = self._palette()
        key = (width, height, self._radius_key(self.progress))
        if key == self._frame_key:
            return self._frame
        distance, ring, full = self._geometry(width, height)
        radius = full * (_MIN_SIZE + (1.0 - _MIN_SIZE) * self.progress)
        # Coverage of each pixel by the circle (a one-pixel soft edge), at least the ring's.
        cover = np.maximum(np.clip(radius - distance + 0.5, 0.0, 1.0), ring)
        levels = np.rint(cover * _LEVELS).astype(np.int32)
        codes = levels[0::2] * (_LEVELS + 1) + levels[1::2]  # (top, bottom) per cell
        lines: list[Strip] = []
        for row in codes:
            # One segment per run of equal cells: a handful per line, not one per cell.
            starts = np.flatnonzero(np.diff(row)) + 1
            edges = [0, *starts.tolist(), width]
            segments = []
            for start, end in zip(edges, edges[1:]):
                top, bottom = divmod(int(row[start]), _LEVELS + 1)
                segments.append(Segment("▀" * (end - start),
                                        self._style(top, bottom, background, fill)))
            lines.append(Strip(segments, width))
        self._frame_key, self._frame = key, lines
        return lines

    def render_line(self, y: int) -> Strip:
        frame = self._render_frame()
        if 0 <= y < len(frame):
            return frame[y]
        return Strip.blank(self.size.width)
