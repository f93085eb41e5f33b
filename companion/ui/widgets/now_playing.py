"""Now playing: the title, position and length, volume, and one clear word for the sound's state."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from companion.clock import format_short
from companion.session.view import SessionView


def progress_bar(position: float | None, duration: float | None, width: int) -> str:
    """A quiet text bar (`━━━───`) for a track's position, blank when the length is unknown."""
    if position is None or not duration or width <= 0:
        return ""
    filled = min(width, int(width * max(0.0, position) / duration))
    return "━" * filled + "─" * (width - filled)


class NowPlaying(Vertical):
    """The sound panel; the state word never blinks, it changes only when the state does."""

    DEFAULT_CSS = """
    NowPlaying {
        height: auto;
        width: 1fr;
    }
    NowPlaying #np-top { height: 1; }
    NowPlaying #np-state {
        width: auto;
        text-style: bold;
        color: $primary;
        margin: 0 2 0 0;
    }
    NowPlaying.-silent #np-state, NowPlaying.-paused #np-state { color: $warning; }
    NowPlaying.-holding #np-state { color: $secondary; }
    NowPlaying #np-title { width: 1fr; color: $foreground; }
    NowPlaying #np-volume { width: auto; color: $text-muted; }
    NowPlaying #np-bottom { height: 1; }
    NowPlaying #np-position { width: auto; color: $text-muted; margin: 0 1 0 0; }
    NowPlaying #np-bar { width: 1fr; color: $secondary-muted; }
    NowPlaying #np-next { color: $text-muted; width: 1fr; height: auto; }
    NowPlaying.-reduced-motion #np-bar { display: none; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(id="np-top"):
            yield Label("", id="np-state")
            yield Label("", id="np-title")
            yield Label("", id="np-volume")
        with Horizontal(id="np-bottom"):
            yield Label("", id="np-position")
            yield Label("", id="np-bar")
        yield Label("", id="np-next")

    def show(self, view: SessionView) -> None:
        """Update from a session snapshot; labels repaint only when their text changes."""
        self.set_class(view.silent_reason is not None, "-silent")
        self.set_class(view.state == "paused", "-paused")
        self.set_class(view.state == "holding", "-holding")
        self._set("#np-state", view.state_word)
        self._set("#np-title", view.title or "nothing playing")
        self._set("#np-volume", f"volume {view.volume}%")
        self._set("#np-position", f"{format_short(view.position)} / {format_short(view.duration)}")
        bar = self.query_one("#np-bar", Label)
        self._set("#np-bar", progress_bar(view.position, view.duration, max(0, bar.size.width)))
        self._set("#np-next", f"Up next: {view.up_next}" if view.up_next else "Up next: —")

    def _set(self, selector: str, text: str) -> None:
        label = self.query_one(selector, Label)
        if getattr(label, "_shown", None) != text:
            label._shown = text  # type: ignore[attr-defined]
            label.update(text)
