"""Opening a session: the audio set-up, beginning a new session, resuming an interrupted one."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.clock import Clock
from companion.errors import AudioError, CompanionError
from companion.session.writer import ActionClock

if TYPE_CHECKING:
    from companion.audio.outputs import OutputInfo
    from companion.audio.port import EnginePort
    from companion.playlist.model import Playlist
    from companion.record.events import Event
    from companion.record.vitals import VitalsRanges
    from companion.session.controller import SessionController
    from companion.session.ports import EventSink, MakePlayer, PlayerFactory, PlayerPort, RecordPort

log = logging.getLogger(__name__)

SOUND_OFF = "audio output set to none"
"""The silent reason when silence was asked for (`--audio none`), not forced by a fault."""
SILENT_WORDS = "the session runs silent, with words on screen"


@dataclass
class AudioSetup:
    """The audio engine in use (or None), which output it opened, and why the session is silent.

    `silent_reason` is the technical reason, for the record (`audio_output`); `describe` says
    what it means to the sitter, once and plainly.
    """

    engine: EnginePort | None
    output: OutputInfo | None = None
    silent_reason: str | None = None

    @classmethod
    def silent(cls, reason: str) -> AudioSetup:
        """No engine at all: the session runs with visual prompts only."""
        return cls(engine=None, output=None, silent_reason=reason)

    def describe(self) -> str:
        """The start screen's audio line: the output in use, or, plainly, that there is none."""
        if self.output is not None and getattr(self.output, "backend", "none") != "none":
            return f"Audio: {self.output.backend}: {self.output.device}"
        if self.silent_reason is None or self.silent_reason == SOUND_OFF:
            return "Audio: silent (output set to none), with words on screen"
        if self.engine is None:
            return f"Sound could not start: {SILENT_WORDS}"
        return f"No sound device: {SILENT_WORDS}"

    def close(self, fade_s: float = 0.5) -> None:
        """Close the engine (when no session was started)."""
        if self.engine is not None:
            try:
                self.engine.close(fade_s)
            except AudioError as error:
                log.warning("closing the audio engine: %s", error)


def open_audio(output: str = "auto") -> AudioSetup:
    """Start the audio engine on `output`; if no device opens, fall back to the silent one.

    Never raises for a missing device: the session then runs silent and says why.
    """
    from companion.audio.client import AudioEngine

    try:
        engine = AudioEngine()
        info = engine.start(output)
    except AudioError as error:
        if output == "none":
            return AudioSetup.silent(f"the audio engine could not start ({error})")
        fallback = open_audio("none")
        if fallback.engine is not None:
            fallback.silent_reason = str(getattr(error, "reason", error))
        return fallback
    if info.backend == "none":
        return AudioSetup(engine, info, info.reason or SOUND_OFF)
    return AudioSetup(engine, info, None)


def _default_player(playlist: Playlist, engine: EnginePort, *, clock: Clock,
                    on_event: EventSink) -> PlayerPort:
    from companion.audio.loudness_cache import Levelling
    from companion.session.player import Player

    # Levelled from the loudness cache, never measured here: a file not analysed yet plays
    # at its own gain.
    levelling = Levelling.for_playlist(playlist)
    return Player(playlist, engine, clock=clock, on_event=on_event,
                  levels=levelling.gain_db if levelling is not None else None,
                  quietness=levelling.below_target_db if levelling is not None else None)


def _audio_fields(audio: AudioSetup) -> dict[str, Any]:
    output = audio.output
    fields: dict[str, Any] = {"backend": output.backend if output is not None else "none"}
    if output is not None and output.device:
        fields["device"] = output.device
    if audio.silent_reason:
        fields["reason"] = audio.silent_reason
    return fields


def _player_maker(playlist: Playlist, engine: EnginePort | None, clock: ActionClock,
                  factory: PlayerFactory) -> MakePlayer | None:
    """How the session's player is made on `engine` (None: no engine, the session is silent)."""
    if engine is None:
        return None

    def make(on_event: EventSink) -> PlayerPort:
        return factory(playlist, engine, clock=clock.live, on_event=on_event)

    return make


def _attach(playlist: Playlist, record: RecordPort, audio: AudioSetup, clock: ActionClock,
            vitals_ranges: VitalsRanges | None, player_factory: PlayerFactory | None,
            breath_sound: bool = False) -> SessionController:
    from companion.plan import note_ranges
    from companion.record import events as ev
    from companion.session.controller import SessionController

    if vitals_ranges is None:
        vitals_ranges = note_ranges(playlist.plan)  # the plan's ranges mark notes' vitals too
    engine = audio.engine
    make_player = _player_maker(playlist, engine, clock, player_factory or _default_player)
    controller = SessionController(playlist, record, clock=clock, player=make_player,
                                   engine=engine, output=audio.output,
                                   silent_reason=audio.silent_reason,
                                   vitals_ranges=vitals_ranges, breath_sound=breath_sound)
    controller.write(ev.audio_output(**_audio_fields(audio)))
    if engine is not None:
        from companion.audio.loudness_cache import not_analysed_note

        controller.loudness_note = not_analysed_note(playlist)
    return controller


def begin_session(playlist_path: Path, sessions_dir: Path, *, audio: AudioSetup,
                  client_code: str | None = None, intention: str | None = None,
                  clock: Clock = time.monotonic, wall: Callable[[], datetime] | None = None,
                  vitals_ranges: VitalsRanges | None = None,
                  player_factory: PlayerFactory | None = None,
                  breath_sound: bool = False) -> SessionController:
    """Load the playlist, start the record, and start the music (raises PlaylistError).

    `breath_sound`: the breathing pacer plays the soft breath sound (the config setting).
    """
    from companion.playlist.loader import load_playlist
    from companion.record.log import SessionRecord

    playlist = load_playlist(playlist_path)
    extra = {"wall": wall} if wall is not None else {}
    action_clock = ActionClock(clock)
    record = SessionRecord.start(sessions_dir, playlist_name=playlist.name,
                                 playlist_hash=playlist.content_hash,
                                 client_code=client_code or None, intention=intention or None,
                                 monotonic=action_clock, **extra)
    controller = _attach(playlist, record, audio, action_clock, vitals_ranges, player_factory,
                         breath_sound)
    controller.player.play()  # without sound, the first phase begins in the record alone
    return controller


def find_session_playlist(started: Event | None, fallback: Path | None) -> tuple[Path, str]:
    """The playlist a session was started with (by content hash, then name), and a note.

    The note is empty when the same playlist was found; otherwise it says what is used.
    """
    from companion import paths
    from companion.playlist.loader import load_playlist

    want_hash = started.get("playlist_hash") if started is not None else None
    want_name = started.get("playlist_name") if started is not None else None
    candidates = ([fallback] if fallback is not None else []) + paths.find_playlists()
    by_name: Path | None = None
    for path in candidates:
        try:
            playlist = load_playlist(path)
        except CompanionError:
            continue
        if want_hash and playlist.content_hash == want_hash:
            return path, ""
        if by_name is None and want_name and playlist.name == want_name:
            by_name = path
    if by_name is not None:
        return by_name, f"The playlist {want_name!r} has changed since the session began; using it as it is now."
    chosen = fallback or paths.default_playlist()
    return chosen, (f"The session's playlist {want_name!r} was not found; "
                    f"continuing with {chosen.name}.")


def resume_session(record_path: Path, sessions_dir: Path, *, audio: AudioSetup,
                   fallback_playlist: Path | None = None, clock: Clock = time.monotonic,
                   wall: Callable[[], datetime] | None = None,
                   vitals_ranges: VitalsRanges | None = None,
                   player_factory: PlayerFactory | None = None,
                   breath_sound: bool = False) -> SessionController:
    """Continue an interrupted session: its clock, phase, dose, volume and notes intact."""
    from companion.playlist.loader import load_playlist
    from companion.record.log import SessionRecord
    from companion.record.reader import read_header

    del sessions_dir  # the record continues in its own file
    started = read_header(record_path)
    playlist_path, note = find_session_playlist(started, fallback_playlist)
    playlist = load_playlist(playlist_path)
    extra = {"wall": wall} if wall is not None else {}
    action_clock = ActionClock(clock)
    record = SessionRecord.resume(record_path, monotonic=action_clock, **extra)
    controller = _attach(playlist, record, audio, action_clock, vitals_ranges, player_factory,
                         breath_sound)
    controller.playlist_note = note
    if audio.engine is not None:  # a silent session has no music to bring back
        controller.restore()
    return controller
