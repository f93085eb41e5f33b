"""The breathing pattern picker: each pattern with its timings and length, the suggested one first in view."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from companion.breathing import Pattern, format_seconds, suggested_index, timing_text
from companion.ui.widgets.keys import KeyBar
from companion.wording import Wording


def pattern_length(pattern: Pattern, wording: Wording) -> str:
    """The pattern's default length in words: `6 cycles`, `5 min`, `until stopped`."""
    if pattern.cycles is not None:
        return wording.get("breathing.ui.cycles", n=pattern.cycles)
    if pattern.minutes is not None:
        return wording.get("breathing.ui.minutes", n=format_seconds(pattern.minutes))
    return wording.get("breathing.ui.until_stopped")


class PatternPickerScreen(Screen[Pattern | None]):
    """Choose a breathing pattern; dismisses with it, or None on Esc.

    The suggested pattern (`SUGGESTED_PATTERN`) is highlighted and named for someone unsure.
    Esc says "Back" over a session and "Close" where nothing lies beneath (`can_go_back`).
    """

    DEFAULT_CSS = """
    PatternPickerScreen {
        align: center middle;
        background: $background;
    }
    PatternPickerScreen #picker-body {
        width: 100%;
        max-width: 76;
        height: auto;
        max-height: 100%;
        padding: 0 2;
    }
    PatternPickerScreen #picker-title {
        width: 100%;
        text-align: center;
        color: $text-muted;
        margin-bottom: 1;
    }
    PatternPickerScreen #picker-suggestion {
        width: 100%;
        text-align: center;
        margin-bottom: 1;
    }
    PatternPickerScreen OptionList {
        height: auto;
        max-height: 18;
        border: none;
        background: $background;
    }
    """

    BINDINGS = [
        # Priority, so the key bar shows Enter (the list's own Enter binding is hidden).
        Binding("enter", "start", "Start", key_display="Enter", priority=True,
                id="breathing.pick"),
        Binding("escape", "back", "Back", key_display="Esc", id="breathing.pick_back"),
        Binding("escape", "close", "Close", key_display="Esc", id="breathing.pick_close"),
    ]

    def __init__(self, patterns: Sequence[Pattern], *, wording: Wording | None = None,
                 can_go_back: bool = True, name: str | None = None,
                 id: str | None = None) -> None:
        """`can_go_back`: False when the picker is the first screen (`companion breathe`)."""
        super().__init__(name=name, id=id)
        self.patterns = tuple(patterns)
        self.wording = wording or Wording()
        self.can_go_back = can_go_back
        self.suggested = suggested_index(self.patterns)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-body"):
            yield Static(self.wording.get("breathing.ui.picker_title"), id="picker-title")
            if self.suggested is not None:
                pattern = self.patterns[self.suggested]
                yield Static(self.wording.get("breathing.ui.suggestion", title=pattern.title,
                                              summary=pattern.summary).strip(),
                             id="picker-suggestion", markup=False)
            yield OptionList(*(self._option(i, p) for i, p in enumerate(self.patterns)),
                             id="picker-list")
        yield KeyBar()

    def _option(self, index: int, pattern: Pattern) -> Option:
        timings = timing_text(pattern, self.wording)
        length = pattern_length(pattern, self.wording)
        prompt = f"[b]{pattern.title}[/b]  [dim]{timings} · {length}[/dim]"
        if index == self.suggested:
            prompt += f"  [i]{self.wording.get('breathing.ui.suggested')}[/i]"
        return Option(prompt, id=pattern.name)

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = self.suggested or 0

    def action_start(self) -> None:
        """Start the highlighted pattern."""
        index = self.query_one(OptionList).highlighted
        if index is not None:
            self.dismiss(self.patterns[index])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.patterns[event.option_index])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # One Esc shows, worded for where it leads: back to the session, or out.
        if action == "back":
            return self.can_go_back
        if action == "close":
            return not self.can_go_back
        return True

    def action_back(self) -> None:
        """Leave without choosing."""
        self.dismiss(None)

    def action_close(self) -> None:
        """Leave without choosing, when the picker was the first screen."""
        self.dismiss(None)
