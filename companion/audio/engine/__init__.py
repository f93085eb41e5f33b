"""The audio engine process: decodes ahead, mixes in the device callback, reports back over a pipe.

Runs in a child process (multiprocessing "spawn"), so the UI's garbage collector can
never hold up the sound. Three threads share the work:

- the main thread receives commands from the pipe and sends events back; it watches the
  parent and, when the parent dies (EOF on the pipe or the parent's sentinel), fades the
  sound out over a few seconds and exits: the engine never outlives its parent
  (`process.py`);
- the reader thread opens sources and decodes each playing one ahead into a bounded
  buffer (`streams.Stream`, ~1.5 s), and opens a queued next track early (`reader.py`);
- the device's callback (`Engine.render`) drains ready operations from a deque at the
  start of each block, then mixes only samples already decoded; a late reader means
  silence for that source and a counted underrun, never a wait (`slots.py`, `bls.py`).

Play requests address a *slot* ("music", "holding", ...): a new play in a slot fades out
whatever the slot held; `queue` plays a track after the current one, overlapping by a
crossfade, started on the exact frame by the callback (with no crossfade, joined gaplessly:
a file after a file at the same rate continues its resampling). Times given as "monotonic T" are
placed on the sample clock: frames rendered plus the device's latency (`clock.py`).
The commands and events are those of `companion.audio.protocol`.
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.audio.engine.process import Engine, engine_main

__getattr__, __all__ = exports(__name__, {
    "process": ("Engine", "engine_main"),
})
