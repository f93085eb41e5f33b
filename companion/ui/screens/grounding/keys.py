"""The grounding screen's key hints: which keys act now and what they do, on as few lines as fit."""

from __future__ import annotations

from collections.abc import Callable


def join_keys(parts: list[str], width: int, separator: str = "  ·  ") -> str:
    """The key hints on as few lines as fit `width`, never breaking one hint across lines."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(separator) + len(part) <= width:
            lines[-1] += separator + part
        else:
            lines.append(part)
    return "\n".join(lines)


def key_hints(say: Callable[[str], str], stage: str, mode: str, *, words: bool,
              eyes_closed: bool) -> list[str]:
    """Every key that acts now, with what it does, in the chosen language (`say(key)`).

    `stage`: opening, steps or closing; `words`: the sitter is typing an item's words.
    """
    k = lambda key: say(f"grounding.keys.{key}")  # noqa: E731
    if stage != "steps":
        parts = [f"Enter {k('continue' if stage == 'opening' else 'close')}"]
        if stage == "closing":
            return parts + [f"↑ {k('back')}"]
    elif words:
        parts = [f"Enter {k('noticed')}"]
    else:
        # One set of keys for both modes (a sitter who has done it alone finds the same
        # keys): ↑ ↓ and Ctrl+R work while the client's text box has the focus; ← → and
        # r still work for the sitter, unlisted.
        noticed = ("Any key" if eyes_closed else
                   "Enter" if mode == "client" else "Enter/Space")
        parts = [f"{noticed} {k('noticed')}"]
        if mode == "sitter":
            parts += [f"w {k('with_words')}", f"⌫ {k('undo')}"]
        parts += [f"↑ {k('back')}", f"↓ {k('next')}"]
        if mode == "sitter":
            parts.append(f"s {k('skip')}")
        parts.append(f"Ctrl+R {k('repeat')}")
        if mode == "sitter":
            parts.append(f"Home {k('restart')}")
    parts.append(f"Esc {k('leave' if mode == 'client' else 'close')}")
    return parts
