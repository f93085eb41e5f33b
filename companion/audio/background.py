"""Starting the audio engine on a thread of its own, so a screen opens without waiting for it.

Every command with sound (breathing cues and guides, the grounding voice, playing voice
takes back) starts its engine this way: a start that fails leaves the reason in `problem`
and the command goes on in silence, and whatever waits for the engine waits at most
`START_WAIT_S`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.audio.client import AudioEngine
    from companion.audio.outputs import OutputInfo

START_WAIT_S = 15.0
"""The longest anything waits for an engine starting in the background before going on without it."""


class BackgroundEngine:
    """An `AudioEngine` started on `output` in the background.

    `ready` is set once the start has ended, either way; `sounding` is then true when the
    engine plays to a real output, and `problem` says in words why it does not.
    """

    def __init__(self, output: str, *, name: str = "engine-start") -> None:
        from companion.audio.client import AudioEngine

        self.engine: AudioEngine = AudioEngine()
        self.info: OutputInfo | None = None
        self.problem: str | None = None
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._start, args=(output,), name=name,
                                        daemon=True)
        self._thread.start()

    def _start(self, output: str) -> None:
        from companion.errors import AudioError

        try:
            self.info = self.engine.start(output)
        except AudioError as error:
            self.problem = str(error)
        except Exception as error:  # e.g. the OS refusing the engine's process: go on in silence
            self.problem = f"the audio engine could not start ({error!r})"
        else:
            if self.info.backend == "none":
                self.problem = self.info.reason or "no audio output"
        finally:
            self.ready.set()

    @property
    def sounding(self) -> bool:
        """True once the engine plays to a real output."""
        return self.info is not None and self.info.backend != "none"

    def when_sounding(self, action: Callable[[], object], *, name: str) -> None:
        """Call `action` on a thread of its own once the engine sounds (never, if it does not
        within START_WAIT_S): for what is due before the engine is up, such as an opening line."""

        def wait_then_act() -> None:
            if self.ready.wait(START_WAIT_S) and self.sounding:
                action()

        threading.Thread(target=wait_then_act, name=name, daemon=True).start()

    def close(self, fade_s: float) -> None:
        """Wait for the start to end, then let the sound fade over `fade_s` and end the engine."""
        self._thread.join()
        if self.info is not None:  # a failed start has already ended the engine's process
            self.engine.close(fade_s=fade_s)
