"""Built-in procedural sounds: endless soundscapes and one-shot cues, deterministic per seed.

All are rendered in blocks with vectorised NumPy (no per-sample Python), float32 stereo at
48 kHz, at moderate levels (peaks about -12 dBFS, RMS about -24 dBFS for soundscapes) with no
hard edges: soundscapes fade in from silence over their first second, cues have a soft attack
and a long decay that ends in true silence.
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.audio.soundscapes.builtin import Builtin
    from companion.audio.soundscapes.cues import bowl, chime, soft_bell
    from companion.audio.soundscapes.endless import BrownNoise, Ocean, WarmPad
    from companion.audio.soundscapes.catalog import (CUE_NAMES, SOUNDSCAPE_NAMES, names, is_cue,
                                                     describe, open_builtin)

__getattr__, __all__ = exports(__name__, {
    "builtin": ("Builtin",),
    "cues": ("bowl", "chime", "soft_bell"),
    "endless": ("BrownNoise", "Ocean", "WarmPad"),
    "catalog": ("CUE_NAMES", "SOUNDSCAPE_NAMES", "names", "is_cue", "describe",
        "open_builtin"),
})
