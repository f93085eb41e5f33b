"""Voice packs: the clinician's recorded prompts, one take per line, indexed by wording key.

A pack is a folder holding `voice-pack.yaml` and the takes. The index maps each prompt's
key (the wording key, e.g. `breathing.patterns.box.step1`, `grounding.see.prompt`) to
its file, the words that were read, and the take's length:

    # Companion voice pack
    language: en
    loudness_lufs: -20.0
    format: wav
    takes:
      breathing.opening: {file: breathing.opening.wav, text: "We'll breathe ...", seconds: 3.1}

The prompts are the lines the exercises speak: the breathing opening and closing, each
step's words for every built-in and custom pattern (a custom pattern's steps have the keys
`breathing.custom.<name>.step<N>`), the generic step words, every grounding line the
client hears alone, and a playlist's safe-harbour words and check-ins. The index is
rewritten atomically (temp file + rename) after each kept take, so a pack recorded halfway
is always valid and recording resumes with the first missing line. A take whose words
have since changed counts as missing.
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.voice.lines import (GROUNDING_SENSES, GROUPS, TOO_LONG_FACTOR, TOO_LONG_MARGIN_S,
                                       Prompt, check_report, missing, prompts, select, step_key,
                                       step_prompt_key, too_long)
    from companion.voice.pack import (DEFAULT_FORMAT, DEFAULT_LOUDNESS_LUFS, INDEX_NAME, TakeEntry,
                                      VoicePack, VoicePackError, safe_name)
    from companion.voice.speaker import Speaker, VoiceGuide

__getattr__, __all__ = exports(__name__, {
    "lines": ("GROUNDING_SENSES", "GROUPS", "TOO_LONG_FACTOR", "TOO_LONG_MARGIN_S", "Prompt",
        "check_report", "missing", "prompts", "select", "step_key", "step_prompt_key",
        "too_long"),
    "pack": ("DEFAULT_FORMAT", "DEFAULT_LOUDNESS_LUFS", "INDEX_NAME", "TakeEntry", "VoicePack",
        "VoicePackError", "safe_name"),
    "speaker": ("Speaker", "VoiceGuide"),
})
