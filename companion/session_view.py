"""Kept for the screens that still import the formats from here; use `companion.session.formats`."""

from companion.session.formats import format_clock, format_short, vitals_text

__all__ = ["format_clock", "format_short", "vitals_text"]
