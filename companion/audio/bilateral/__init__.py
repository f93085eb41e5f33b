"""Bilateral sound for the mixer: tones, clicks or a sample alternating between the ears, or the music swayed.

Everything is timed by one phase accumulator on the sample clock (`PassClock`, `clock.py`): the phase
counts passes (one pass = the sound on one side; a cycle = left then right), and pass k
begins on the first sample whose phase reaches k. A speed change moves the rate of the
phase, never the phase itself, so the sound continues from where it is (no jump, no
click), and every onset still falls on its exact sample. Sources report their onsets
(frame, pass number, side) so the pass counter is read from the sample clock too.

- `BilateralSource` (`source.py`) is a mixer source (`read(frames)`): each pass sounds a note (a soft
  tone with raised-cosine attack and release, a soft click, or the clinician's sample) on
  its side (hard alternation), or a sound that glides between the ears along an
  equal-power curve (smooth panning). After the last pass the last note eases out; it
  never stops mid-tone. `stop()` fades out at once, softly.
- `MusicSway` (`sway.py`) pans the music bus itself (a mixer music filter): its middle (L+R)/2 moves
  between the ears at a depth of 0-1 along the equal-power law, so the loudness holds
  steady; it starts and ends in the centre.

Pure NumPy, no allocation beyond block-sized temporaries: it runs in the audio callback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from companion.audio.bilateral.clock import RATE, PassClock
from companion.audio.bilateral.source import LEVEL, REFERENCE_LUFS, SAMPLE_MAX_S, BilateralSource
from companion.audio.bilateral.sway import MusicSway

if TYPE_CHECKING:
    from companion.audio.protocol import Bls

__all__ = ["LEVEL", "REFERENCE_LUFS", "BilateralSource", "MusicSway", "PassClock",
           "load_sample", "open_bilateral"]


def load_sample(path: str, rate: int = RATE) -> np.ndarray:
    """The first SAMPLE_MAX_S seconds of an audio file as mono float32 (decodes: not in the callback)."""
    from companion.audio.decode import SourceSpec, open_source

    source = open_source(SourceSpec(file=path, seconds=SAMPLE_MAX_S))
    try:
        data = source.read(int(SAMPLE_MAX_S * rate))
    finally:
        source.close()
    mono = data.mean(axis=1).astype(np.float32) if len(data) else np.zeros(0, np.float32)
    # Normalise to the tone's peak, so a quiet or loud recording sits at the same level.
    peak = float(np.max(np.abs(mono))) if len(mono) else 0.0
    return mono / peak if peak > 0 else mono


def open_bilateral(command: Bls, rate: int = RATE) -> BilateralSource | MusicSway:
    """The sound an engine `Bls` command asks for: sound (tone, click, music, or a file), pan,
    speed, passes / seconds, hz, depth. Decodes a sample file, so call it off the audio callback."""
    sound = command.sound
    common = dict(speed=command.speed, passes=command.passes, seconds=command.seconds, rate=rate)
    if sound == "music":
        return MusicSway(depth=command.depth, **common)
    sample = None
    if sound not in ("tone", "click"):
        sample = load_sample(command.file or sound, rate)
        sound = "sample"
    return BilateralSource(sound=sound, pan=command.pan, hz=command.hz, sample=sample, **common)
