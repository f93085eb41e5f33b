"""Playing `companion play`'s items as one programme, printing each as it starts.

Each next item is queued in the engine while the one before it plays, so the engine starts
it on the exact frame where the crossfade must begin.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from companion.audio.protocol import Ended, Failed, Started
from companion.commands.play_items import Item
from companion.commands.play_plan import Step

if TYPE_CHECKING:
    from companion.audio.client import AudioEngine

POLL_S = 0.02


class Preview:
    """Sends the items to the engine one ahead of what plays, and prints each as it starts."""

    def __init__(self, engine: AudioEngine, items: list[Item], steps: list[Step]) -> None:
        self.engine = engine
        self.items = items
        self.steps = steps
        self.ids: dict[str, int] = {}
        self.started: set[int] = set()
        self.finished: set[int] = set()
        self.sounding: int | None = None  # the item heard now (until it ends)
        self.volume: float | None = None
        self.waiting_words: list[tuple[str, str]] = []  # (stdout, stderr) of skips not yet due
        self.status = 0

    def run(self) -> int:
        """Play everything to its end; the exit status."""
        self._send(0, queued=False)
        while len(self.finished) < len(self.items):
            for event in self.engine.poll_events():
                if isinstance(event, (Started, Failed, Ended)) and event.id in self.ids:
                    self._handle(event, self.ids[event.id])
            if not self.engine.alive:
                print("companion: the audio engine stopped", file=sys.stderr)
                return 1
            time.sleep(POLL_S)
        self._say_skips()
        return self.status

    def _send(self, index: int, *, queued: bool) -> None:
        """Play item `index` now (from silence) or after the one sounding (joined)."""
        if index >= len(self.items):
            return
        item, step = self.items[index], self.steps[index]
        source = dict(file=item.file, builtin=item.builtin, seed=item.seed, seconds=step.seconds,
                      gain_db=item.gain_db, fade_out=step.fade_out)
        if queued:
            play_id = self.engine.queue(**source, fade_in=step.join, overlap=step.join)
        else:
            self._set_volume(item.volume, 0.0)
            play_id = self.engine.play(**source, fade_in=step.fade_in)
        self.ids[play_id] = index

    def _set_volume(self, percent: float, ramp_s: float) -> None:
        if percent != self.volume:
            self.engine.set_volume(percent, ramp_s=ramp_s)
            self.volume = percent

    def _handle(self, event: Started | Failed | Ended, index: int) -> None:
        if isinstance(event, Started):
            self._say_skips()
            self.started.add(index)
            self.sounding = index
            self._set_volume(self.items[index].volume, max(self.steps[index].join, 0.05))
            item = self.items[index]
            where = f" [{item.where}]" if item.where else ""
            print(f"Playing {index + 1}/{len(self.items)}: {item.describe()}{where}{item.level}",
                  flush=True)
            self._send(index + 1, queued=True)
        elif isinstance(event, Failed):
            self.status = 1
            item = self.items[index]
            name = item.file if item.file is not None else item.builtin
            problem = f"companion: {name}: {event.reason} (skipped)"
            if index in self.started:  # it broke while playing; the engine plays on after it
                print(problem, file=sys.stderr, flush=True)
                return
            # It never played: the next one takes its place, and the skip is told in its turn.
            self.finished.add(index)
            where = f" [{item.where}]" if item.where else ""
            self.waiting_words.append(
                (f"Playing {index + 1}/{len(self.items)}: {item.describe()}{where}", problem))
            nothing_sounds = self.sounding is None
            if nothing_sounds:
                self._say_skips()
            self._send(index + 1, queued=not nothing_sounds)
        else:
            self.finished.add(index)
            if self.sounding == index:
                self.sounding = None
                self._say_skips()

    def _say_skips(self) -> None:
        """Report the items that could not play, in their turn (after what played before them)."""
        for line, problem in self.waiting_words:
            print(line, flush=True)
            print(problem, file=sys.stderr, flush=True)
        self.waiting_words.clear()
