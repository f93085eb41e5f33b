"""What the exercises need from a session: their wording, the breathing patterns and the
pacer's guides and cues, the BLS panel's sound, and the plan's reminder cues."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from companion.errors import CompanionError
from companion.record import events as ev

if TYPE_CHECKING:
    from companion.audio.port import EnginePort
    from companion.bilateral import BilateralSession
    from companion.breathing import Pattern
    from companion.clock import Clock
    from companion.playlist.model import Playlist, Track
    from companion.session.ports import EngineListener, EventSink, PlayerPort
    from companion.wording import Wording


class Exercises:
    """The controller's part that gives the exercises their words and their sound."""

    playlist: Playlist
    player: PlayerPort
    engine: EnginePort | None
    silent_reason: str | None
    breath_sound: bool
    _ending: bool
    write: Callable[..., None]
    exercise_event: EventSink

    def wording(self) -> Wording:
        """The words the exercises say, in the playlist's language and with its overrides."""
        from companion.wording import Wording

        return Wording.for_playlist(self.playlist)

    def breathing_patterns(self, wording: Wording) -> tuple[Pattern, ...]:
        """The built-in breathing patterns, then the playlist's own (raises CompanionError)."""
        from companion.breathing import all_patterns

        return all_patterns(self.playlist.breathing, wording)

    def cue(self, role: str, at: float) -> None:
        """A soft cue sound for `role` (breathing) at monotonic time `at`; none when silent.

        A hold rings only when the playlist names a `hold` cue: a bell at every hold of box
        breathing (every 4 s) would be anything but calm.
        """
        if role == "hold" and "hold" not in self.playlist.cues:
            return
        if not self._ending:
            self.player.cue(role, at)

    def breathing_guides(self, pattern: Pattern) -> list[Any]:
        """The guides that follow the breathing pacer: the playlist's voice pack, and the
        breath sound when that setting is on; none when silent or ending.

        A voice pack that is missing or cannot be read is never an error: the words stay on
        screen, and a note in the record says why the voice was not used.
        """
        if self.engine is None or self.silent_reason is not None or self._ending:
            return []
        from companion.breathing import WithdrawCues

        guides: list[Any] = [WithdrawCues(self.engine)]
        voice = getattr(self.playlist, "voice", None)
        if voice is not None:
            from companion.voice import Speaker, VoiceGuide, VoicePack

            try:
                pack = VoicePack.open(voice)
                guides.append(VoiceGuide(Speaker(self.engine, pack), pattern, self.wording()))
            except (CompanionError, OSError, ValueError) as error:
                self.write(ev.note("other", f"Voice pack not used: {error}"))
        if self.breath_sound:
            from companion.audio.breath_sound import BreathSoundGuide
            from companion.paths import cache_dir

            try:
                guides.append(BreathSoundGuide(self.engine, pattern, cache_dir() / "breath"))
            except (CompanionError, OSError, ValueError) as error:
                self.write(ev.note("other", f"Breath sound not used: {error}"))
        return guides

    def bilateral_session(self, clock: Clock) -> tuple[BilateralSession, Callable[[], None]]:
        """A BLS session over the music, its sets in the record; and what to call when its
        panel closes. Its sound goes through the session's engine, whose news comes with the
        player's polls; a silent session's stand-in keeps time by `clock`."""
        from companion.bilateral import (BilateralSession, ClockAudio, EngineAudio, all_presets,
                                         from_playlist)

        audio: EngineAudio | ClockAudio
        detach: Callable[[], None] = _nothing
        if self.engine is not None and self.silent_reason is None:
            playback = self.playlist.playback
            level = ((playback.loudness_target, playback.bilateral_above_music)
                     if playback.normalise else None)
            audio = EngineAudio(self.engine, own_events=False, level=level)
            detach = self._listen(audio.feed)
        else:
            audio = ClockAudio(clock)  # a silent session: the counter still keeps time
        presets = all_presets(from_playlist(getattr(self.playlist, "bilateral", ())))
        session = BilateralSession(audio, clock=clock, presets=presets,
                                   on_event=self.exercise_event)
        return session, detach

    def _listen(self, listener: EngineListener) -> Callable[[], None]:
        """Give `listener` every engine event the player takes in, until the returned call."""
        listeners = self.player.listeners
        listeners.append(listener)

        def detach() -> None:
            if listener in listeners:
                listeners.remove(listener)

        return detach

    def _reminder_cue(self, track: Track) -> None:
        """The soft cue a planned item asks for when it falls due (reminders are otherwise silent)."""
        if self.engine is None or self._ending:
            return
        self.engine.cue(file=track.file, builtin=track.builtin, seed=track.seed,
                        gain_db=self.player.gain_db(track), duck_db=-4.0)


def _nothing() -> None:
    """Nothing to detach."""
