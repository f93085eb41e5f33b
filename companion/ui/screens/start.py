"""The start screen: choose the playlist, give a client code and an intention, see the audio.

If an interrupted session exists it first offers to resume it. Enter in any field (or
the Begin button) starts the session.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label

from companion import paths
from companion.clock import format_clock
from companion.ui.widgets.keys import KeyBar

if TYPE_CHECKING:
    from companion.session import AudioSetup
    from companion.ui.app import CompanionApp


def playlist_choices(given: Path | None) -> list[tuple[str, Path]]:
    """(label, path) for the given playlist, then the user's and the bundled ones."""
    bundled = paths.bundled_playlists_dir().resolve()
    choices: list[tuple[str, Path]] = []
    seen: set[Path] = set()
    if given is not None:
        choices.append((f"{given.name} (given)", given))
        seen.add(given.resolve())
    for path in paths.find_playlists():
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        where = "bundled" if path.resolve().parent == bundled else str(path.parent)
        choices.append((f"{path.stem} ({where})", path))
    default = paths.default_playlist()
    if default.exists() and default.resolve() not in seen:
        choices.append((f"{default.stem} (bundled)", default))
    return choices


class StartScreen(Screen):
    """Everything needed before the session starts, on one calm screen.

    The playlist is shown as a line, changed with Ctrl+O (a list of the ones found): a
    drop-down's styles alone cost the first paint a noticeable part of its time.
    """

    BINDINGS = [
        Binding("ctrl+o", "choose_playlist", "other playlist", id="start.playlist"),
        Binding("ctrl+b", "begin", "begin the session", id="start.begin"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.choices: list[tuple[str, Path]] = []
        self.playlist: Path | None = None

    @property
    def companion(self) -> CompanionApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        app = self.companion
        self.choices = playlist_choices(app.playlist_path)
        wanted = (app.playlist_path or paths.default_playlist()).resolve()
        self.playlist = next((p for _, p in self.choices if p.resolve() == wanted),
                             self.choices[0][1] if self.choices else None)
        with Vertical(id="start-form"):
            yield Label("Companion — a new session", id="start-title")
            yield Label("Playlist", classes="field-label")
            yield Label(self._playlist_label(), id="playlist")
            yield Label("Client code (optional, no names needed)", classes="field-label")
            yield Input(app.client_code or "", placeholder="e.g. K-17", id="client-code")
            yield Label("Intention (optional)", classes="field-label")
            yield Input(app.intention or "", placeholder="the client's intention, in their words",
                        id="intention")
            yield Label("Audio: starting…", id="audio-line")
            yield Label("", id="start-problem")
            with Horizontal(id="start-buttons"):
                yield Button("Begin session", id="begin", variant="primary")
                yield Label("Enter in any field begins the session.", id="start-hint")
        yield KeyBar()

    def _playlist_label(self) -> str:
        label = next((text for text, path in self.choices if path == self.playlist), None)
        if label is None:
            return "none found: give one on the command line"
        more = "   (Ctrl+O: another)" if len(self.choices) > 1 else ""
        return label + more

    def action_choose_playlist(self) -> None:
        """Pick another playlist from the ones found."""
        from companion.ui.screens.dialogs import PickDialog

        if not self.choices:
            return
        current = next((i for i, (_, p) in enumerate(self.choices) if p == self.playlist), 0)

        def chosen(index: int | None) -> None:
            if index is not None:
                self.playlist = self.choices[index][1]
                self.query_one("#playlist", Label).update(self._playlist_label())

        self.app.push_screen(PickDialog("Choose a playlist", [t for t, _ in self.choices], current),
                             chosen)

    def on_mount(self) -> None:
        self.query_one("#client-code", Input).focus()
        if self.companion.audio is not None:
            self.show_audio(self.companion.audio)
        # After the first paint: reading the record package and old files can wait a moment.
        self.call_after_refresh(self._offer_resume)

    COMPACT_HEIGHT = 22
    """Below this many lines the fields and the button lose their borders, so the whole
    form, down to the Begin button and its hint, fits (60x18 included)."""

    def on_resize(self) -> None:
        compact = self.app.size.height < self.COMPACT_HEIGHT
        self.set_class(compact, "-compact")
        for field in self.query(Input):
            field.compact = compact
        self.query_one("#begin", Button).compact = compact

    def _offer_resume(self) -> None:
        from companion.record.resume import find_interrupted
        from companion.ui.screens.dialogs import ResumeDialog

        interrupted = find_interrupted(self.companion.sessions_dir())
        if not interrupted:
            return
        latest = interrupted[-1]

        def answered(resume: bool | None) -> None:
            if resume:
                self.query_one("#begin", Button).disabled = True
                self.query_one("#start-problem", Label).update("Resuming…")
                self.companion.resume(latest)

        self.app.push_screen(ResumeDialog(describe_interrupted(latest)), answered)

    def show_audio(self, setup: AudioSetup) -> None:
        """Say which audio output is in use, or why there is none."""
        label = self.query_one("#audio-line", Label)
        label.update(setup.describe())
        label.set_class(setup.silent_reason is not None, "-warning")

    def show_problem(self, message: str) -> None:
        """Say why the session could not start (e.g. a playlist error with its line)."""
        self.query_one("#start-problem", Label).update(message)
        self.query_one("#begin", Button).disabled = False

    @on(Input.Submitted)
    @on(Button.Pressed, "#begin")
    def action_begin(self) -> None:
        """Start the session with what the form says."""
        button = self.query_one("#begin", Button)
        if button.disabled:
            return
        if self.playlist is None:
            self.show_problem("No playlist found: give one on the command line.")
            return
        button.disabled = True
        self.query_one("#start-problem", Label).update("Starting…")
        self.companion.begin(self.playlist, self.query_one("#client-code", Input).value.strip() or None,
                             self.query_one("#intention", Input).value.strip() or None)


def describe_interrupted(path: Path) -> str:
    """A line about an interrupted session: when it began, the playlist, client, last event."""
    from companion.errors import RecordError
    from companion.record.reader import read_events

    try:
        result = read_events(path)
    except RecordError as error:
        return f"{path.name} (could not be read: {error})"
    started = result.started
    when = result.started_at.astimezone().strftime("%a %d %b %H:%M") if result.started_at else "?"
    parts = [f"Began {when}"]
    if started is not None:
        parts.append(str(started.get("playlist_name", "")))
        if started.get("client_code"):
            parts.append(f"client {started.get('client_code')}")
    parts.append(f"last entry at {format_clock(result.duration)}")
    return " · ".join(p for p in parts if p)
