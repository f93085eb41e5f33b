"""The pull mixer: voices with gain ramps, crossfades, cues with ducking, pause and a ceiling.

Everything here is pure NumPy and runs inside the audio callback: `render(frames)` never touches
the disk, never blocks, and reuses its scratch buffers. Sources are anything with
`read(frames) -> ndarray (n, 2) float32` that returns fewer frames only at its end (the engine
wraps decoders in decode-ahead buffers, so `read` here only copies ready samples).

Guarantees (each tested in tests/audio/test_mixer.py):
- every gain change is a per-sample ramp (linear, or equal-power for crossfades): no zipper noise;
- a voice whose source ends with sound still in it, is stopped, or fails is faded out over
  `TAIL_S` (5 ms) of look-ahead, so nothing ever stops with a click;
- the master gain never exceeds the ceiling, even in the middle of a ramp;
- pause fades music to silence, then stops reading its sources; resume continues from the
  very next sample (cues keep sounding while paused);
- cues start on their exact frame; music is ducked by `duck_db` while ducking cues sound;
- a source raising AudioError (or any Exception) is faded out and reported, never propagated;
- output never reaches full scale: a soft clip guard (tanh knee) bends samples above -1 dBFS
  towards 0.99 (transparent below -1 dBFS; not a limiter: it does not change the gain).
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.audio.mixer.clip import CLIP_KNEE, CLIP_LIMIT
    from companion.audio.mixer.mix import RATE, TAIL_S, Mixer, MusicFilter
    from companion.audio.mixer.voice import MixerEvent, Readable

__getattr__, __all__ = exports(__name__, {
    "clip": ("CLIP_KNEE", "CLIP_LIMIT"),
    "mix": ("RATE", "TAIL_S", "Mixer", "MusicFilter"),
    "voice": ("MixerEvent", "Readable"),
})
