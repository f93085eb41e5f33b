"""The session screen's keys: their bindings (each `id` can be remapped in the config file)
and the longer words the help dialog gives each.

Kept apart from the screen so the app can read the binding ids at start without loading it.
"""

from __future__ import annotations

from textual.binding import Binding

SESSION_BINDINGS = [
    Binding("space", "pause", "pause/resume", id="pause"),
    Binding("n", "next", "next", id="next"),
    Binding("b", "previous", "back", id="previous"),
    Binding("plus,equals_sign", "volume(5)", "vol+", id="volume_up", key_display="+"),
    Binding("minus", "volume(-5)", "vol-", id="volume_down", key_display="-"),
    Binding("h", "holding", "holding", id="holding"),
    Binding("k", "sound_check", "sound check", id="sound_check"),
    Binding("p", "phase", "phase", id="phase"),
    Binding("d", "dose", "dose", id="dose"),
    Binding("r", "breathing", "breathe", id="breathing"),
    Binding("g", "grounding", "ground", id="grounding"),
    Binding("t", "bilateral", "BLS", id="bilateral"),
    Binding("a", "note", "note", id="note"),
    Binding("s", "distress", "distress", id="distress"),
    Binding("v", "vitals", "vitals", id="vitals"),
    Binding("e", "ready_to_leave", "ready to leave", id="ready_to_leave"),
    Binding("c", "correct", "correct", id="correct"),
    Binding("l", "log", "log", id="log"),
    Binding("question_mark", "help", "help", id="help", key_display="?"),
    Binding("q", "end", "end", id="end"),
]
"""The session's keys; each `id` can be given other keys in the config file."""

KEY_HELP = {
    "pause": "pause or resume (soft fade)",
    "next": "next track",
    "previous": "previous track",
    "volume_up": "volume up",
    "volume_down": "volume down",
    "sound_check": "sound check: a soft sample at the session's level",
    "holding": "holding track on/off",
    "phase": "jump to a phase",
    "dose": "mark the dose",
    "breathing": "breathing (music goes on)",
    "grounding": "grounding 5-4-3-2-1",
    "bilateral": "bilateral stimulation",
    "note": "add a note with a tag",
    "distress": "distress rating 0-10",
    "vitals": "vitals / check-in form",
    "ready_to_leave": "client ready to leave",
    "correct": "correct or strike an entry",
    "harbour": "safe harbour (again: back)",
    "log": "the session's log so far",
    "help": "these keys",
    "end": "end the session (asks)",
}
"""What each key does, in the help dialog's words, by binding id."""
