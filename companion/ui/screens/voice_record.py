"""The voice recorder: one prompt at a time, the words large, a level meter, the take played back.

Keys: r (or Space) records and stops; h hears the take again; k (or Enter) keeps it; d
discards it and records again; s skips the line; q (or Esc) quits, asking first while a
take is unsaved. A kept take is trimmed, faded and levelled (`companion.audio.takes`),
saved into the pack and the index rewritten at once, so quitting at any point loses
nothing kept. The screen opens on the first line still missing: a half-recorded pack
resumes where it stopped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from companion.errors import CompanionError
from companion.ui.widgets.keys import KeyBar
from companion.voice import Prompt, VoicePack, missing

METER_WIDTH = 40
METER_FLOOR_DB = -60.0
METER_EVERY_S = 0.1


class Recording(Protocol):
    """What the screen needs from a capture (`companion.audio.capture.Capture`)."""

    rate: int
    level: float

    @property
    def running(self) -> bool: ...

    @property
    def seconds(self) -> float: ...

    def start(self) -> str: ...

    def stop(self) -> np.ndarray: ...


class TakePlayer(Protocol):
    """Plays a take file back (the audio engine, or a fake in tests)."""

    def play(self, path: Path) -> None: ...

    def stop(self) -> None: ...


def meter_text(level_db: float, width: int = METER_WIDTH) -> str:
    """A level bar: full at 0 dBFS, empty at METER_FLOOR_DB."""
    fraction = min(1.0, max(0.0, (level_db - METER_FLOOR_DB) / -METER_FLOOR_DB))
    filled = int(round(fraction * width))
    return "▮" * filled + "·" * (width - filled)


class VoiceRecordScreen(Screen[int]):
    """Walks through `prompts`, recording into `pack`; dismisses with the number of takes kept."""

    AUTO_FOCUS = None

    DEFAULT_CSS = """
    VoiceRecordScreen { background: $background; layout: vertical; }
    VoiceRecordScreen #voice-progress { height: 1; width: 100%; text-align: center; color: $text-muted; }
    VoiceRecordScreen #voice-context { height: 1; width: 100%; text-align: center; color: $text-muted; }
    VoiceRecordScreen .spacer { height: 1fr; }
    VoiceRecordScreen #voice-words { width: 100%; height: auto; padding: 0 4;
        text-align: center; text-style: bold; color: $foreground; }
    VoiceRecordScreen #voice-meter { width: 100%; height: 1; text-align: center; color: $primary; }
    VoiceRecordScreen #voice-status { width: 100%; height: 2; padding: 0 2; text-align: center;
        color: $text-muted; }
    """

    BINDINGS = [
        Binding("r,space", "record", "Record", key_display="r", id="voice.record"),
        Binding("r,space", "stop", "Stop", key_display="r", id="voice.stop"),
        Binding("h", "hear", "Hear again", id="voice.hear"),
        Binding("k,enter", "keep", "Keep", key_display="k", id="voice.keep"),
        Binding("d", "redo", "Redo", id="voice.redo"),
        Binding("s", "skip", "Skip", id="voice.skip"),
        Binding("q,escape", "quit", "Quit", key_display="q", id="voice.quit"),
    ]

    def __init__(self, pack: VoicePack, prompts: Sequence[Prompt], *,
                 capture_factory: Callable[[], Recording],
                 player: TakePlayer | None = None, process: Callable[..., Any] | None = None) -> None:
        super().__init__()
        self.pack = pack
        self.prompts = list(prompts)
        self.capture_factory = capture_factory
        self.player = player
        if process is None:
            from companion.audio.takes import process_take as process
        self.process = process
        todo = set(missing(pack, self.prompts))
        self.index = next((i for i, p in enumerate(self.prompts) if p.key in todo), len(self.prompts))
        self.state = "ready"
        """`ready`, `starting`, `recording`, `review` (a take waits to be kept) or `done`."""
        self.capture: Recording | None = None
        self.take: Any = None
        self.preview: Path | None = None
        self.kept = 0
        self._meter: Timer | None = None

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="voice-progress")
        yield Static(id="voice-context")
        yield Static(classes="spacer")
        yield Static(id="voice-words")
        yield Static(classes="spacer")
        with Vertical():
            yield Static(id="voice-meter")
            yield Static(id="voice-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self._meter = self.set_interval(METER_EVERY_S, self._tick, pause=True)
        self._show_prompt()

    @property
    def prompt(self) -> Prompt | None:
        """The prompt being recorded (None when every line is done)."""
        return self.prompts[self.index] if self.index < len(self.prompts) else None

    def _status(self, text: str) -> None:
        self.query_one("#voice-status", Static).update(text)

    def _show_prompt(self) -> None:
        prompt = self.prompt
        left = len(missing(self.pack, self.prompts))
        self.query_one("#voice-progress", Static).update(
            f"Line {min(self.index + 1, len(self.prompts))} of {len(self.prompts)}"
            f" · {left} still to record")
        self.query_one("#voice-meter", Static).update("")
        if prompt is None:
            self.state = "done"
            self.query_one("#voice-context", Static).update("")
            self.query_one("#voice-words", Static).update("Every line is recorded.")
            self._status(f"The pack is in {self.pack.path}. Press q to finish.")
        else:
            self.state = "ready"
            self.query_one("#voice-context", Static).update(prompt.context)
            self.query_one("#voice-words", Static).update(prompt.text)
            have = self.pack.take_path(prompt.key, prompt.text) is not None
            self._status(("A take is already kept for this line; record to replace it. "
                          if have else "") + "Press r, read the words, then r again.")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.state
        allowed = {
            "record": state in ("ready",),
            "stop": state == "recording",
            "hear": state == "review",
            "keep": state == "review",
            "redo": state == "review",
            "skip": state in ("ready", "review"),
            "quit": state != "starting",
        }
        return allowed.get(action, True)

    # -- recording ------------------------------------------------------------------------
    def action_record(self) -> None:
        """Start recording the current line."""
        if self.prompt is None:
            return
        self._stop_playback()
        self.state = "starting"
        self.refresh_bindings()
        self._status("Opening the microphone...")
        capture = self.capture_factory()
        self.capture = capture
        threading.Thread(target=self._open, args=(capture,), name="voice-open", daemon=True).start()

    def _open(self, capture: Recording) -> None:
        try:
            capture.start()
        except CompanionError as error:
            self.app.call_from_thread(self._failed_to_open, str(error))
            return
        self.app.call_from_thread(self._recording)

    def _failed_to_open(self, reason: str) -> None:
        self.state = "ready"
        self.capture = None
        self._status(f"The microphone could not be opened: {reason}")
        self.refresh_bindings()

    def _recording(self) -> None:
        self.state = "recording"
        self._status("Recording... press r when you have finished the words.")
        self.refresh_bindings()
        if self._meter is not None:
            self._meter.resume()

    def _tick(self) -> None:
        capture = self.capture
        if capture is None or self.state != "recording":
            return
        self.query_one("#voice-meter", Static).update(
            f"{meter_text(capture.level)}  {capture.seconds:4.1f} s")
        if not capture.running:  # the longest take allowed has been reached
            self.action_stop()

    def action_stop(self) -> None:
        """Stop recording, process the take and play it back."""
        capture = self.capture
        if capture is None or self.state != "recording":
            return
        if self._meter is not None:
            self._meter.pause()
        samples = capture.stop()
        self.capture = None
        try:
            self.take = self.process(samples, capture.rate, self.pack.loudness_lufs)
        except CompanionError as error:
            self.take = None
            self.state = "ready"
            self.query_one("#voice-meter", Static).update("")
            self._status(f"{error} Press r to try again, or s to skip.")
            self.refresh_bindings()
            return
        self.state = "review"
        self.preview = self._write_preview()
        limited = " (held below full scale: speak a little louder)" if self.take.limited else ""
        self.query_one("#voice-meter", Static).update(f"take {self.take.seconds:.1f} s{limited}")
        self._status("Listen back. k keeps it, d records again, h hears it again, s skips.")
        self.refresh_bindings()
        self.action_hear()

    def _write_preview(self) -> Path | None:
        from companion.audio.take_files import write_wav

        path = self.pack.path / ".preview.wav"
        try:
            write_wav(path, self.take.samples, self.take.rate)
        except OSError as error:
            self.notify(f"Cannot play the take back: {error}", severity="warning")
            return None
        return path

    def action_hear(self) -> None:
        """Play the take (as it will be kept) again."""
        if self.player is not None and self.preview is not None:
            self.player.play(self.preview)

    def _stop_playback(self) -> None:
        if self.player is not None:
            self.player.stop()

    def action_keep(self) -> None:
        """Save the take into the pack, update the index, and go to the next missing line."""
        prompt, take = self.prompt, self.take
        if prompt is None or take is None:
            return
        from companion.audio.take_files import save_take

        self._stop_playback()
        try:
            path = save_take(take, self.pack.file_for(prompt.key))
            self.pack.keep(prompt.key, path, prompt.text, take.seconds)
        except (CompanionError, OSError) as error:
            self._status(f"The take could not be saved: {error}")
            return
        self.kept += 1
        self._discard()
        self._advance()

    def action_redo(self) -> None:
        """Throw the take away and record the line again."""
        self._discard()
        self.state = "ready"
        self.action_record()

    def action_skip(self) -> None:
        """Leave this line for later."""
        self._discard()
        self._advance()

    def _discard(self) -> None:
        self._stop_playback()
        self.take = None
        if self.preview is not None:
            self.preview.unlink(missing_ok=True)
            self.preview = None

    def _advance(self) -> None:
        self.index += 1
        todo = set(missing(self.pack, self.prompts))
        while self.index < len(self.prompts) and self.prompts[self.index].key not in todo:
            self.index += 1
        self._show_prompt()

    def action_quit(self) -> None:
        """Leave; asks first when a take has not been kept."""
        if self.state == "recording":
            self.action_stop()  # what was said so far becomes a take to keep or not
        if self.take is None:
            self._leave()
            return
        from companion.ui.screens.dialogs import ConfirmDialog

        self.app.push_screen(ConfirmDialog("Quit without keeping this take?",
                                           "The lines already kept are saved.",
                                           yes="Quit", no="Go back"),
                             callback=lambda yes: self._leave() if yes else None)

    def _leave(self) -> None:
        self._discard()
        self.dismiss(self.kept)
