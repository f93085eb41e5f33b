"""Reports from a session record: a Markdown report for the integration session, CSV and JSON.

All three are built from a `ReadResult` (see `reader.read_events`). Nothing here writes
files; `companion log export` does, with private permissions. `describe` says one event in a
line (a table of describers by type), `episodes` finds the exercise runs, `summary` and
`phase_times` give the facts at a glance.
"""

from companion.record.report.describe import DESCRIBERS, describe, rating_value
from companion.record.report.episodes import RATING_WINDOW, Episode, Rating, episodes
from companion.record.report.exports import CSV_COLUMNS, render, to_csv, to_json
from companion.record.report.markdown import to_markdown
from companion.record.report.shown import describe_shown
from companion.record.report.summary import phase_times, summary
from companion.record.report.words import clock_text, since_dose_text

__all__ = [
    "CSV_COLUMNS", "DESCRIBERS", "RATING_WINDOW", "Episode", "Rating", "clock_text",
    "describe", "describe_shown", "episodes", "phase_times", "rating_value", "render",
    "since_dose_text", "summary", "to_csv", "to_json", "to_markdown",
]
