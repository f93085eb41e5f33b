"""The shared dialog: a small centred box whose typed words are never lost, fitted to the terminal."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input

KEPT_HINT = "Keep going or Escape: anything typed is kept as a note."
"""Said under the end dialogs' fields (until a problem is): leaving never loses words."""


class Dialog(ModalScreen):
    """A small centred box; Escape dismisses it with `CANCEL`.

    Every way out goes through `dismiss`. When the answer does not carry the typed words
    (`words_sent` is False: Escape, "Keep going", a skip), the words in its fields are sent
    to the app as `Dialog.WordsKept`, which keeps them as a note. Subclasses name their
    fields for that note in `WORD_LABELS` (input id -> label; "" for the words alone).
    """

    CANCEL: object = None
    BINDINGS = [Binding("escape", "cancel", "Close", id="dialog.cancel")]
    WORD_LABELS: dict[str, str] = {}
    """How each text field is named in a kept note (default: its id)."""

    class WordsKept(Message):
        """Words typed into a dialog that was left without sending them: keep them as a note."""

        def __init__(self, text: str, tag: str) -> None:
            super().__init__()
            self.text = text
            self.tag = tag

    def __init__(self) -> None:
        super().__init__()
        self._initial: dict[int, str] = {}
        self._compact_by_design: set[int] = set()
        self._dismissed = False

    def action_cancel(self) -> None:
        self.dismiss(self.CANCEL)

    # -- words are never lost ------------------------------------------------------------

    def _on_mount(self, event: events.Mount) -> None:
        # What a field holds when shown (a default, such as the report's path) is not typed words.
        self._initial = {id(field): field.value for field in self.query(Input)}
        self._compact_by_design = {id(w) for w in self.query("Input, Button") if w.compact}  # type: ignore[attr-defined]
        self._fit()
        # A dialog can grow after it is shown (a hint or a problem said in two lines), and under
        # load the first check can run before layout: look again whenever its content resizes.
        for box in self.query(".dialog"):
            self.watch(box, "virtual_size",
                       lambda _size: self.call_after_refresh(self._compact_if_cut), init=False)
        # And once more when the first layouts are surely done: on a loaded machine both
        # checks above were seen to run before the dialog had its final size.
        for delay in (0.3, 1.0):
            self.set_timer(delay, self._compact_if_cut)

    def words_sent(self, result: object) -> bool:
        """Whether dismissing with `result` sends the typed words on (else they are kept)."""
        return result != self.CANCEL

    def kept_tag(self) -> str:
        """The tag of a note made of kept words."""
        return "observation"

    def unsent_words(self) -> list[tuple[str, str]]:
        """(label, words) for each field holding words typed since the dialog opened."""
        found = []
        for field in self.query(Input):
            words = field.value.strip()
            if words and field.value != self._initial.get(id(field), ""):
                label = self.WORD_LABELS.get(field.id or "", (field.id or "").removeprefix("field-"))
                found.append((label, words))
        return found

    def words_title(self) -> str:
        """How a kept note names the dialog: its title."""
        titles = self.query(".dialog-title")
        return str(titles.first().render()).strip() if titles else "a dialog"

    def keep_words(self) -> None:
        """Send the unsent words to the app, to be kept as a note ("Kept from ...")."""
        words = self.unsent_words()
        if not words:
            return
        title = self.words_title()
        parts = "; ".join(f"{label}: {text}" if label else text for label, text in words)
        self.app.post_message(self.WordsKept(f"Kept from “{title}” — {parts}", self.kept_tag()))

    def dismiss(self, result: Any = None) -> Any:
        if self._dismissed:  # a second key before the first close was done: nothing more to do
            return None
        self._dismissed = True
        if not self.words_sent(result):
            self.keep_words()
        return super().dismiss(result)

    # -- fitting the terminal ------------------------------------------------------------

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Full-size fields and buttons when they fit; one line each when they would be cut."""
        self._set_compact(False)
        self.call_after_refresh(self._compact_if_cut)

    def _compact_if_cut(self) -> None:
        boxes = self.query(".dialog")
        if boxes and boxes.first().max_scroll_y > 0:
            self._set_compact(True)

    def _set_compact(self, compact: bool) -> None:
        self.set_class(compact, "-dialog-compact")
        for widget in self.query("Input, Button"):
            if id(widget) not in self._compact_by_design:
                widget.compact = compact  # type: ignore[attr-defined]
