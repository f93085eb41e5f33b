"""Reports from a session record: a Markdown report for the integration session, CSV and JSON.

All three are built from a `ReadResult` (see `reader.read_events`). Nothing here writes
files; `companion log export` does, with private permissions. `describe` says one event in a
line (a table of describers by type), `episodes` finds the exercise runs, `summary` and
`phase_times` give the facts at a glance.
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.record.report.descriptions import DESCRIBERS, describe, rating_value
    from companion.record.report.exercise_episodes import RATING_WINDOW, Episode, Rating, episodes
    from companion.record.report.exports import CSV_COLUMNS, render, to_csv, to_json
    from companion.record.report.markdown import to_markdown
    from companion.record.report.shown import describe_shown
    from companion.record.report.summaries import phase_times, summary
    from companion.record.report.words import clock_text, since_dose_text

__getattr__, __all__ = exports(__name__, {
    "descriptions": ("DESCRIBERS", "describe", "rating_value"),
    "exercise_episodes": ("RATING_WINDOW", "Episode", "Rating", "episodes"),
    "exports": ("CSV_COLUMNS", "render", "to_csv", "to_json"),
    "markdown": ("to_markdown",),
    "shown": ("describe_shown",),
    "summaries": ("phase_times", "summary"),
    "words": ("clock_text", "since_dose_text"),
})
