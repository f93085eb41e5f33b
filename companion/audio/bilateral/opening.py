"""Opening a bilateral source from the engine's `Bls` command: the set's sound, its pass
clock and its level."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from companion.audio.bilateral.clock import RATE
from companion.audio.bilateral.source import SAMPLE_MAX_S, BilateralSource
from companion.audio.bilateral.sway import MusicSway

if TYPE_CHECKING:
    from companion.audio.protocol import Bls



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
