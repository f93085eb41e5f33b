"""A sample two-phase session written through SessionRecord, shared by report and CLI tests."""

from __future__ import annotations

from pathlib import Path

from companion.clock import FakeClock
from companion.record import EXAMPLE_RANGES, SessionRecord
from tests.record.conftest import Wall


def write_sample(directory: Path, *, client_code: str = "K07", end: bool = True,
                 wall: Wall | None = None) -> Path:
    """A session: settling, dose, onset, breathing and grounding with ratings, vitals, notes."""
    mono = FakeClock()
    record = SessionRecord.start(directory, playlist_name="Gentle default",
                                 playlist_hash="c0ffee" * 10, client_code=client_code,
                                 intention="Meet the fear | kindly", monotonic=mono,
                                 wall=wall or Wall())
    record.append("audio_output", backend="none", reason="no sound card")
    record.append("phase_changed", index=0, name="Settling", planned_minutes=None)
    record.append("track_started", title="Soft swell", builtin="brown-noise")
    mono.advance(600)
    record.mark_dose()
    record.append("phase_changed", index=1, name="Onset", planned_minutes=20)
    mono.advance(300)
    record.add_note("vitals", "BP 150/88 HR 92 SpO2 97", vitals_ranges=EXAMPLE_RANGES)
    mono.advance(60)
    record.append("distress_rating", rating=7)
    record.append("breathing_started", pattern="calm-4-6", title="Calm 4-6", cycles=6)
    mono.advance(60)
    record.append("breathing_stopped", pattern="calm-4-6", cycles_done=6, completed=True)
    mono.advance(30)
    record.append("distress_rating", rating=4)
    mono.advance(30)
    record.append("grounding_started", mode="sitter")
    record.append("grounding_step", step="see", count=5)
    record.append("grounding_item", step="see", text="the lamp")
    mono.advance(120)
    record.append("grounding_completed")
    record.append("distress_rating", rating=2)
    record.add_note("client_words", "It is like the sea")
    mono.advance(600)
    record.append("phase_changed", index=0, name="Settling")
    mono.advance(100)
    if end:
        record.end("settled, talking")
    else:
        record.close()
    return record.path
