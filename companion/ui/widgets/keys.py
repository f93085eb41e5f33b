"""The key bar: every active key and what it does, wrapped over as many lines as it needs."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class KeyBar(Widget):
    """Like Textual's Footer, but wraps instead of scrolling, so every key stays visible."""

    COMPONENT_CLASSES = {"keybar--key", "keybar--description"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        width: 1fr;
        background: $footer-background;
        padding: 0 1;
    }
    KeyBar > .keybar--key { color: $footer-key-foreground; text-style: bold; }
    KeyBar > .keybar--description { color: $footer-description-foreground; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        self.refresh(layout=True)

    def entries(self) -> list[tuple[str, str]]:
        """(key as shown, description) for each shown binding, in declaration order."""
        seen: dict[str, tuple[str, str]] = {}
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or not enabled or not binding.description:
                continue
            key = binding.key_display or self.app.get_key_display(binding)
            if binding.action in seen:
                continue
            seen[binding.action] = (key, binding.description)
        return list(seen.values())

    def render(self) -> Text:
        width = max(1, self.size.width)
        key_style = self.get_component_rich_style("keybar--key", partial=True)
        desc_style = self.get_component_rich_style("keybar--description", partial=True)
        text, line = Text(no_wrap=True, overflow="crop"), 0
        for key, description in self.entries():
            item = len(key) + 1 + len(description) + 2
            if line and line + item > width:
                text.append("\n")
                line = 0
            text.append(key, style=key_style)
            text.append(" " + description + "  ", style=desc_style)
            line += item
        return text

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        lines, line = 1, 0
        for key, description in self.entries():
            item = len(key) + 1 + len(description) + 2
            if line and line + item > width:
                lines, line = lines + 1, 0
            line += item
        return lines
