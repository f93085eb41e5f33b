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

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.audio.bilateral.clock import RATE, PassClock
    from companion.audio.bilateral.source import (LEVEL, REFERENCE_LUFS, SAMPLE_MAX_S,
                                                  BilateralSource)
    from companion.audio.bilateral.sway import MusicSway
    from companion.audio.bilateral.opening import load_sample, open_bilateral

__getattr__, __all__ = exports(__name__, {
    "clock": ("RATE", "PassClock"),
    "source": ("LEVEL", "REFERENCE_LUFS", "SAMPLE_MAX_S", "BilateralSource"),
    "sway": ("MusicSway",),
    "opening": ("load_sample", "open_bilateral"),
})
