"""The session record's events: type names, the documented table of them, and Event itself.

Every line of a session file is one JSON object: `t` (ISO 8601 local time with its UTC
offset), `elapsed` (seconds since the session started), `type` (one of the names below, or
a newer one: readers keep unknown types), and the event's own fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FORMAT_VERSION = 1
"""Written in `session_started`; raised when a field's meaning changes."""

RESERVED_KEYS = ("t", "elapsed", "type")

SESSION_STARTED = "session_started"
SESSION_RESUMED = "session_resumed"
SESSION_ENDED = "session_ended"
DOSE_MARKED = "dose_marked"
PHASE_CHANGED = "phase_changed"
TRACK_STARTED = "track_started"
TRACK_ENDED = "track_ended"
TRACK_SKIPPED = "track_skipped"
TRACK_FAILED = "track_failed"
VOLUME_CHANGED = "volume_changed"
PAUSED = "paused"
RESUMED = "resumed"
HOLDING_STARTED = "holding_started"
HOLDING_STOPPED = "holding_stopped"
AUDIO_OUTPUT = "audio_output"
BREATHING_STARTED = "breathing_started"
BREATHING_STOPPED = "breathing_stopped"
BREATHING_PAUSED = "breathing_paused"
BREATHING_RESUMED = "breathing_resumed"
GROUNDING_STARTED = "grounding_started"
GROUNDING_STEP = "grounding_step"
GROUNDING_ITEM = "grounding_item"
GROUNDING_ITEM_REMOVED = "grounding_item_removed"
GROUNDING_COMPLETED = "grounding_completed"
GROUNDING_STOPPED = "grounding_stopped"
DISTRESS_RATING = "distress_rating"
NOTE = "note"
PLAN_LOADED = "plan_loaded"
REMINDER_DUE = "reminder_due"
REMINDER_PUT_OFF = "reminder_put_off"
REMINDER_SKIPPED = "reminder_skipped"
VITALS_DONE = "vitals_done"
CHECKIN_DONE = "checkin_done"
READY_TO_LEAVE = "ready_to_leave"
OBSERVATION_OVERRIDE = "observation_override"
HARBOUR_STARTED = "harbour_started"
HARBOUR_STOPPED = "harbour_stopped"
LANDING_STARTED = "landing_started"
BILATERAL_STARTED = "bilateral_started"
BILATERAL_STOPPED = "bilateral_stopped"
WRITE_ERROR = "write_error"
WRITE_RECOVERED = "write_recovered"

EVENT_TYPES: Mapping[str, tuple[str, str]] = {
    SESSION_STARTED: ("The session began (always the first line).",
                      "format, app_version, started_at (UTC, the clock's anchor), "
                      "playlist_name, playlist_hash, client_code?, intention?"),
    SESSION_RESUMED: ("An interrupted session was continued in the same file.",
                      "last_elapsed (the last event before the interruption), gap (seconds "
                      "without a record), app_version, torn_tail? (text of a cut-off last line)"),
    SESSION_ENDED: ("The session was ended by the sitter (the last line; only write_error / "
                    "write_recovered lines written late may follow).",
                    "note?, dose_elapsed?"),
    DOSE_MARKED: ("The dose was taken; times 'since dose' count from here.",
                  "note?, and any detail the sitter gives (e.g. route, amount)"),
    PHASE_CHANGED: ("A playlist phase began.", "index, name, planned_minutes?, reason?"),
    TRACK_STARTED: ("A track began to play.", "title, file? or builtin?, phase?, gain_db? "
                    "(its own gain plus loudness levelling)"),
    TRACK_ENDED: ("A track played to its end.", "title"),
    TRACK_SKIPPED: ("The sitter skipped a track (next/previous).", "title, direction?"),
    TRACK_FAILED: ("A track could not be played and was skipped.", "title, file?, reason"),
    VOLUME_CHANGED: ("The volume was changed.", "volume (percent), previous?"),
    PAUSED: ("Playback was paused.", "-"),
    RESUMED: ("Playback was resumed after a pause.", "-"),
    HOLDING_STARTED: ("Switched to the holding track (client distressed).", "title?"),
    HOLDING_STOPPED: ("Left the holding track.", "-"),
    AUDIO_OUTPUT: ("Which audio output is in use, or why none.", "backend, device?, reason?"),
    BREATHING_STARTED: ("A breathing pattern began.", "pattern (name), title?, cycles?, minutes?"),
    BREATHING_STOPPED: ("A breathing pattern ended or was stopped.",
                        "pattern, cycles_done?, duration?, completed? (bool), rating_before?, "
                        "rating_after?"),
    BREATHING_PAUSED: ("The breathing pacer was paused.", "pattern"),
    BREATHING_RESUMED: ("The breathing pacer went on after a pause.", "pattern"),
    GROUNDING_STARTED: ("The 5-4-3-2-1 grounding exercise began.",
                        "mode? (sitter/client), lang?"),
    GROUNDING_STEP: ("Grounding moved to a step (see, hear, feel, smell, taste, closing).",
                     "step, number?, count?, action? (start/done/next/back/skip/repeat/restart)"),
    GROUNDING_ITEM: ("Something the client noticed during grounding.", "step, item?, text?"),
    GROUNDING_ITEM_REMOVED: ("A noticed item was taken back.", "step, item?"),
    GROUNDING_COMPLETED: ("Grounding reached its end.",
                          "mode?, items?, skipped?, duration?, rating_before?, rating_after?"),
    GROUNDING_STOPPED: ("Grounding was left before its end.", "step?, and the same as completed"),
    DISTRESS_RATING: ("A distress rating (0-10) the client gave.",
                      "rating, scale?, context? (breathing/grounding), moment? (before/after); "
                      "readers also accept value / exercise / when"),
    NOTE: ("A note by the sitter.",
           "tag (observation, intervention, vitals, client_words, other), text, vitals?"),
    PLAN_LOADED: ("The playlist's plan in the room, as it was when the session began (the "
                  "report's schedule and integration prompts come from here).",
                  "schedule (list of {id, kind, title, anchor: start/dose/leaving, minutes, "
                  "readings?, words?, phase?}), min_observation_minutes?, ranges? ({value: "
                  "[low, high]}, null for an open end), scales? ({name: {title, min, max}}), "
                  "integration_prompts?, harbour? ({title?, fade, level}), landing? ({fade, "
                  "after?})"),
    REMINDER_DUE: ("A planned check-in or vitals reminder came due (again, after a put-off).",
                   "item (id), kind (vitals/check_in), title, due (elapsed seconds it fell "
                   "due), since_dose?, again? (after a put-off), missed? (fell due while the "
                   "app was down)"),
    REMINDER_PUT_OFF: ("The sitter put a reminder off for a few minutes.",
                       "item, title, minutes, until (elapsed seconds)"),
    REMINDER_SKIPPED: ("The sitter skipped a planned item.", "item, title, reason?, due?"),
    VITALS_DONE: ("Vitals were taken (a planned check, or unscheduled without `item`).",
                  "item?, title, values ({systolic, diastolic, hr, spo2, rr, temp, or a "
                  "scale's name: number}), marks? ({value: low/high} against the plan's "
                  "ranges), missing? (readings not taken), due?, late? (seconds after due; "
                  "negative: early; none for a check before the dose), after_dose? (a "
                  "check before the dose taken after it: seconds after the dose), note?"),
    CHECKIN_DONE: ("A planned check-in was done.",
                   "item, title, due?, late?, after_dose?, note?"),
    READY_TO_LEAVE: ("The sitter marked the client ready to leave.",
                     "since_dose?, observation_left (seconds of minimum observation still to "
                     "go, 0 when met), open? (ids of planned items not done), note?"),
    OBSERVATION_OVERRIDE: ("The session was ended before the minimum observation time, with "
                           "the sitter's reason.",
                           "reason, observation_left (seconds), since_dose?, "
                           "min_observation_minutes"),
    HARBOUR_STARTED: ("The safe harbour key: the music faded to the harbour track and "
                      "grounding opened.", "title? (harbour track), fade, level"),
    HARBOUR_STOPPED: ("Left the safe harbour: the phase's music faded back in.",
                      "reason? (key, grounding_done, ending), length? (seconds)"),
    LANDING_STARTED: ("The soft landing: the music's last fade began.",
                      "fade (seconds), after? (title of what plays after), reason? "
                      "(last_phase, ended)"),
    BILATERAL_STARTED: ("A set of bilateral stimulation (BLS, EMDR) began.",
                        "set (number), preset, speed (cycles/s; one cycle = left then right), "
                        "passes_per_s, passes? (planned; null: by seconds or until stopped), "
                        "seconds?, sound (tone, click, music or a file), pan (hard, smooth), "
                        "sud_before?"),
    BILATERAL_STOPPED: ("A set of bilateral stimulation ended (its SUD after is the next "
                        "distress_rating with exercise bilateral).",
                        "set, preset, passes (done, counted from the sample clock), "
                        "planned_passes?, seconds (first pass to end), speeds (every speed "
                        "used, in order), speed (at the end), stopped_early, reason (end, "
                        "stopped, failed), sud_before?"),
    WRITE_ERROR: ("The disk refused a write; events were kept in memory (written late).",
                  "error, errno?, unwritten (events waiting at that moment)"),
    WRITE_RECOVERED: ("Writing works again; all waiting events were written in order.",
                      "written (events written late), outage (seconds)"),
}
"""type name -> (what it means, its fields; `?` marks optional ones)."""

NOTE_TAGS = ("observation", "intervention", "vitals", "client_words", "other")
NOTE_TAG_ALIASES: Mapping[str, str] = {
    "client's words": "client_words",
    "client words": "client_words",
    "client-words": "client_words",
    "words": "client_words",
    "obs": "observation",
}


def normalise_tag(tag: str) -> str:
    """The canonical note tag for `tag` (raises ValueError for an unknown one)."""
    key = tag.strip().lower()
    key = NOTE_TAG_ALIASES.get(key, key)
    if key not in NOTE_TAGS:
        raise ValueError(f"unknown note tag {tag!r}; use one of {', '.join(NOTE_TAGS)}")
    return key


@dataclass(frozen=True)
class Event:
    """One line of the record: wall time, elapsed session seconds, type and fields."""

    t: str
    elapsed: float
    type: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        """A field's value, or `default`."""
        return self.fields.get(name, default)

    def to_dict(self) -> dict[str, Any]:
        """The event as the JSON object written to the file."""
        return {"t": self.t, "elapsed": self.elapsed, "type": self.type, **self.fields}

    def to_line(self) -> bytes:
        """The event as one UTF-8 JSON line, newline included."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"),
                          default=str)
        return (text + "\n").encode("utf-8")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        """An Event from a decoded JSON object (raises ValueError when it is not one)."""
        if not isinstance(data, Mapping):
            raise ValueError("a line is not a JSON object")
        missing = [key for key in RESERVED_KEYS if key not in data]
        if missing:
            raise ValueError(f"an event lacks {', '.join(missing)}")
        t, elapsed, kind = data["t"], data["elapsed"], data["type"]
        if not isinstance(t, str) or not isinstance(kind, str) or not kind:
            raise ValueError("an event's `t` and `type` must be text")
        if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)):
            raise ValueError(f"an event's `elapsed` must be a number, not {elapsed!r}")
        fields = {k: v for k, v in data.items() if k not in RESERVED_KEYS}
        return cls(t=t, elapsed=float(elapsed), type=kind, fields=fields)


@dataclass(frozen=True)
class WriteStatus:
    """Whether the record is on disk: `ok`, how many events wait in memory, and why."""

    ok: bool
    unwritten: int = 0
    error: str | None = None

    def describe(self) -> str:
        """A plain sentence for the screen."""
        if self.ok:
            return "Record saved."
        return (f"Record NOT saved to disk ({self.error}); {self.unwritten} event(s) kept in "
                "memory, retrying.")
