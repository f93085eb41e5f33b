"""The format's fixed words and limits: cue roles, step kinds, BLS sounds, vital readings, patterns."""

from __future__ import annotations

SCHEMA_FILE_NAME = "companion-playlist.schema.json"

# Used only if `companion.audio.soundscapes` cannot be imported (see `builtin_names()`).
FALLBACK_SOUNDSCAPES = ("brown-noise", "warm-pad", "ocean")
FALLBACK_CUE_SOUNDS = ("soft-bell", "chime", "bowl")

CUE_ROLES = ("inhale", "exhale", "hold", "end")
"""The moments a cue sound can mark (the breathing screen's roles): each step kind, the end."""

STEP_KINDS = ("inhale", "exhale", "hold")

BLS_SOUNDS = ("tone", "click", "music")
"""Built-in bilateral sounds (a `file` is the clinician's own short sample instead)."""
BLS_PANS = ("hard", "smooth")
BLS_LENGTHS = ("passes", "seconds", "until_stopped")

VITAL_READINGS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "bp": ("Blood pressure", ("systolic", "diastolic"), "mmHg"),
    "hr": ("Heart rate", ("hr",), "/min"),
    "spo2": ("SpO2", ("spo2",), "%"),
    "rr": ("Respiratory rate", ("rr",), "/min"),
    "temp": ("Temperature", ("temp",), "°C"),
}
"""Reading code -> (label, the values it holds, unit). Scales the clinician names add to these."""
VALUE_NAMES = ("systolic", "diastolic", "hr", "spo2", "rr", "temp")
"""The values vitals readings hold (keys of `ranges` and of recorded values)."""
MAX_PLAN_MINUTES = 24 * 60
MAX_PHASE_MINUTES = 600
NAME_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"
WORDING_KEY_PATTERN = r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$"


def builtin_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The built-in (soundscapes, cue sounds) the audio engine renders."""
    try:
        from companion.audio import soundscapes

        return tuple(soundscapes.SOUNDSCAPE_NAMES), tuple(soundscapes.CUE_NAMES)
    except (ImportError, AttributeError):
        return FALLBACK_SOUNDSCAPES, FALLBACK_CUE_SOUNDS
