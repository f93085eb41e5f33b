"""The session controller: turns the sitter's actions into player and record calls.

Plain Python, no Textual. It owns the session record, the audio engine client and the
player. The UI calls one method per key (`toggle_pause`, `mark_dose`, `add_note`, ...)
and reads a `SessionView` snapshot on its own timer; the controller never calls the UI.

What it decides:
- every player event (track started, phase changed, ...) becomes a record event;
- the screen's state (phases, dose, notes, volume) is read from the record's events
  (`companion.session.facts`), so a resumed session shows exactly what the record says,
  with its clock intact;
- when no audio engine starts, a `SilentPlayer` keeps the phase plan, and the session says
  why it is silent;
- the plan in the room (`companion.plan.PlanTracker`) is polled with the player: reminders,
  the safe harbour (the music fades to the harbour track and back) and the soft landing
  (a long last fade when the last phase ends or the sitter ends the session);
- record appends go through a single writer thread (`companion.session.writer`), so a slow
  disk (the record fsyncs every event) never holds up a key press.

The transport keys, the timer and the view are here; the harbour and the landing
(`landing`), the plan's keys (`plan_keys`), corrections, the exercises' sound and the end
of a session are the controller's parts in their own modules.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from companion.record import events as ev
from companion.record.events import Event, WriteStatus
from companion.session.corrections import Corrections
from companion.session.ending import Ending
from companion.session.exercises import Exercises
from companion.session.facts import MusicAt, SessionFacts
from companion.clock import format_clock
from companion.session.landing import HarbourAndLanding
from companion.session.plan_keys import PlanKeys
from companion.session.view import SessionView, build_view
from companion.session.writer import ActionClock, RecordWriter

if TYPE_CHECKING:
    from companion.audio.outputs import OutputInfo
    from companion.audio.port import EnginePort
    from companion.playlist.model import Playlist
    from companion.record.vitals import VitalsRanges
    from companion.session.ports import MakePlayer, PlayerPort, RecordPort


class SessionController(HarbourAndLanding, PlanKeys, Corrections, Exercises, Ending):
    """One session: the record, the sound, and what the sitter does, with no screen code."""

    def __init__(self, playlist: Playlist, record: RecordPort, *, clock: ActionClock | None = None,
                 player: MakePlayer | None = None, engine: EnginePort | None = None,
                 output: OutputInfo | None = None, silent_reason: str | None = None,
                 vitals_ranges: VitalsRanges | None = None, breath_sound: bool = False) -> None:
        """`clock` should be the ActionClock the record was made with, so events carry the
        moment of the action; without one they carry the moment they were written.
        `player` makes the player on `engine`; without one the session is silent, and
        `silent_reason` says why (`no audio output` when not given).
        `breath_sound`: play the soft breath sound under the breathing pacer (config setting)."""
        from companion.plan import PlanTracker
        from companion.record.corrections import effective_events
        from companion.session.silent import SilentPlayer

        self.playlist = playlist
        self.record = record
        self.engine = engine
        self.output = output
        self.silent_reason = silent_reason
        self.vitals_ranges = vitals_ranges
        self.breath_sound = breath_sound
        self._lock = threading.Lock()
        self._facts = SessionFacts.of(record.events)
        self._facts.notices.clear()  # old news from before a resume
        self._listeners: list[Callable[[], None]] = []
        self._ending = False
        self._restoring = False
        self._plan_stale = False  # a correction was written: the plan must replay the record
        self.playlist_note = ""
        """Said on screen when a resumed session's playlist is not exactly the one it began with."""
        self.loudness_note = ""
        """Said on screen as the session starts when some files are not analysed for loudness."""
        self._unsubscribe = record.subscribe(self._on_record)
        self._writer = RecordWriter(clock)
        self._landed = self._facts.landed
        self._landing_ends: float | None = None  # elapsed seconds when the landing's fade is over
        self._closer: threading.Thread | None = None
        self.tracker = PlanTracker(playlist.plan, record.dose_elapsed, record.clock.elapsed,
                                   history=effective_events(record.events),
                                   on_event=self.exercise_event)
        """The plan in the room: reminders, observation, harbour and landing (UI thread only)."""
        if player is None:
            self.silent_reason = silent_reason or "no audio output"
        self.player: PlayerPort = (
            player(self.on_player_event) if player is not None else
            SilentPlayer(playlist, facts=lambda: self._facts, elapsed=record.clock.elapsed,
                         on_event=self.on_player_event))

    # -- the record ----------------------------------------------------------------------

    def write(self, event: ev.NewEvent) -> None:
        """Append one event (made by a builder of `companion.record.events`) to the record,
        from the writer thread (never blocks the caller)."""
        self._writer.submit(self.record.append, event.type, **event.fields)

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call `listener` (from any thread) whenever the record gains an event."""
        self._listeners.append(listener)

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until every queued record write has been done (for ending and for tests)."""
        self._writer.flush(timeout)
        self._follow_corrections()

    def _on_record(self, item: Event | WriteStatus) -> None:
        if isinstance(item, Event):
            with self._lock:
                if item.type == ev.CORRECTION:
                    # A correction can change anything before it: read the record again;
                    # the plan (UI thread only) replays it on its next poll.
                    self._facts = SessionFacts.of(self.record.events)
                    self._plan_stale = True
                else:
                    self._facts.add(item)
        for listener in list(self._listeners):
            listener()

    def on_player_event(self, type_: str, fields: Mapping[str, Any]) -> None:
        """The player's news (track started, phase changed, ...) goes into the record."""
        fields = dict(fields)
        if self._restoring and type_ == ev.PHASE_CHANGED:
            fields["resumed"] = True  # the phase goes on from where it was, not from now
        self.write(ev.NewEvent(type_, fields))

    def exercise_event(self, type_: str, fields: Mapping[str, Any]) -> None:
        """A breathing or grounding screen's event goes into the record."""
        self.write(ev.NewEvent(type_, dict(fields)))

    # -- what the sitter does --------------------------------------------------------------

    def toggle_pause(self) -> None:
        """Pause with a short fade, or resume."""
        if self.player.state == "paused":
            self.player.resume()
        else:
            self.player.pause()

    def next_track(self) -> str | None:
        """Skip to what "Up next" names (crossfading); returns what to tell the sitter when
        there is nothing else to play (a one-track phase that loops is not restarted)."""
        if self.player.next() is not False:
            return None
        upcoming = self.player.upcoming
        if upcoming is None or not upcoming.same_track:
            return "Nothing follows this track."
        phases = self.playlist.phases
        here = phases[self.player.phase_index].name if phases else "This phase"
        if upcoming.then_title is None:
            return f"{upcoming.title} is the only track in {here}; it plays on to the end."
        until = ("until the dose" if upcoming.phase_left is None else
                 f"until {format_clock(self.record.clock.elapsed() + upcoming.phase_left)}")
        return (f"{upcoming.title} is the only track in {here}; it plays on {until}. "
                "p changes the phase.")

    def previous_track(self) -> None:
        """Go back to the previous track."""
        self.player.previous()

    @property
    def ceiling(self) -> int:
        """The clinician's volume ceiling, percent."""
        return int(self.playlist.playback.ceiling)

    @property
    def volume(self) -> int:
        """The volume now, percent (from the record, else the playlist's starting volume)."""
        with self._lock:
            recorded = self._facts.volume
        return int(self.playlist.playback.volume) if recorded is None else recorded

    def change_volume(self, step: int) -> int:
        """Move the volume by `step` percent within 0..ceiling; returns the new volume."""
        target = max(0, min(self.ceiling, self.volume + step))
        if target == self.volume:
            return target
        self.player.set_volume(target)
        with self._lock:
            self._facts.volume = target  # shown at once; the record's event confirms it
        return target

    def volume_limit(self, step: int) -> str | None:
        """What to tell the sitter when a volume key cannot move (None: it can)."""
        if step > 0 and self.volume >= self.ceiling:
            return f"at the ceiling, {self.ceiling} %: the playlist sets it"
        if step < 0 and self.volume <= 0:
            return "at the floor, 0 %: silence"
        return None

    def sound_check(self) -> str:
        """Play a short soft sample of the holding sound at the session's volume and record
        it; returns what to ask the sitter."""
        question = "Can you hear this comfortably?"
        if self.silent_reason is not None:
            self.write(ev.sound_check(self.volume, heard=False, reason=self.silent_reason))
            return f"{question} Nothing plays: {self.silent_reason}."
        if self.player.state == "paused":
            return "The music is paused: resume it (space) first, then check the sound."
        fields = self.player.sound_check()
        self.write(ev.sound_check(heard=True, **fields))
        return (f"{question} {fields['sound']} plays at {fields['volume']} % for a few "
                "seconds: set the laptop's own volume so it is soft and clear.")

    @property
    def holding(self) -> bool:
        """True while the holding track plays."""
        with self._lock:
            return self._facts.holding

    def toggle_holding(self) -> None:
        """Switch to the holding track at once, or back to the phase's music."""
        self.player.holding(not self.holding)

    def phase_names(self) -> list[str]:
        """The playlist's phases, by name, in order."""
        return [phase.name for phase in self.playlist.phases]

    def jump_to_phase(self, index: int) -> None:
        """Move to phase `index` (the player records the change)."""
        if 0 <= index < len(self.playlist.phases):
            self.player.jump_to_phase(index)

    @property
    def dose_marked(self) -> bool:
        """True once the dose has been marked."""
        with self._lock:
            return self._facts.dose_elapsed is not None

    def mark_dose(self) -> None:
        """Mark the dose now; an until-dose phase gives way to the next."""
        self.write(ev.dose_marked())
        self.tracker.mark_dose()
        self.player.dose_marked()

    def add_note(self, tag: str, text: str) -> None:
        """A tagged note; vitals in its text are kept as numbers, marked against the ranges."""
        self._writer.submit(self.record.add_note, tag, text, self.vitals_ranges)

    def rate_distress(self, rating: int) -> None:
        """The client's distress rating, 0 to 10."""
        self.write(ev.distress_rating(max(0, min(10, int(rating)))))

    # -- the timer -------------------------------------------------------------------------

    def poll(self) -> None:
        """Let the player take in the engine's news; called on the UI's timer."""
        if self._ending:
            return
        self._follow_corrections()
        if self.engine is not None and self.silent_reason is None and not self.engine.alive:
            self._engine_lost()
        self.player.poll()
        for status in self.tracker.poll():
            if status.item.cue is not None:
                self._reminder_cue(status.item.cue)
        if not self._landed and self._last_phase_over():
            self.land("last_phase")

    def _engine_lost(self) -> None:
        """The engine process is gone: go on silently, and say so on screen and in the record."""
        reason = "the audio engine stopped; the session goes on without sound"
        self.silent_reason = reason
        self.write(ev.audio_output("none", reason=reason))
        with self._lock:
            self._facts.notices.append(reason[0].upper() + reason[1:] + ".")

    # -- a resumed session -----------------------------------------------------------------

    def restore(self) -> None:
        """Bring the player to where the resumed record says the session was."""
        with self._lock:
            facts = self._facts
            volume, dose = facts.volume, facts.dose_elapsed
            index, holding = facts.phase_index, facts.holding
            phase_started, music = facts.phase_starts.get(facts.phase_index), facts.music
        if self._landed:
            return  # the music had made its soft landing before the crash: it stays quiet
        player = self.player
        self._restoring = True
        try:
            if volume is not None:
                player.set_volume(volume)
            if dose is not None:
                player.dose_marked()
            index = min(index, max(0, len(self.playlist.phases) - 1))
            if self.playlist.phases:
                track, position = self._resume_point(index, music)
                phase_elapsed = (0.0 if phase_started is None
                                 else self.record.clock.elapsed() - phase_started)
                player.play_from(index, track, position, phase_elapsed=phase_elapsed)
            else:
                player.play()
            if holding:
                player.holding(True)
        finally:
            self._restoring = False

    def _resume_point(self, phase: int, music: MusicAt | None) -> tuple[int, float]:
        """The track of `phase` to resume and from where: the one the record last had playing,
        at its last known position, when it is still that phase's track; else its first."""
        tracks = self.playlist.phases[phase].tracks
        if (music is None or music.phase != phase or not 0 <= music.index < len(tracks)
                or tracks[music.index].title != music.title):
            return 0, 0.0
        return music.index, music.position

    # -- what the screen shows -------------------------------------------------------------

    @property
    def phase_index(self) -> int:
        """The index of the current phase."""
        with self._lock:
            return self._facts.phase_index

    @property
    def playlist_name(self) -> str:
        """The playlist's name."""
        return self.playlist.name

    @property
    def client_code(self) -> str | None:
        """The client code the session began with (None: none given)."""
        events = self.record.events
        started = events[0] if events else None
        return started.get("client_code") if started is not None else None

    def view(self) -> SessionView:
        """A snapshot of everything the session screen shows."""
        self._follow_corrections()
        elapsed = self.record.clock.elapsed()
        volume = self.volume
        with self._lock:
            return build_view(self._facts, self.playlist, self.player, self.tracker,
                              elapsed=elapsed, volume=volume, silent_reason=self.silent_reason,
                              write_ok=self.record.status.ok)

    def take_notices(self) -> list[str]:
        """Notices for the sitter (a skipped track, a disk problem) not yet shown; clears them."""
        with self._lock:
            notices, self._facts.notices = self._facts.notices, []
        return notices

    def log_lines(self) -> list[str]:
        """The session's events so far, one readable line each."""
        with self._lock:
            return list(self._facts.log)
