"""`companion journal`: list the entries of the client's private journal, or show one."""

from __future__ import annotations

import argparse
from typing import Any

NAME = "journal"
HELP = "list your private journal's entries (from `companion ground --journal`), or show one"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`journal [list]`, `journal show N`."""
    actions = parser.add_subparsers(dest="journal_action", metavar="ACTION")
    actions.add_parser("list", help="list the entries, oldest first (the default)",
                       description="List the journal's entries, oldest first.")
    show = actions.add_parser("show", help="show one entry in full",
                              description="Show one journal entry in full.")
    show.add_argument("number", metavar="N", help="the entry's number in the list, or `last`")


def run(args: argparse.Namespace) -> int:
    """List the entries, or show entry N."""
    from companion.errors import UsageError
    from companion.journal import journal_path, read_entries

    entries = read_entries()
    if getattr(args, "journal_action", None) != "show":
        if not entries:
            print(f"Your journal is empty ({journal_path()}).")
            return 0
        for entry in entries:
            print(f"{entry.number:>4}  {entry.t:%Y-%m-%d %H:%M}  {entry.kind:<10} "
                  f"{_one_line(entry.data)}".rstrip())
        return 0
    if not entries:
        raise UsageError("your journal is empty: there is no entry to show")
    text = args.number.strip().lower()
    if text == "last":
        number = len(entries)
    elif text.isdigit() and 1 <= int(text) <= len(entries):
        number = int(text)
    else:
        raise UsageError(f"there is no entry {args.number!r}: choose 1 to {len(entries)} "
                         "(see `companion journal`)")
    entry = entries[number - 1]
    print(f"Entry {entry.number}  ·  {entry.t:%Y-%m-%d %H:%M}  ·  {entry.kind}")
    for line in _details(entry.data):
        print(line)
    return 0


def _ratings(data: dict[str, Any]) -> str:
    before, after = data.get("rating_before"), data.get("rating_after")
    if before is None and after is None:
        return ""
    show = lambda v: "-" if v is None else str(v)  # noqa: E731
    return f"distress {show(before)} → {show(after)}"


def _one_line(data: dict[str, Any]) -> str:
    """A short summary: items per sense (5·4·3·2·1), skipped steps, ratings."""
    parts = []
    items = data.get("items")
    if isinstance(items, dict):
        parts.append("noticed " + "·".join(str(n) for n in items.values()))
    if data.get("skipped"):
        parts.append("skipped " + ", ".join(map(str, data["skipped"])))
    if _ratings(data):
        parts.append(_ratings(data))
    return "  ".join(parts)


def _details(data: dict[str, Any]) -> list[str]:
    from companion.wording import Wording

    wording = Wording(str(data.get("lang") or "en"))
    lines = []
    items = data.get("items") if isinstance(data.get("items"), dict) else {}
    words = data.get("words") if isinstance(data.get("words"), dict) else {}
    for sense, count in items.items():
        name = wording.get(f"grounding.{sense}.name", default=str(sense))
        said = words.get(sense) or []
        skipped = " (skipped)" if sense in (data.get("skipped") or []) else ""
        lines.append(f"  {name + ':':<10}{count}{skipped}" + (f"  {'; '.join(said)}" if said
                                                               else ""))
    if _ratings(data):
        lines.append(f"  {_ratings(data).capitalize()}")
    if isinstance(data.get("duration"), (int, float)):
        from companion.clock import minutes_seconds_text

        lines.append(f"  Took {minutes_seconds_text(data['duration'])}")
    return lines
