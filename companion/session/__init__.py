"""A session: the controller the screen calls, opening a session, the record writer, the
player, and the view the screen shows.

- `controller`: `SessionController`, one method per key; its parts `landing` (the safe
  harbour and the soft landing), `plan_keys`, `corrections`, `exercises` and `ending`.
- `opening`: `open_audio`, `AudioSetup`, `begin_session`, `resume_session`.
- `writer`: the record writer thread and the clock it stamps events with.
- `player`: the `Player` over an audio engine; `silent`: the `SilentPlayer` without one.
- `facts`: what the record says so far; `view`: the screen's snapshot; `formats`: how
  times and vitals are written. `ports`: the Protocols of the record and the player.

Names are loaded when first used, so a screen that only formats a time does not load the
controller (launch time matters).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.session.controller import SessionController
    from companion.session.formats import up_next_text, vitals_text
    from companion.session.opening import (
        SILENT_WORDS,
        SOUND_OFF,
        AudioSetup,
        begin_session,
        find_session_playlist,
        open_audio,
        resume_session,
    )
    from companion.session.view import NoteLine, PhaseSpan, SessionView
    from companion.session.writer import ActionClock, RecordWriter

_HOMES = {
    "SessionController": "controller",
    "AudioSetup": "opening", "SILENT_WORDS": "opening", "SOUND_OFF": "opening",
    "begin_session": "opening", "find_session_playlist": "opening", "open_audio": "opening",
    "resume_session": "opening",
    "ActionClock": "writer", "RecordWriter": "writer",
    "NoteLine": "view", "PhaseSpan": "view", "SessionView": "view",
    "up_next_text": "formats", "vitals_text": "formats",
}

__all__ = [
    "SILENT_WORDS", "SOUND_OFF", "ActionClock", "AudioSetup", "NoteLine", "PhaseSpan",
    "RecordWriter", "SessionController", "SessionView", "begin_session", "find_session_playlist",
    "open_audio", "resume_session", "up_next_text", "vitals_text",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'companion.session' has no attribute {name!r}")
    return getattr(importlib.import_module(f"companion.session.{home}"), name)
