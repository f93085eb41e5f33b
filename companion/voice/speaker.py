"""Speaking a voice pack's takes through the audio engine: any line, or the breathing pacer's in time."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from companion.voice.lines import step_prompt_key
from companion.voice.pack import VoicePack
from companion.wording import Wording

if TYPE_CHECKING:
    from companion.audio.port import EnginePort
    from companion.breathing import Pacer, Pattern


class Speaker:
    """Speaks a pack's takes through the audio engine as cues over the music, which dips under them.

    A take plays at its own (levelled) loudness plus `gain_db`, under the master volume
    and its ceiling like every cue; the music is dipped by `duck_db` while it speaks and
    eased back after. A take longer than the time it is given fades out over `fade_s`
    as that time ends (a cut copy kept in `cache`), so it never runs into the next step.
    A line with no take (or a take read from other words) is simply not spoken.
    """

    def __init__(self, engine: EnginePort, pack: VoicePack, *, duck_db: float = -8.0,
                 gain_db: float = 0.0, fade_s: float = 0.4, cache: Path | None = None) -> None:
        from companion.paths import cache_dir

        self.engine = engine
        self.pack = pack
        self.duck_db = duck_db
        self.gain_db = gain_db
        self.fade_s = fade_s
        self.cache = cache or cache_dir() / "voice"

    def prepare(self, key: str, text: str | None, seconds: float | None) -> Path | None:
        """The file to play for `key` within `seconds` (cut and faded if longer), or None."""
        path = self.pack.take_path(key, text)
        if path is None:
            return None
        if seconds is not None and self.pack.takes[key].seconds > seconds:
            from companion.audio.take_files import fitted_copy

            path = fitted_copy(path, seconds, min(self.fade_s, seconds / 2), self.cache)
        return path

    def say(self, key: str, at: float | None = None, *, text: str | None = None,
            seconds: float | None = None) -> bool:
        """Speak the take for `key` at monotonic time `at`, within `seconds`; False if none."""
        path = self.prepare(key, text, seconds)
        if path is None:
            return False
        self.engine.cue(file=path, gain_db=self.gain_db, at=at, duck_db=self.duck_db)
        return True


class VoiceGuide:
    """Speaks the breathing pacer's lines in time: the opening, each step as it starts, the closing."""

    OPENING_DELAY_S = 0.3

    def __init__(self, speaker: Speaker, pattern: Pattern, wording: Wording | None = None) -> None:
        self.speaker = speaker
        self.pattern = pattern
        self.wording = wording or Wording()
        for index, step in enumerate(pattern.steps):  # cut long takes now, not on a step's cue
            key = step_prompt_key(pattern, index)
            self.speaker.prepare(key, step.words or self.wording.get(key), step.seconds)

    def started(self, pacer: Pacer) -> None:
        """The opening line, just after the pacer starts (within the lead-in)."""
        at = pacer.clock() + self.OPENING_DELAY_S
        room = pacer.lead_in - self.OPENING_DELAY_S
        self.speaker.say("breathing.opening", at, text=self.wording.get("breathing.opening"),
                         seconds=room if room > 0.5 else None)

    def step(self, pacer: Pacer, index: int, at: float) -> None:
        """Step `index` begins at `at` (index -1: the end, when the closing line is said)."""
        if index < 0:
            self.speaker.say("breathing.closing", at, text=self.wording.get("breathing.closing"))
            return
        step = self.pattern.steps[index]
        key = step_prompt_key(self.pattern, index)
        text = step.words or self.wording.get(key)
        self.speaker.say(key, at, text=text, seconds=step.seconds)

    def paused(self, pacer: Pacer) -> None:
        """Nothing: a take already started finishes its words."""

    def resumed(self, pacer: Pacer) -> None:
        """Nothing: the next step speaks when it starts."""

    def stopped(self, pacer: Pacer) -> None:
        """Stopped early: the closing line now."""
        if pacer.stopped:
            self.speaker.say("breathing.closing", pacer.clock() + 0.1,
                             text=self.wording.get("breathing.closing"))
