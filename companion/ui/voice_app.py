"""The voice recorder app behind `companion voice record`: the recorder screen full screen."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from companion.ui.screens.voice_record import Recording, TakePlayer, VoiceRecordScreen
from companion.ui.theme import apply_calm_theme
from companion.voice import Prompt, VoicePack


class EnginePlayer:
    """Plays takes back through the audio engine, started in the background."""

    def __init__(self, output: str = "auto") -> None:
        from companion.audio.client import AudioEngine

        self.engine = AudioEngine()
        self.problem: str | None = None
        self._started = False
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._start, args=(output,), daemon=True,
                                        name="take-player")
        self._thread.start()

    def _start(self, output: str) -> None:
        from companion.errors import AudioError

        try:
            info = self.engine.start(output)
            self._started = True
            if info.backend == "none":
                self.problem = info.reason or "no audio output"
        except AudioError as error:
            self.problem = str(error)
        except Exception as error:  # e.g. the OS refusing the engine's process: record on, unheard
            self.problem = f"the audio engine could not start ({error!r})"
        finally:
            self._ready.set()

    def play(self, path: Path) -> None:
        """Play `path` from its start (replacing a take still playing)."""
        if self._ready.is_set() and self.problem is None:  # never wait on the engine here
            self.engine.play("take", file=path, fade_in=0.005, overlap=0.02)

    def stop(self) -> None:
        """Stop the take playing, if any."""
        if self._ready.is_set() and self.problem is None:
            self.engine.stop("take", fade_s=0.05)

    def close(self) -> None:
        """End the engine."""
        self._thread.join()
        if self._started:
            self.engine.close(fade_s=0.1)


class VoiceApp(App[int]):
    """Records a voice pack; exits with the number of takes kept."""

    TITLE = "Companion · voice"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q,ctrl+c", "quit_gently", "Quit", show=False, priority=True)]

    def __init__(self, pack: VoicePack, prompts: Sequence[Prompt], *,
                 capture_factory: Callable[[], Recording], player: TakePlayer | None = None) -> None:
        super().__init__()
        self.pack = pack
        self.prompts = list(prompts)
        self.capture_factory = capture_factory
        self.player = player

    def on_mount(self) -> None:
        apply_calm_theme(self)
        self.push_screen(VoiceRecordScreen(self.pack, self.prompts,
                                           capture_factory=self.capture_factory,
                                           player=self.player), callback=self.exit)

    def action_quit_gently(self) -> None:
        """Ctrl+Q/Ctrl+C quit as q does (asking first while a take is unsaved)."""
        if isinstance(self.screen, VoiceRecordScreen):
            self.screen.action_quit()
        else:
            self.exit(0)


def make_voice_app(pack: VoicePack, prompts: Sequence[Prompt], **options) -> VoiceApp:
    """The app factory shared by `companion voice record` and the tests."""
    return VoiceApp(pack, prompts, **options)
