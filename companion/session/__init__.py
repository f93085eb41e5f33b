"""A session: the controller the screen calls, opening a session, the record writer, the
player, and the view the screen shows.

- `controller`: `SessionController`, one method per key; its parts `landing` (the safe
  harbour and the soft landing), `plan_keys`, `corrections`, `exercises` and `ending`.
- `opening`: `open_audio`, `AudioSetup`, `begin_session`, `resume_session`.
- `writer`: the record writer thread and the clock it stamps events with.
- `player`: the `Player` over an audio engine; `silent`: the `SilentPlayer` without one.
- `facts`: what the record says so far; `view`: the screen's snapshot; `formats`: how
  vitals and what is up next are written. `ports`: the Protocols of the record and the player.

Names are loaded when first used, so a screen that only formats a time does not load the
controller (launch time matters).
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.session.controller import SessionController
    from companion.session.opening import (SILENT_WORDS, SOUND_OFF, AudioSetup, begin_session,
                                           find_session_playlist, open_audio, resume_session)
    from companion.session.writer import ActionClock, RecordWriter
    from companion.session.view import NoteLine, PhaseSpan, SessionView
    from companion.session.formats import up_next_text, vitals_text

__getattr__, __all__ = exports(__name__, {
    "controller": ("SessionController",),
    "opening": ("SILENT_WORDS", "SOUND_OFF", "AudioSetup", "begin_session", "find_session_playlist",
                "open_audio", "resume_session"),
    "writer": ("ActionClock", "RecordWriter"),
    "view": ("NoteLine", "PhaseSpan", "SessionView"),
    "formats": ("up_next_text", "vitals_text"),
})
