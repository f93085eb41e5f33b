"""Every event type's meaning and fields, gathered from the areas (the docs are made from it)."""

from __future__ import annotations

from collections.abc import Mapping

from companion.record.events import exercises, music, notes, plan, session

EVENT_TYPES: Mapping[str, tuple[str, str]] = {
    **session.TYPES, **music.TYPES, **exercises.TYPES, **notes.TYPES, **plan.TYPES}
