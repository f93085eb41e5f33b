"""The Companion app and `make_app`, the factory the CLI and the tests share.

The app starts on the start screen (playlist, client code, intention, audio output;
offers to resume an interrupted session first), then shows the session screen. Ending
asks first (before the plan's minimum observation time, for a reason too), makes the soft
landing, writes `session_ended` and offers the report. The safe harbour key works from any
screen of the session: the music fades to the harbour and grounding opens; pressed again,
or when grounding closes, the music fades back. The slow
parts (starting the audio engine, creating or resuming the record, ending) run in thread
workers, so the screen never waits on audio or disk.
"""

from __future__ import annotations

import dataclasses
import importlib
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding

from companion import paths
from companion.clock import Clock
from companion.config import Config, load_config
from companion.errors import CompanionError
from companion.ui.theme import CALM_THEME, THEME_NAME

if TYPE_CHECKING:  # the session loads when one begins, not with the first screen
    from companion.record.events import WriteStatus
    from companion.session import AudioSetup, SessionController
    from companion.session.ports import PlayerFactory
    from companion.ui.screens.dialogs import Dialog

FINISHING_SHOWN_S = 0.8
"""The least time "Finishing…" stays on screen before the app exits."""

ENGINE_START_DELAY = 0.5
"""Seconds after mounting before the audio engine is started (the start screen says so)."""

AudioChoice = str | Callable[[], "AudioSetup"]
"""An output name for the engine (`auto`, `miniaudio`, `simpleaudio`, `none`), or a
callable returning an `AudioSetup` (tests pass a fake engine this way)."""


class CompanionApp(App[int]):
    """Companion: a calm session screen over the session controller."""

    CSS_PATH = "app.tcss"
    TITLE = "Companion"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        # A stray Ctrl+C or Ctrl+Q never ends a session: both ask first.
        Binding("ctrl+c", "request_end", "end", show=False, priority=True, id="app.ctrl_c"),
        Binding("ctrl+q", "request_end", "end", show=False, priority=True, id="app.ctrl_q"),
        # On the app, so it works over breathing, grounding and dialogs too (not while typing).
        Binding("f", "harbour", "harbour", id="harbour"),
        # In a text field `f` is a letter of the words typed: ctrl+f is the harbour there too,
        # and everywhere else (a priority key, heard before any field; it types nothing).
        Binding("ctrl+f", "harbour", "harbour", show=False, priority=True, id="harbour.anywhere"),
        # Tab moves focus as the app takes the key in, before it hands on the keys typed
        # after it: as an ordinary binding the field's own queue took those keys first, so
        # words typed quickly after Tab went into the field being left.
        Binding("tab", "focus_next", show=False, priority=True, id="app.focus_next"),
        Binding("shift+tab", "focus_previous", show=False, priority=True,
                id="app.focus_previous"),
    ]

    def __init__(self, *, playlist_path: Path | None, data_dir: Path | None, audio: AudioChoice,
                 clock: Clock, wall: Callable[[], datetime] | None, client_code: str | None,
                 intention: str | None, config: Config,
                 player_factory: PlayerFactory | None = None) -> None:
        super().__init__()
        # Set before the stylesheet is first parsed: changing the theme later parses it again.
        self.register_theme(CALM_THEME)
        self.theme = THEME_NAME
        self.playlist_path = playlist_path
        self.data_dir = data_dir
        self.audio_choice = audio
        self.clock = clock
        self.wall = wall
        self.client_code = client_code
        self.intention = intention
        self.config = config
        self.reduced_motion = config.reduced_motion
        self.player_factory = player_factory
        self.audio: AudioSetup | None = None
        self._audio_started = threading.Event()
        self.controller: SessionController | None = None
        self._ending = False

    def key_for(self, binding_id: str, default: str) -> str:
        """The key shown for a binding id (the config's remap, else `default`)."""
        keys = self.config.keys.get(binding_id)
        return keys.split(",")[0].strip() if keys else default

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "harbour":
            return self.controller is not None and not self._ending
        return True

    # -- set-up ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.reduced_motion:
            self.animation_level = "none"
        if self.config.keys:
            self.set_keymap(dict(self.config.keys))
        from companion.ui.screens.start import StartScreen

        self.push_screen(StartScreen())
        # Start the engine just after the first screen is painted: its process imports NumPy
        # and would compete with the first paint for the CPU (two cores, both busy at start).
        self.set_timer(ENGINE_START_DELAY, self.start_audio)

    def sessions_dir(self) -> Path:
        """Where this app's session records live."""
        if self.data_dir is not None:
            return paths.ensure_private_dir(Path(self.data_dir) / "sessions")
        return paths.sessions_dir()

    @work(thread=True, exclusive=True, group="audio")
    def start_audio(self) -> None:
        """Start the audio engine off the UI thread; the start screen shows the result."""
        from companion.session import open_audio

        choice = self.audio_choice
        setup = choice() if callable(choice) else open_audio(choice)
        self.audio = setup
        self._audio_started.set()
        self.call_from_thread(self._audio_ready, setup)
        # The session screen's modules load here, off the UI thread and after the first
        # paint, while the sitter fills in the form.
        importlib.import_module("companion.ui.screens.session")

    def _audio_ready(self, setup: AudioSetup) -> None:
        from companion.ui.screens.start import StartScreen

        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.show_audio(setup)

    # -- beginning ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="session")
    def begin(self, playlist_path: Path, client_code: str | None, intention: str | None) -> None:
        """Load the playlist, open the record and start the music, then show the session."""
        from companion.session import begin_session

        self._open(begin_session, playlist_path, client_code=client_code, intention=intention)

    @work(thread=True, exclusive=True, group="session")
    def resume(self, record_path: Path) -> None:
        """Continue an interrupted session in its own file, clock intact."""
        from companion.session import resume_session

        controller = self._open(resume_session, record_path,
                                fallback_playlist=self.playlist_path)
        if controller is not None and controller.playlist_note:
            self.call_from_thread(self.notify, controller.playlist_note, title="Playlist",
                                  timeout=8)

    def _open(self, opening: Callable[..., SessionController], path: Path,
              **how: object) -> SessionController | None:
        """Open a session (on a worker thread) and show it, or say on the start screen why not."""
        try:
            controller = opening(
                path, self.sessions_dir(), audio=self._wait_for_audio(), clock=self.clock,
                wall=self.wall, vitals_ranges=self.config.vitals,
                player_factory=self.player_factory, breath_sound=self.config.breath_sound, **how)
        except CompanionError as error:
            self.call_from_thread(self._begin_failed, error)
            return None
        self.call_from_thread(self._show_session, controller)
        return controller

    def _wait_for_audio(self) -> AudioSetup:
        # Called on a worker thread: the engine may still be starting.
        from companion.audio.background import START_WAIT_S
        from companion.session import AudioSetup

        if self._audio_started.wait(START_WAIT_S) and self.audio is not None:
            return self.audio
        return AudioSetup.silent("the audio engine did not start in time")

    def _begin_failed(self, error: CompanionError) -> None:
        from companion.ui.screens.start import StartScreen

        if isinstance(self.screen, StartScreen):
            self.screen.show_problem(str(error))
        else:
            self.notify(str(error), title="Could not start", severity="error", timeout=10)

    def _show_session(self, controller: SessionController) -> None:
        from companion.ui.screens.session import SessionScreen

        self.controller = controller
        self.switch_screen(SessionScreen(controller))
        if controller.loudness_note:
            self.notify(controller.loudness_note, title="Loudness", severity="warning", timeout=12)

    # -- the safe harbour ----------------------------------------------------------------

    def action_harbour(self) -> None:
        """The safe harbour: fade to the harbour and open grounding; pressed again, come back."""
        from companion.ui.screens.grounding import GroundingScreen
        from companion.ui.screens.harbour import HarbourScreen, open_harbour

        controller = self.controller
        if controller is None or self._ending:
            return
        if controller.in_harbour:
            controller.stop_harbour("key")
            if isinstance(self.screen, HarbourScreen):
                self.screen.leave()
            self._repaint_session()
            return
        if not controller.start_harbour():
            return
        if not any(isinstance(s, GroundingScreen) for s in self.screen_stack):
            open_harbour(self, controller, self.key_for("harbour", "f"),
                         on_done=self._harbour_grounding_closed)
        self._repaint_session()

    def _harbour_grounding_closed(self, _summary: object) -> None:
        controller = self.controller
        if controller is not None and controller.in_harbour and not self._ending:
            controller.stop_harbour("grounding_done")
        self._repaint_session()

    def _repaint_session(self) -> None:
        from companion.ui.screens.session import SessionScreen

        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen):
                screen.refresh_soon()

    # -- words typed into a dialog -----------------------------------------------------------

    def on_dialog_words_kept(self, message: Dialog.WordsKept) -> None:
        """A dialog was left with words typed and not sent: keep them as a note, and say so."""
        controller = self.controller
        if controller is None or self._ending:
            self.notify(message.text, title="Not recorded: no session is running", timeout=30)
            return
        controller.add_note(message.tag, message.text)
        self.notify(message.text, title="Kept as a note", timeout=8)
        self._repaint_session()

    # -- ending ---------------------------------------------------------------------------

    def action_request_end(self) -> None:
        """Ask before ending (q, Ctrl+C, Ctrl+Q); quits at once only when no session runs.

        Before the plan's minimum observation time the question says how long is left and
        asks for the sitter's reason, which the record keeps as an override.
        """
        from companion.plan import minutes_text
        from companion.ui.screens.dialogs import EarlyEndDialog, EndDialog, ReportDialog

        asking = (EndDialog, EarlyEndDialog, ReportDialog)
        if any(isinstance(s, asking) for s in self.screen_stack) or self._ending:
            return
        controller = self.controller
        if controller is None:
            self.exit(0)
            return

        def answered(note: str | None) -> None:
            if note is not None:
                self._begin_ending(note)

        left = controller.observation_left()
        if left <= 0:
            self.push_screen(EndDialog(), answered)
            return

        def answered_early(result: tuple[str, str] | None) -> None:
            if result is not None:
                reason, note = result
                controller.end_early(reason)
                self._begin_ending(note)

        minimum = controller.min_observation_minutes or 0
        self.push_screen(EarlyEndDialog(minutes_text(left), minutes_text(minimum * 60)),
                         answered_early)

    def _begin_ending(self, note: str) -> None:
        self._ending = True
        self.refresh_bindings()
        self.notify("The music fades out…", title="Ending the session", timeout=4)
        self.end_session(note)

    @work(thread=True, exclusive=True, group="session")
    def end_session(self, note: str) -> None:
        """Fade out, write the end, save the report beside the record, then offer it (off
        the UI thread: it waits on disk)."""
        controller = self.controller
        assert controller is not None
        status = controller.end(note or None)
        try:
            markdown = controller.report_markdown()
        except CompanionError as error:
            markdown = f"The report could not be made: {error}"
        saved, problem = self._save_report(controller.report_path, markdown)
        self.call_from_thread(self._offer_report, markdown, status, saved, problem)

    @staticmethod
    def _save_report(path: Path, markdown: str) -> tuple[Path | None, str]:
        """Save the report as the session ends, so closing the dialog can never lose it."""
        try:
            paths.write_private_text(path, markdown)
        except OSError as error:
            return None, f"The report could not be saved to {path}: {error.strerror or error}."
        return path, ""

    def _offer_report(self, markdown: str, status: WriteStatus, saved: Path | None = None,
                      problem: str = "") -> None:
        from companion.ui.screens.dialogs import ReportDialog

        controller = self.controller
        assert controller is not None
        default = controller.report_path
        words = "The record is complete." if status.ok else status.describe()
        if saved is not None:
            words += " The report is saved:"
        elif problem:
            words += " " + problem
        self.push_screen(ReportDialog(markdown, default, paths.write_private_text, words,
                                      saved=saved),
                         lambda kept: self._finish(kept or saved))

    def _finish(self, report: Path | None) -> None:
        """Say "Finishing…" while the music fades and the record closes, then exit.

        The terminal is never left blank: the app stays on screen until the engine is gone,
        and its last words (where the record and report are) stay after it exits."""
        from companion.ui.screens.finishing import FinishingScreen

        controller = self.controller
        if controller is None:
            self.exit(0)
            return
        self.push_screen(FinishingScreen(controller.closing_fade(),
                                         str(report) if report is not None else None))
        self._close_then_exit(report)

    @work(thread=True, exclusive=True, group="closing")
    def _close_then_exit(self, report: Path | None) -> None:
        from rich.text import Text

        controller = self.controller
        assert controller is not None
        shown_at = time.monotonic()
        controller.close()
        # Long enough to be read, never a flash: a silent session has no fade to wait for.
        time.sleep(max(0.0, FINISHING_SHOWN_S - (time.monotonic() - shown_at)))
        farewell = f"The session has ended.\nRecord: {controller.record_path}"
        if report is not None:
            farewell += f"\nReport: {report}"
        self.call_from_thread(self.exit, 0, 0, Text(farewell))  # Text: a path is not markup

    def on_unmount(self) -> None:
        # Quitting without ending keeps the record resumable; after an end, let the fade finish.
        if self.controller is not None:
            self.controller.close()
        elif self.audio is not None:
            self.audio.close()


def make_app(playlist_path: Path | str | None = None, data_dir: Path | str | None = None,
             audio: AudioChoice = "auto", clock: Clock = time.monotonic, *,
             wall: Callable[[], datetime] | None = None, client_code: str | None = None,
             intention: str | None = None, reduced_motion: bool | None = None,
             config: Config | None = None,
             player_factory: PlayerFactory | None = None) -> CompanionApp:
    """The app, set up for a session: shared by `companion run` and the tests.

    `config` defaults to the user's config file; `reduced_motion` overrides its setting.
    """
    from companion.ui.screens.session_keys import SESSION_BINDINGS

    if config is None:
        config = load_config(binding_ids=[b.id for b in SESSION_BINDINGS if b.id] + ["harbour"])
    if reduced_motion is not None:
        config = dataclasses.replace(config, reduced_motion=reduced_motion)
    return CompanionApp(
        playlist_path=Path(playlist_path) if playlist_path is not None else None,
        data_dir=Path(data_dir) if data_dir is not None else None, audio=audio, clock=clock,
        wall=wall, client_code=client_code, intention=intention, config=config,
        player_factory=player_factory)
