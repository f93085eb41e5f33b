"""The music's events: phases, tracks, volume, pause, the holding track, and the sound itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from companion.record.events.event import NewEvent, new_event

PHASE_CHANGED = "phase_changed"
TRACK_STARTED = "track_started"
TRACK_ENDED = "track_ended"
TRACK_SKIPPED = "track_skipped"
TRACK_FAILED = "track_failed"
TRACK_POSITION = "track_position"
"""Where the music is (title, phase, index, position), every few seconds while it plays: a
resumed session continues the track from there. Kept out of the readable timelines."""
QUIET = frozenset({TRACK_POSITION})
"""Bookkeeping events: in the file and the CSV/JSON exports, not in timelines for people."""
VOLUME_CHANGED = "volume_changed"
PAUSED = "paused"
RESUMED = "resumed"
HOLDING_STARTED = "holding_started"
HOLDING_STOPPED = "holding_stopped"
AUDIO_OUTPUT = "audio_output"
SOUND_CHECK = "sound_check"

TYPES: Mapping[str, tuple[str, str]] = {
    PHASE_CHANGED: ("A playlist phase began.",
                    "index, name, reason? (start, target, dose, tracks_ended, sitter), "
                    "planned_minutes?, resumed? (a resumed session's phase going on)"),
    TRACK_STARTED: ("A track began to play.", "title, file? or builtin?, phase?, index?, "
                    "seconds? (its length, when known), gain_db? (its own gain plus loudness "
                    "levelling), position? (seconds in, when a resumed session starts it where "
                    "it was), below_target_db? (how far below the loudness target it plays)"),
    TRACK_ENDED: ("A track played to its end.",
                  "title, position? (seconds played), reason? (end, stopped)"),
    TRACK_SKIPPED: ("The sitter skipped a track (next/previous).",
                    "title, position? (seconds played), reason?, direction? (older records)"),
    TRACK_FAILED: ("A track could not be played and was skipped.",
                   "title, file?, builtin?, reason"),
    TRACK_POSITION: ("Where the music is, every 10 s while it plays (a resume continues "
                     "the track from here; not shown in timelines).",
                     "title, phase, index, position (seconds into the track)"),
    VOLUME_CHANGED: ("The volume was changed.", "volume (percent), previous?"),
    PAUSED: ("Playback was paused.", "position? (seconds into the track)"),
    RESUMED: ("Playback was resumed after a pause.", "-"),
    HOLDING_STARTED: ("Switched to the holding track (client distressed).", "title?"),
    HOLDING_STOPPED: ("Left the holding track.", "-"),
    AUDIO_OUTPUT: ("Which audio output is in use, or why none.", "backend, device?, reason?"),
    SOUND_CHECK: ("The sound check: a soft sample of the holding sound at the session's "
                  "volume, for setting the laptop's own volume by ear.",
                  "sound? (what played), volume (percent), seconds?, device_lufs? (its "
                  "loudness at the device, when known), heard (false: nothing could play), "
                  "reason? (why nothing played)"),
}


def phase_changed(index: int, name: str, reason: str, *, planned_minutes: float | None = None,
                  resumed: bool = False) -> NewEvent:
    """`phase_changed`: `resumed` when a resumed session's phase goes on from where it was."""
    return new_event(PHASE_CHANGED, {"index": index, "name": name, "reason": reason},
                     planned_minutes=planned_minutes, resumed=resumed or None)


def track_started(title: str, *, phase: int, index: int, seconds: float | None,
                  gain_db: float, file: str | None = None, builtin: str | None = None,
                  position: float | None = None,
                  below_target_db: float | str | None = None) -> NewEvent:
    """`track_started`: a file, or else a built-in sound; `position` when it starts part-way."""
    sound = {"file": file} if file is not None else {"builtin": builtin}
    return new_event(TRACK_STARTED, {"title": title, "phase": phase, "index": index,
                                     "seconds": seconds, "gain_db": gain_db, **sound},
                     position=position, below_target_db=below_target_db)


def track_ended(title: str, position: float, reason: str) -> NewEvent:
    """`track_ended`: seconds played, and whether it ended or was stopped."""
    return NewEvent(TRACK_ENDED, {"title": title, "position": position, "reason": reason})


def track_skipped(title: str, position: float, reason: str) -> NewEvent:
    """`track_skipped`: seconds played before the sitter moved on."""
    return NewEvent(TRACK_SKIPPED, {"title": title, "position": position, "reason": reason})


def track_failed(title: str, file: str | None, builtin: str | None, reason: str) -> NewEvent:
    """`track_failed`: which file (or built-in sound) could not play, and why."""
    return NewEvent(TRACK_FAILED, {"title": title, "file": file, "builtin": builtin,
                                   "reason": reason})


def track_position(title: str, phase: int, index: int, position: float) -> NewEvent:
    """`track_position`: where the music is, for a resume."""
    return NewEvent(TRACK_POSITION, {"title": title, "phase": phase, "index": index,
                                     "position": position})


def volume_changed(volume: int, previous: int) -> NewEvent:
    """`volume_changed`, in percent."""
    return NewEvent(VOLUME_CHANGED, {"volume": volume, "previous": previous})


def paused(position: float) -> NewEvent:
    """`paused`, at `position` seconds into the track."""
    return NewEvent(PAUSED, {"position": position})


def resumed() -> NewEvent:
    """`resumed` after a pause."""
    return NewEvent(RESUMED, {})


def holding_started(title: str) -> NewEvent:
    """`holding_started`, with the holding track's title."""
    return NewEvent(HOLDING_STARTED, {"title": title})


def holding_stopped() -> NewEvent:
    """`holding_stopped`."""
    return NewEvent(HOLDING_STOPPED, {})


def audio_output(backend: str, device: str | None = None, reason: str | None = None) -> NewEvent:
    """`audio_output`: the backend in use (`none` with the reason when there is no sound)."""
    return new_event(AUDIO_OUTPUT, {"backend": backend}, device=device or None,
                     reason=reason or None)


def sound_check(volume: int, *, heard: bool, sound: str | None = None,
                seconds: float | None = None, device_lufs: float | None = None,
                reason: str | None = None) -> NewEvent:
    """`sound_check`: what played and how loud (`heard`), or why nothing could (`reason`)."""
    if not heard:
        return NewEvent(SOUND_CHECK, {"volume": volume, "heard": False, "reason": reason})
    fields: dict[str, Any] = {"sound": sound, "volume": volume, "seconds": seconds}
    if device_lufs is not None:
        fields["device_lufs"] = device_lufs
    fields["heard"] = True
    return NewEvent(SOUND_CHECK, fields)
