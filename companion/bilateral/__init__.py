"""Bilateral stimulation (BLS) for EMDR: presets, sets, passes counted from the sample clock, SUD between sets.

For clinicians trained in EMDR. A *set* is a run of *passes* (one pass = the sound on one
side; one cycle = left then right, so passes/s = 2 x cycles/s), lasting a number of passes,
a number of seconds, or until stopped. The sound itself is made and timed by the audio
engine (`companion/audio/bilateral/`); this module only asks for it and counts what the
engine reports: each pass arrives as an onset with the monotonic time it is heard, and the
counter moves when that time comes, so what the therapist sees follows what the client
hears, whatever the screen is doing.

`BilateralSession` is the plain-Python controller behind the BLS panel and `companion bls`:
it starts, re-speeds and stops sets through an audio port (`EngineAudio` over the engine;
`ClockAudio`, a silent stand-in driven by a clock, for tests), keeps the sets and SUD
ratings, and reports record events through `on_event(type, fields)`.

`presets` (the `Preset`s, speeds in words), `audio` (the audio port: `EngineAudio`,
`ClockAudio`, levelling) and `sets` (`SetState`, `BilateralSession`).
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.bilateral.audio import (PRESET_REFERENCE_GAIN_DB, Audio, ClockAudio, EngineAudio,
                                           level_offset_db)
    from companion.bilateral.presets import (BUILTIN_PRESETS, DEFAULT_PASSES, DEFAULT_SPEED,
                                             MAX_SPEED, MIN_SPEED, PANS, SOUNDS, SPEED_STEP, Preset,
                                             all_presets, clamp_speed, customised, find_preset,
                                             from_playlist, speed_text)
    from companion.bilateral.sets import CHECK_SPEED, LEAD_S, BilateralSession, SetState

__getattr__, __all__ = exports(__name__, {
    "audio": ("PRESET_REFERENCE_GAIN_DB", "Audio", "ClockAudio", "EngineAudio",
        "level_offset_db"),
    "presets": ("BUILTIN_PRESETS", "DEFAULT_PASSES", "DEFAULT_SPEED", "MAX_SPEED", "MIN_SPEED",
        "PANS", "SOUNDS", "SPEED_STEP", "Preset", "all_presets", "clamp_speed", "customised",
        "find_preset", "from_playlist", "speed_text"),
    "sets": ("CHECK_SPEED", "LEAD_S", "BilateralSession", "SetState"),
})
