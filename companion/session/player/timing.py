"""The player's fades and timings, in seconds, and the engine slots it plays in."""

PAUSE_FADE_S = 1.0
HOLD_IN_S = 2.0  # switching to the holding track: quick, but never a cut
HOLD_BACK_S = 4.0
SKIP_FADE_MAX_S = 3.0  # next/previous/jump crossfade at most this long
SKIP_SILENCE_S = 1.0  # after a file that cannot play, before the next one
RESTART_AFTER_S = 5.0  # `previous` past this point restarts the track instead
VOLUME_RAMP_S = 0.5
CUE_DUCK_DB = -4.0
SOUND_CHECK_S = 8.0  # the sound check: long enough to set the laptop's volume by ear
SOUND_CHECK_FADE_S = 2.0
MIN_FADE_S = 0.05  # the harbour and the landing never cut, even when a plan says 0 s
RESUME_FADE_S = 3.0  # a resumed session's track comes back from where it was, fading in
POSITION_EVERY_S = 10.0  # the record learns the music's position this often (for a resume)

MUSIC_SLOT = "music"
HOLDING_SLOT = "holding"
SOUND_CHECK_SLOT = "sound_check"
HARBOUR_SLOT = "harbour"
LANDING_SLOT = "landing"
