"""The format of the music: tracks, cue sounds, playback settings and phases."""

from __future__ import annotations

from companion.audio.levels import DEFAULT_CEILING, DEFAULT_TARGET_LUFS, DEFAULT_VOLUME
from companion.playlist.spec.kinds import (GAIN, PERCENT, SECONDS_OF_FADE, Flag, Key, List,
                                           Mapping, Number, Text)
from companion.playlist.spec.vocabulary import MAX_PHASE_MINUTES


def _file_key() -> Key:
    return Key("file", Text(), "An audio file (WAV, FLAC, MP3 or OGG), relative to this playlist.")


def _seed_key() -> Key:
    return Key("seed", Number(minimum=0, maximum=2**31 - 1, integer=True), "Variation of a "
               "built-in sound: the same seed always sounds the same.", default=0)


def track_format(soundscapes: tuple[str, ...]) -> Mapping:
    """A track: a local file or one of the built-in `soundscapes`."""
    return Mapping(
        "track", "a track",
        doc="One piece of sound in a phase: a local file or a built-in soundscape.",
        one_of=("file", "builtin"),
        keys=(
            _file_key(),
            Key("builtin", Text(choices=soundscapes), "A built-in soundscape, rendered by "
                "Companion: " + ", ".join(soundscapes) + "."),
            Key("title", Text(), "What the sitter sees while it plays (default: the file name "
                "or the soundscape)."),
            _seed_key(),
            Key("minutes", Number(minimum=0, maximum=600, exclusive_minimum=True,
                                  unit="minutes"),
                "How long it plays. Without it a file plays to its end and a built-in "
                "soundscape plays until the phase ends."),
            Key("gain_db", GAIN, "Level change for this track, in dB (-6 is about half as "
                "loud).", default=0.0),
            Key("fade_in", SECONDS_OF_FADE, "Fade-in seconds (default: playback.fade_in)."),
            Key("fade_out", SECONDS_OF_FADE, "Fade-out seconds (default: playback.fade_out)."),
            Key("loop", Flag(), "Start again from the beginning until the phase ends.",
                default=False),
        ),
    )


def cue_format(cue_sounds: tuple[str, ...]) -> Mapping:
    """A cue sound: a file or one of the built-in `cue_sounds`."""
    return Mapping(
        "cue", "a cue sound",
        doc="A short sound that marks a moment (a breathing step): a file or a built-in cue.",
        one_of=("file", "builtin"),
        keys=(
            _file_key(),
            Key("builtin", Text(choices=cue_sounds), "A built-in cue sound: "
                + ", ".join(cue_sounds) + "."),
            _seed_key(),
            Key("gain_db", GAIN, "Level change for this cue, in dB.", default=0.0),
        ),
    )


def playback_format(track: Mapping) -> Mapping:
    """The playback settings, with `track` for the holding track."""
    return Mapping(
        "playback", "the playback settings",
        doc="How loud, how tracks join, and what to play when the client is distressed.",
        keys=(
            Key("volume", PERCENT, "Volume at the start, in percent: 100 plays every sound at "
                "the loudness target, each percent below takes 0.3 dB off (85 is -4.5 dB).",
                default=DEFAULT_VOLUME),
            Key("ceiling", PERCENT, "No control can make it louder than this, in percent.",
                default=DEFAULT_CEILING),
            Key("crossfade", Number(minimum=0, maximum=30, unit="seconds"), "Seconds over which "
                "one track fades into the next (0 = gapless).", default=6),
            Key("fade_in", SECONDS_OF_FADE, "Default fade-in of every track, seconds.",
                default=4),
            Key("fade_out", SECONDS_OF_FADE, "Default fade-out of every track, seconds.",
                default=6),
            Key("loudness_target", Number(minimum=-40, maximum=-10, unit="LUFS"),
                "Every track and built-in is brought to this loudness (ITU-R BS.1770 "
                "integrated, in LUFS) before its own gain_db; it is what 100 % plays at. -18 "
                "is the ReplayGain 2.0 reference.", default=DEFAULT_TARGET_LUFS),
            Key("normalise", Flag(), "false: every track plays at its own level (an album "
                "mastered to flow as one).", default=True),
            Key("holding", track, "The track switched to at once when the client is "
                "distressed."),
            Key("bilateral_above_music", Number(minimum=0, maximum=20, unit="LU"),
                "How far a bilateral (BLS) tone or click sits above the music, in LU, at its "
                "preset's default gain_db of -6.", default=8),
        ),
    )


def phase_format(track: Mapping) -> Mapping:
    """A phase of the plan and its tracks."""
    return Mapping(
        "phase", "a phase",
        doc="One part of the session plan, with a target length and its tracks.",
        one_of=("minutes", "until"),
        keys=(
            Key("name", Text(), "The phase's name, shown to the sitter (e.g. Settling, Onset, "
                "Peak, Return, Integration).", required=True),
            Key("minutes", Number(minimum=0, maximum=MAX_PHASE_MINUTES, exclusive_minimum=True,
                                  unit="minutes"), "Target length in minutes."),
            Key("until", Text(choices=("dose",)), "`dose`: the phase lasts until the sitter "
                "marks the dose."),
            Key("tracks", List(track), "The tracks, played in order (none: silence).",
                default=()),
        ),
    )
