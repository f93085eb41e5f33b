"""How `companion analyse` reports: a progress line while it measures, then a table (or JSON)
and a warning for each sound that would play far too quietly."""

from __future__ import annotations

import math
import sys
import time
from typing import TYPE_CHECKING

from companion.commands.analyse_items import Item

if TYPE_CHECKING:
    from companion.audio.loudness import Loudness


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    WIDTH = 24

    def __init__(self, total: int) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty()
        self._last = 0.0
        self._index = 0
        self._label = ""
        self._length: float | None = None

    def start(self, index: int, label: str, length: float | None) -> None:
        self._index, self._label, self._length = index, label, length
        self._draw(0.0, force=True)

    def update(self, seconds: float) -> None:
        self._draw(seconds)

    def _draw(self, seconds: float, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._last < 0.1):
            return
        self._last = now
        part = min(1.0, seconds / self._length) if self._length else 0.0
        done = (self._index + part) / max(1, self.total)
        filled = int(round(done * self.WIDTH))
        label = self._label if len(self._label) <= 40 else "..." + self._label[-37:]
        sys.stderr.write(f"\r\x1b[2K[{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                         f"{self._index + 1}/{self.total} {label}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()


def _fmt(value: float, sign: bool = False) -> str:
    if not math.isfinite(value):
        return "-inf"
    return f"{value:+.1f}" if sign else f"{value:.1f}"


def table(rows: list[tuple[Item, Loudness]], target: float | None) -> list[str]:
    from companion.audio.normalise import DEFAULT_TARGET_LUFS, track_gain_db

    lines = [f"{'LUFS':>6} {'LRA':>5} {'peak':>6} {'tpeak':>6} {'gain':>6}  path"]
    limited: set[float] = set()
    for item, loud in rows:
        aim = target if target is not None else item.target_lufs or DEFAULT_TARGET_LUFS
        decision = track_gain_db(loud, target_lufs=aim, track_gain_db=item.track_gain_db)
        mark = " "
        if decision.limited_by is not None:
            mark = "*"
            limited.add(aim)
        lines.append(f"{_fmt(loud.integrated_lufs):>6} {_fmt(loud.lra_lu):>5} "
                     f"{_fmt(loud.sample_peak_dbfs):>6} {_fmt(loud.true_peak_dbtp):>6} "
                     f"{_fmt(decision.gain_db, sign=True):>6}{mark} {item.label}")
    if limited:
        aims = " or ".join(f"{aim:g}" for aim in sorted(limited))
        lines.append(f"* held below {aims} LUFS so that its true peak stays under -1 dBTP")
    return lines


def too_quiet_lines(rows: list[tuple[Item, Loudness]], target: float | None) -> list[str]:
    """A line for each sound that would play more than 20 dB below its target."""
    from companion.audio.normalise import (DEFAULT_TARGET_LUFS, GainDecision, inaudible_words,
                                           track_gain_db)

    lines = []
    for item, loud in rows:
        aim = target if target is not None else item.target_lufs or DEFAULT_TARGET_LUFS
        own = item.track_gain_db
        decision = (track_gain_db(loud, target_lufs=aim, track_gain_db=own) if item.normalise
                    else GainDecision(own, None, own))
        words = inaudible_words(loud, decision, own, aim)
        if words is not None:
            place = f"{item.where}: " if item.where else ""
            lines.append(f"warning: {place}{item.label} {words}")
    return lines


def json_row(item: Item, loud: Loudness) -> dict:
    data = loud.to_json()
    keys = ("integrated_lufs", "lra_lu", "sample_peak_dbfs", "true_peak_dbtp")
    return {"path": item.label,
            **{k: (None if data[k] is None else round(data[k], 2)) for k in keys}}
