"""The voice recorder app behind `companion voice record`: the recorder screen full screen."""

from __future__ import annotations

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
        from companion.audio.background import BackgroundEngine

        self.background = BackgroundEngine(output, name="take-player")

    def play(self, path: Path) -> None:
        """Play `path` from its start (replacing a take still playing)."""
        if self.background.sounding:  # never wait on the engine here
            self.background.engine.play("take", file=path, fade_in=0.005, overlap=0.02)

    def stop(self) -> None:
        """Stop the take playing, if any."""
        if self.background.sounding:
            self.background.engine.stop("take", fade_s=0.05)

    def close(self) -> None:
        """End the engine."""
        self.background.close(fade_s=0.1)


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
