"""The session record's events: each type's name, its documented fields, and its builder.

Every line of a session file is one JSON object: `t` (ISO 8601 local time with its UTC
offset), `elapsed` (seconds since the session started), `type` (one of the names below, or
a newer one: readers keep unknown types), and the event's own fields.

Each event has one owner here: its `UPPER_CASE` name (used everywhere else, never the bare
string), its entry in `EVENT_TYPES` (what it means, its fields; the docs are made from it)
and a builder of the same name in lower case (`note(tag, text)`, `phase_changed(...)`) that
returns the `NewEvent` an event sink or `SessionRecord.write` takes, fields in the order
the record has always had them. They are kept by area: `session`, `music`, `exercises`,
`notes`, `plan`.
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.record.events.event import (FORMAT_VERSION, RESERVED_KEYS, Event, EventSink,
                                               NewEvent, WriteStatus)
    from companion.record.events.exercises import (BILATERAL_STARTED, BILATERAL_STOPPED,
                                                   BREATHING_PAUSED, BREATHING_RESUMED,
                                                   BREATHING_STARTED, BREATHING_STOPPED,
                                                   DISTRESS_RATING, GROUNDING_COMPLETED,
                                                   GROUNDING_ITEM, GROUNDING_ITEM_REMOVED,
                                                   GROUNDING_STARTED, GROUNDING_STEP,
                                                   GROUNDING_STOPPED, bilateral_started,
                                                   bilateral_stopped, breathing_paused,
                                                   breathing_rating, breathing_resumed,
                                                   breathing_started, breathing_stopped,
                                                   distress_rating, grounding_completed,
                                                   grounding_item, grounding_item_removed,
                                                   grounding_started, grounding_step,
                                                   grounding_stopped, sud_rating)
    from companion.record.events.music import (AUDIO_OUTPUT, HOLDING_STARTED, HOLDING_STOPPED,
                                               PAUSED, PHASE_CHANGED, QUIET, RESUMED, SOUND_CHECK,
                                               TRACK_ENDED, TRACK_FAILED, TRACK_POSITION,
                                               TRACK_SKIPPED, TRACK_STARTED, VOLUME_CHANGED,
                                               audio_output, holding_started, holding_stopped,
                                               paused, phase_changed, resumed, sound_check,
                                               track_ended, track_failed, track_position,
                                               track_skipped, track_started, volume_changed)
    from companion.record.events.notes import (CORRECT, CORRECTION, NOTE, NOTE_TAG_ALIASES,
                                               NOTE_TAGS, STRIKE, correction, correction_fields,
                                               normalise_tag, note)
    from companion.record.events.plan import (CHECKIN_DONE, HARBOUR_STARTED, HARBOUR_STOPPED,
                                              LANDING_STARTED, OBSERVATION_OVERRIDE, PLAN_LOADED,
                                              READY_TO_LEAVE, REMINDER_DUE, REMINDER_PUT_OFF,
                                              REMINDER_SKIPPED, VITALS_DONE, checkin_done,
                                              harbour_started, harbour_stopped, landing_started,
                                              observation_override, plan_loaded, ready_to_leave,
                                              reminder_due, reminder_put_off, reminder_skipped,
                                              vitals_done)
    from companion.record.events.session import (DOSE_MARKED, SESSION_ENDED, SESSION_RESUMED,
                                                 SESSION_STARTED, WRITE_ERROR, WRITE_RECOVERED,
                                                 dose_marked, session_ended, session_resumed,
                                                 session_started, write_error, write_recovered)
    from companion.record.events.table import EVENT_TYPES

__getattr__, __all__ = exports(__name__, {
    "event": ("FORMAT_VERSION", "RESERVED_KEYS", "Event", "EventSink", "NewEvent",
        "WriteStatus"),
    "exercises": ("BILATERAL_STARTED", "BILATERAL_STOPPED", "BREATHING_PAUSED",
        "BREATHING_RESUMED", "BREATHING_STARTED", "BREATHING_STOPPED", "DISTRESS_RATING",
        "GROUNDING_COMPLETED", "GROUNDING_ITEM", "GROUNDING_ITEM_REMOVED", "GROUNDING_STARTED",
        "GROUNDING_STEP", "GROUNDING_STOPPED", "bilateral_started", "bilateral_stopped",
        "breathing_paused", "breathing_rating", "breathing_resumed", "breathing_started",
        "breathing_stopped", "distress_rating", "grounding_completed", "grounding_item",
        "grounding_item_removed", "grounding_started", "grounding_step", "grounding_stopped",
        "sud_rating"),
    "music": ("AUDIO_OUTPUT", "HOLDING_STARTED", "HOLDING_STOPPED", "PAUSED", "PHASE_CHANGED",
        "QUIET", "RESUMED", "SOUND_CHECK", "TRACK_ENDED", "TRACK_FAILED", "TRACK_POSITION",
        "TRACK_SKIPPED", "TRACK_STARTED", "VOLUME_CHANGED", "audio_output", "holding_started",
        "holding_stopped", "paused", "phase_changed", "resumed", "sound_check", "track_ended",
        "track_failed", "track_position", "track_skipped", "track_started", "volume_changed"),
    "notes": ("CORRECT", "CORRECTION", "NOTE", "NOTE_TAG_ALIASES", "NOTE_TAGS", "STRIKE",
        "correction", "correction_fields", "normalise_tag", "note"),
    "plan": ("CHECKIN_DONE", "HARBOUR_STARTED", "HARBOUR_STOPPED", "LANDING_STARTED",
        "OBSERVATION_OVERRIDE", "PLAN_LOADED", "READY_TO_LEAVE", "REMINDER_DUE",
        "REMINDER_PUT_OFF", "REMINDER_SKIPPED", "VITALS_DONE", "checkin_done",
        "harbour_started", "harbour_stopped", "landing_started", "observation_override",
        "plan_loaded", "ready_to_leave", "reminder_due", "reminder_put_off",
        "reminder_skipped", "vitals_done"),
    "session": ("DOSE_MARKED", "SESSION_ENDED", "SESSION_RESUMED", "SESSION_STARTED",
        "WRITE_ERROR", "WRITE_RECOVERED", "dose_marked", "session_ended", "session_resumed",
        "session_started", "write_error", "write_recovered"),
    "table": ("EVENT_TYPES",),
})
