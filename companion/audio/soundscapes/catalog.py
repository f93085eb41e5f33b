"""The built-in sounds by name: which there are, what each is, and opening one."""

from __future__ import annotations

from companion.audio.soundscapes.builtin import Builtin
from companion.audio.soundscapes.cues import bowl, chime, soft_bell
from companion.audio.soundscapes.endless import BrownNoise, Ocean, WarmPad
from companion.errors import AudioError


#: One-shot cue sounds (finite, a few seconds).
CUE_NAMES: tuple[str, ...] = ("soft-bell", "chime", "bowl")
#: Endless soundscapes (played until stopped, or for `seconds`).
SOUNDSCAPE_NAMES: tuple[str, ...] = ("brown-noise", "warm-pad", "ocean")


def names() -> tuple[str, ...]:
    """All built-in names: soundscapes first, then cues."""
    return SOUNDSCAPE_NAMES + CUE_NAMES


def is_cue(name: str) -> bool:
    """Whether `name` is a one-shot cue sound."""
    return name in CUE_NAMES


_DESCRIPTIONS = {
    "brown-noise": "soft brown noise with slow swells (endless)",
    "warm-pad": "warm low drone of slowly breathing consonant tones (endless)",
    "ocean": "slow waves of filtered noise rising and receding (endless)",
    "soft-bell": "a soft bell strike with a long gentle decay (cue, about 4 s)",
    "chime": "a light chime with a gentle decay (cue, about 3.5 s)",
    "bowl": "a low singing bowl with a slow swell and long decay (cue, about 6 s)",
}


def describe(name: str) -> str:
    """A one-line description of a built-in, for `companion check` and the UI."""
    try:
        return _DESCRIPTIONS[name]
    except KeyError:
        raise AudioError(_unknown(name)) from None


def _unknown(name: str) -> str:
    return f"unknown built-in sound {name!r}; choose one of: {', '.join(names())}"


def open_builtin(name: str, seed: int = 0, seconds: float | None = None,
                 start_at_s: float = 0.0, loop: bool = False) -> Builtin:
    """A Source for built-in `name` (raises AudioError for an unknown name).

    seconds: length for a soundscape (None: endless; when given, the last 2 s fade out to
    silence); for a cue, its natural length unless shorter (then it fades out).
    loop: repeat a cue seamlessly (soundscapes are endless anyway).
    Soundscapes always fade in from silence over their first second.
    """
    factory = _VOICES.get(name)
    if factory is None:
        raise AudioError(_unknown(name))
    return Builtin(name, factory(int(seed)), seconds, start_at_s, loop)


_VOICES = {  # name -> what renders it for a seed
    "brown-noise": BrownNoise,
    "warm-pad": WarmPad,
    "ocean": Ocean,
    "soft-bell": soft_bell,
    "chime": chime,
    "bowl": bowl,
}
