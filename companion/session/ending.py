"""The end of a session: the soft landing's last fade, `session_ended`, the report, and
letting the engine go (or leaving the record resumable when the app quits abruptly)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from companion.errors import AudioError

if TYPE_CHECKING:
    from companion.audio.port import EnginePort
    from companion.playlist.model import Playlist
    from companion.record.events import WriteStatus
    from companion.session.ports import RecordPort
    from companion.session.writer import RecordWriter

log = logging.getLogger(__name__)


class Ending:
    """The controller's part that ends a session and closes it."""

    playlist: Playlist
    record: RecordPort
    engine: EnginePort | None
    silent_reason: str | None
    _writer: RecordWriter
    _ending: bool
    _landed: bool
    _landing_ends: float | None
    _closer: threading.Thread | None
    _unsubscribe: Callable[[], None]
    land: Callable[..., None]

    def end(self, note: str | None = None, fade_s: float | None = None) -> WriteStatus:
        """Fade the music out, write `session_ended` (with the note), and let the engine go.

        Returns once the end is on disk (or kept in memory: the record's write status says).
        The music makes its soft landing (the plan's long fade, then its `after` sound or
        silence) while the report is offered; `close` lets the engine go when the app quits.
        `fade_s` replaces the landing's fade.
        """
        if self._ending:
            return self.record.status
        if not self._landed:
            self.land("ended", fade_s)
        self._ending = True
        self._writer.submit(self.record.end, note or None)
        self._writer.flush()
        self._writer.close()
        self._unsubscribe()
        return self.record.status

    def close(self) -> None:
        """Leave without ending (the app quits abruptly): write what is queued, keep it resumable."""
        if not self._ending:
            self._writer.flush()
            self._writer.close()
            self.record.close()
            self._close_engine(1.0)
        else:
            self._close_engine(self._closing_fade())
        self.wait_closed()

    def closing_fade(self) -> float:
        """Seconds the music still takes to fade out when the app quits now."""
        return self._closing_fade() if self._ending else 1.0

    def _closing_fade(self) -> float:
        """The engine's last fade when the app quits after an end: what is left of the landing
        (at most the playlist's fade-out, so quitting never hangs), or a short one after it;
        none when nothing is heard (a silent session has no fade to wait for)."""
        if self.silent_reason is not None:
            return 0.0
        fade_out = float(self.playlist.playback.fade_out)
        left = 0.0
        if self._landing_ends is not None:
            left = self._landing_ends - self.record.clock.elapsed()
        if left <= 0:
            return fade_out if self.playlist.plan.landing.after is not None else 0.5
        return max(0.5, min(fade_out, left))

    def _close_engine(self, fade: float) -> None:
        if self.engine is None or self._closer is not None:
            return
        engine = self.engine

        def close() -> None:
            try:
                engine.close(fade)
            except AudioError as error:
                log.warning("closing the audio engine: %s", error)

        self._closer = threading.Thread(target=close, name="engine-close", daemon=True)
        self._closer.start()

    def wait_closed(self, timeout: float = 12.0) -> None:
        """Wait for the engine's last fade to finish (before the process exits)."""
        if self._closer is not None:
            self._closer.join(timeout)

    @property
    def record_path(self) -> Path:
        """The session's record file."""
        return self.record.path

    @property
    def report_path(self) -> Path:
        """Where the session's report is saved: beside the record."""
        return self.record.path.with_suffix(".md")

    def report_markdown(self) -> str:
        """The session's report as Markdown."""
        from companion.record.reader import read_events
        from companion.record.report import to_markdown

        return to_markdown(read_events(self.record.path))
