"""The session controller: turns the sitter's actions into player and record calls.

Plain Python, no Textual. It owns the session record, the audio engine client and the
player. The UI calls one method per key (`toggle_pause`, `mark_dose`, `add_note`, ...)
and reads a `SessionView` snapshot on its own timer; the controller never calls the UI.

What it decides:
- every player event (track started, phase changed, ...) becomes a record event;
- the screen's state (phases, dose, notes, volume) is folded from the record's events
  (`companion.session_view`), so a resumed session shows exactly what the record says, with
  its clock intact;
- when no audio device opens, the session runs silent, says so, and records why;
- the plan in the room (`companion.plan.PlanTracker`) is polled with the player: reminders,
  the safe harbour (the music fades to the harbour track and back) and the soft landing
  (a long last fade when the last phase ends or the sitter ends the session);
- record appends go through a single writer thread, so a slow disk (the record fsyncs
  every event) never holds up a key press.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.clock import Clock
from companion.errors import AudioError, CompanionError
from companion.session_view import Folded, PhaseSpan, SessionView, format_clock, up_next_text

if TYPE_CHECKING:  # the plan (and the playlist package it imports) load with the session
    from companion.plan import ItemStatus

log = logging.getLogger(__name__)


class RecordWriter:
    """Runs record calls (`append`, `add_note`, `end`) on one background thread, in order.

    The record fsyncs every event; doing that here keeps a slow disk from holding up a key.
    The record itself keeps events in memory when the disk fails, so nothing is lost.
    """

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[Callable[..., Any], tuple, dict] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="record-writer", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Queue one call; returns at once."""
        self._queue.put((fn, args, kwargs))

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every queued call has run; False if that took longer than `timeout`."""
        done = threading.Event()
        self._queue.put((done.set, (), {}))
        return done.wait(timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Run what is queued, then stop the thread."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            fn, args, kwargs = item
            try:
                fn(*args, **kwargs)
            except (CompanionError, OSError, ValueError) as error:
                # The record rides out disk failures itself; an error here is a mistake in
                # the call. Say so, and keep the writer alive for the events that follow.
                log.error("session record call %s failed: %s", getattr(fn, "__name__", fn), error)


class ActionClock:
    """The session's monotonic clock, which the record writer can pin to the moment of an action.

    The record stamps an event when `append` runs; appends happen on the writer thread,
    possibly later than the key press (a slow fsync before it). While the writer appends,
    it pins this clock (for its own thread only) to when the action happened, so the
    record's `t` and `elapsed` say when the sitter acted, not when the disk caught up.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._local = threading.local()

    def __call__(self) -> float:
        pinned = getattr(self._local, "pinned", None)
        return self._clock() if pinned is None else pinned

    def live(self) -> float:
        """The unpinned time, whatever thread asks."""
        return self._clock()

    def pinned(self, moment: float) -> _Pin:
        """A context in which this thread reads `moment`."""
        return _Pin(self._local, moment)


class _Pin:
    def __init__(self, local: threading.local, moment: float) -> None:
        self._local, self._moment = local, moment

    def __enter__(self) -> None:
        self._local.pinned = self._moment

    def __exit__(self, *_exc: object) -> None:
        self._local.pinned = None


class SessionController:
    """One session: the record, the sound, and what the sitter does, with no screen code."""

    def __init__(self, playlist: Any, record: Any, *, clock: ActionClock | None = None,
                 player: Any = None, engine: Any = None, output: Any = None,
                 silent_reason: str | None = None, vitals_ranges: Any = None,
                 breath_sound: bool = False) -> None:
        """`clock` should be the ActionClock the record was made with, so events carry the
        moment of the action; without one they carry the moment they were written.
        `breath_sound`: play the soft breath sound under the breathing pacer (config setting)."""
        self.clock = clock
        self.playlist = playlist
        self.record = record
        self.player = player
        self.engine = engine
        self.output = output
        self.silent_reason = silent_reason
        self.vitals_ranges = vitals_ranges
        self.breath_sound = breath_sound
        self._lock = threading.Lock()
        self._folded = Folded.of(record.events)
        self._listeners: list[Callable[[], None]] = []
        self._ending = False
        self._closer: threading.Thread | None = None
        self._restoring = False
        self._plan_stale = False  # a correction was written: the plan must replay the record
        self.playlist_note = ""
        """Said on screen when a resumed session's playlist is not exactly the one it began with."""
        self.loudness_note = ""
        """Said on screen as the session starts when some files are not analysed for loudness."""
        self._folded.notices.clear()  # old news from before a resume
        self._unsubscribe = record.subscribe(self._on_record)
        self._writer = RecordWriter()
        self._landed = self._folded.landed
        self._landing_ends: float | None = None  # elapsed seconds when the landing's fade is over
        from companion.plan import PlanTracker
        from companion.record.corrections import effective_events

        self.tracker = PlanTracker(playlist.plan, record.dose_elapsed, record.clock.elapsed,
                                   history=effective_events(record.events),
                                   on_event=self.exercise_event)
        """The plan in the room: reminders, observation, harbour and landing (UI thread only)."""

    # -- the record ----------------------------------------------------------------------

    def write(self, type_: str, **fields: Any) -> None:
        """Append one event to the record from the writer thread (never blocks the caller)."""
        self._submit(self.record.append, type_, **fields)

    def _submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run a record call on the writer thread, stamped with this moment."""
        clock = self.clock
        if clock is None:
            self._writer.submit(fn, *args, **kwargs)
            return
        moment = clock.live()

        def stamped() -> None:
            with clock.pinned(moment):
                fn(*args, **kwargs)

        stamped.__name__ = getattr(fn, "__name__", "record call")
        self._writer.submit(stamped)

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call `listener` (from any thread) whenever the record gains an event."""
        self._listeners.append(listener)

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until every queued record write has been done (for ending and for tests)."""
        self._writer.flush(timeout)
        self._follow_corrections()

    def _on_record(self, item: Any) -> None:
        from companion.record.events import Event

        if isinstance(item, Event):
            with self._lock:
                if item.type == "correction":
                    # A correction can change anything before it: fold the record again;
                    # the plan (UI thread only) replays it on its next poll.
                    pending = self._folded.pending_phase
                    self._folded = Folded.of(self.record.events)
                    self._folded.pending_phase = pending
                    self._plan_stale = True
                else:
                    self._folded.add(item)
        for listener in list(self._listeners):
            listener()

    # -- what the sitter does --------------------------------------------------------------

    def on_player_event(self, type_: str, fields: Mapping[str, Any]) -> None:
        """The player's news (track started, phase changed, ...) goes into the record."""
        fields = dict(fields)
        if self._restoring and type_ == "phase_changed":
            fields["resumed"] = True  # the phase goes on from where it was, not from now
        self.write(type_, **fields)

    def exercise_event(self, type_: str, fields: Mapping[str, Any]) -> None:
        """A breathing or grounding screen's event goes into the record."""
        self.write(type_, **dict(fields))

    def toggle_pause(self) -> None:
        """Pause with a short fade, or resume."""
        if self.player is None:
            return
        if self.player.state == "paused":
            self.player.resume()
        else:
            self.player.pause()

    def next_track(self) -> str | None:
        """Skip to what "Up next" names (crossfading); returns what to tell the sitter when
        there is nothing else to play (a one-track phase that loops is not restarted)."""
        if self.player is None or self.player.next() is not False:
            return None
        upcoming = getattr(self.player, "upcoming", None)
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
        if self.player is not None:
            self.player.previous()

    @property
    def ceiling(self) -> int:
        """The clinician's volume ceiling, percent."""
        return int(self.playlist.playback.ceiling)

    @property
    def volume(self) -> int:
        """The volume now, percent (from the record, else the playlist's starting volume)."""
        with self._lock:
            folded = self._folded.volume
        return int(self.playlist.playback.volume) if folded is None else folded

    def change_volume(self, step: int) -> int:
        """Move the volume by `step` percent within 0..ceiling; returns the new volume."""
        target = max(0, min(self.ceiling, self.volume + step))
        if target == self.volume:
            return target
        if self.player is not None:
            self.player.set_volume(target)
        else:
            self.write("volume_changed", volume=target, previous=self.volume)
        with self._lock:
            self._folded.volume = target  # shown at once; the record's event confirms it
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
        if self.player is None or self.silent_reason is not None:
            self.write("sound_check", volume=self.volume, heard=False,
                       reason=self.silent_reason or "no audio output")
            return f"{question} Nothing plays: {self.silent_reason or 'no audio output'}."
        if self.player.state == "paused":
            return "The music is paused: resume it (space) first, then check the sound."
        fields = self.player.sound_check()
        self.write("sound_check", **fields, heard=True)
        return (f"{question} {fields['sound']} plays at {fields['volume']} % for a few "
                "seconds: set the laptop's own volume so it is soft and clear.")

    @property
    def holding(self) -> bool:
        """True while the holding track plays."""
        with self._lock:
            return self._folded.holding

    def toggle_holding(self) -> None:
        """Switch to the holding track at once, or back to the phase's music."""
        if self.player is not None:
            self.player.holding(not self.holding)

    def jump_to_phase(self, index: int) -> None:
        """Move to phase `index` (the player records the change)."""
        if not 0 <= index < len(self.playlist.phases):
            return
        if self.player is not None:
            self.player.jump_to_phase(index)
        else:
            self.write("phase_changed", index=index, name=self.playlist.phases[index].name,
                       reason="sitter")

    @property
    def dose_marked(self) -> bool:
        """True once the dose has been marked."""
        with self._lock:
            return self._folded.dose_elapsed is not None

    def mark_dose(self) -> None:
        """Mark the dose now; an until-dose phase gives way to the next."""
        self.write("dose_marked")
        self.tracker.mark_dose()
        if self.player is not None:
            self.player.dose_marked()
        else:
            phases = self.playlist.phases
            index = self.phase_index
            if phases and phases[index].until_dose and index + 1 < len(phases):
                self.write("phase_changed", index=index + 1, name=phases[index + 1].name,
                           reason="dose")

    def add_note(self, tag: str, text: str) -> None:
        """A tagged note; vitals in its text are kept as numbers, marked against the ranges."""
        self._submit(self.record.add_note, tag, text, self.vitals_ranges)

    def rate_distress(self, rating: int) -> None:
        """The client's distress rating, 0 to 10."""
        self.write("distress_rating", rating=max(0, min(10, int(rating))), scale="0-10")

    def cue(self, role: str, at: float) -> None:
        """A soft cue sound for `role` (breathing) at monotonic time `at`; none when silent.

        A hold rings only when the playlist names a `hold` cue: a bell at every hold of box
        breathing (every 4 s) would be anything but calm.
        """
        if role == "hold" and "hold" not in self.playlist.cues:
            return
        if self.player is not None and not self._ending:
            self.player.cue(role, at)

    def breathing_guides(self, pattern: Any) -> list[Any]:
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
            from companion.wording import Wording

            try:
                pack = VoicePack.open(voice)
                guides.append(VoiceGuide(Speaker(self.engine, pack), pattern,
                                         Wording.for_playlist(self.playlist)))
            except (CompanionError, OSError, ValueError) as error:
                self.write("note", tag="other", text=f"Voice pack not used: {error}")
        if self.breath_sound:
            from companion.audio.breath_sound import BreathSoundGuide
            from companion.paths import cache_dir

            try:
                guides.append(BreathSoundGuide(self.engine, pattern, cache_dir() / "breath"))
            except (CompanionError, OSError, ValueError) as error:
                self.write("note", tag="other", text=f"Breath sound not used: {error}")
        return guides

    def _reminder_cue(self, track: Any) -> None:
        """The soft cue a planned item asks for when it falls due (reminders are otherwise silent)."""
        if self.engine is None or self._ending:
            return
        gain_db = self.player.gain_db(track) if self.player is not None else track.gain_db
        self.engine.cue(file=track.file, builtin=track.builtin, seed=track.seed,
                        gain_db=gain_db, duck_db=-4.0)

    # -- corrections -------------------------------------------------------------------

    def correctable(self, limit: int = 12) -> list[tuple[int, Any]]:
        """(line, entry as corrected) of the recent entries the sitter may correct, newest first."""
        from companion.record.corrections import correctable

        self._writer.flush(timeout=1.0)  # an entry made a moment ago is on the list too
        return correctable(self.record.events, limit)

    def correct(self, line: int, action: str, values: Mapping[str, Any] | None = None,
                reason: str = "") -> None:
        """Write a correction of the entry on `line`; the screen, the 'since dose' clock and
        the plan's schedule follow it as soon as it is written (on the writer thread: a
        slow disk never holds up a key). Raises ValueError for an unknown line."""
        if not 1 <= line <= len(self.record.events):
            raise ValueError(f"there is no entry on line {line} of the record")
        self._submit(self.record.correct, line, action, dict(values or {}) or None, reason)

    def _follow_corrections(self) -> None:
        """On the UI thread: after a correction, the plan replays the record in force."""
        if not self._plan_stale:
            return
        from companion.record.corrections import effective_events

        self._plan_stale = False
        self.tracker.rebuild(effective_events(self.record.events))

    def correct_vitals(self, line: int, raw: Mapping[str, Any], reason: str = "") -> None:
        """Correct a vitals entry with values as typed in the form (re-marked against the
        clinician's ranges); a vitals note gets its text rewritten. Raises PlanError."""
        from companion.plan import PlanError
        from companion.record import events as ev

        entry = self.record.events[line - 1]
        if entry.type == ev.NOTE:
            raise PlanError("a note is corrected by editing its text")
        item = entry.get("item")
        known = item in {i.id for i in self.playlist.plan.schedule}
        names = [f.name for f in self.tracker.form(item if known else None)]
        clean, marks = self.tracker.check_values(raw, names)
        if not clean:
            raise PlanError("no values were given (to take the entry back, strike it)")
        values: dict[str, Any] = {"values": clean, "marks": marks or None}
        if known:
            values["missing"] = [n for n in names if n not in clean] or None
        self.correct(line, "correct", values, reason)

    def correct_note(self, line: int, text: str, reason: str = "") -> None:
        """Correct a note's text (vitals in it are read again and marked against the ranges)."""
        from companion.record.vitals import parse_vitals

        if not text.strip():
            raise ValueError("the note is empty: to take it back, strike it")
        vitals = parse_vitals(text, self.vitals_ranges)
        self.correct(line, "correct", {"text": text.strip(),
                                       "vitals": vitals.to_dict() if vitals else None}, reason)

    def correct_moment(self, line: int, text: str, reason: str = "") -> float:
        """Move an entry (the dose mark) to when it really happened: `12` (minutes ago) or
        `14:05`; returns the elapsed moment. Raises ValueError saying what to type."""
        from companion.record.corrections import moment_fields, parse_moment

        started = self.record.started_at
        moment = parse_moment(text, self.record.clock.elapsed(), started)
        self.correct(line, "correct", moment_fields(moment, started), reason)
        return moment

    # -- the plan in the room ------------------------------------------------------------

    def form_target(self) -> ItemStatus | None:
        """The item the vitals key opens: the earliest due, else the next open one, else None."""
        status = self.tracker.next_item()
        return status if status is not None and status.open else None

    def observation_left(self) -> float:
        """Seconds of minimum observation still to go (0 when met, none set, or no dose)."""
        return self.tracker.minimum_observation_left()

    def ready_to_leave(self) -> float:
        """Mark the client ready to leave now (before-leaving checks fall due); returns the time."""
        return self.tracker.ready_to_leave()

    def readings_outside_ranges(self) -> list[Any]:
        """Readings (form or note) outside the clinician's ranges since the last in-range
        reading of the same value: what to look at before marking the client ready to leave."""
        from companion.record.outside import outside_since_in_range

        return outside_since_in_range(list(self.record.events))

    def end_early(self, reason: str) -> None:
        """Record the sitter's reason for ending before the minimum observation time."""
        self.tracker.end_early(reason)

    @property
    def in_harbour(self) -> bool:
        """True while the safe harbour lasts."""
        return self.tracker.in_harbour

    def start_harbour(self) -> bool:
        """The safe harbour: the music fades to the harbour track at the harbour level.

        Returns False (and does nothing) when already in it or while the session ends.
        """
        if self._ending or self.tracker.in_harbour:
            return False
        harbour = self.playlist.plan.harbour
        if self.player is not None:
            self.player.harbour(True, harbour.track, fade=harbour.fade, level=harbour.level)
        self.tracker.harbour_started()
        with self._lock:
            self._folded.harbour_since = self.record.clock.elapsed()
        return True

    def stop_harbour(self, reason: str = "key") -> bool:
        """Leave the harbour: the phase's music fades back in where it was left."""
        if not self.tracker.in_harbour:
            return False
        if self.player is not None and not self._ending:
            self.player.harbour(False, fade=self.playlist.plan.harbour.fade)
        self.tracker.harbour_stopped(reason)
        with self._lock:
            self._folded.harbour_since = None
        return True

    @property
    def landed(self) -> bool:
        """True once the soft landing has begun."""
        return self._landed

    def land(self, reason: str = "last_phase", fade_s: float | None = None) -> None:
        """The soft landing: the music fades over the plan's seconds (or `fade_s`), then
        the plan's `after` sound or silence."""
        with self._lock:  # the screen's poll and an end on a worker may both get here
            if self._landed:
                return
            self._landed = True
        if self.tracker.in_harbour:
            # The landing's fade takes the harbour track with it: no fade back first.
            self.tracker.harbour_stopped("ending")
        landing = self.playlist.plan.landing
        fade = float(landing.fade if fade_s is None else fade_s)
        if self.player is not None:
            self.player.land(fade, landing.after)
        self._landing_ends = self.record.clock.elapsed() + fade
        self.tracker.landing_started(reason)
        with self._lock:
            self._folded.landed = True
            self._folded.harbour_since = None

    def _last_phase_over(self) -> bool:
        """Whether the plan's last phase is over: its target time reached or, with no target,
        its last track within the landing's fade of its end (the landing ends with the music)."""
        phases = self.playlist.phases
        with self._lock:
            index = self._folded.phase_index
            started = self._folded.phase_starts.get(index)
        dose = self.tracker.dose_elapsed  # set with the key press, before the record has it
        if not phases or index != len(phases) - 1 or started is None:
            return False
        last = phases[-1]
        if last.minutes is not None and not last.until_dose:
            return self.record.clock.elapsed() - started >= last.minutes * 60
        if last.until_dose and dose is None:
            return False  # it lasts until the dose: its music goes round until then
        # No target (an until-dose phase after the dose): it ends when its music does.
        return self._last_track_ending(last, max(started, dose or 0.0))

    def _last_track_ending(self, phase: Any, since: float) -> bool:
        """The untimed last phase's music is within the landing's fade of its end (`since`:
        elapsed seconds from which its tracks play through once)."""
        tracks = phase.tracks
        if not tracks or tracks[-1].loop:
            return False  # a looping last track plays until the sitter ends the session
        fade = float(self.playlist.plan.landing.fade)
        if self.player is None:
            lengths = [track.seconds for track in tracks]
            if None in lengths:
                return False
            return self.record.clock.elapsed() - since >= sum(lengths) - fade
        playing = self.player.now_playing
        if playing is None:
            return self.player.state == "silent"
        return (playing.phase == len(self.playlist.phases) - 1 and playing.index == len(tracks) - 1
                and playing.duration is not None and playing.position >= playing.duration - fade)

    def poll(self) -> None:
        """Let the player take in the engine's news; called on the UI's timer."""
        if self._ending:
            return
        self._follow_corrections()
        if self.engine is not None and self.silent_reason is None and not self.engine.alive:
            self._engine_lost()
        if self.player is not None:
            self.player.poll()
        else:
            self._follow_plan()
        for status in self.tracker.poll():
            if status.item.cue is not None:
                self._reminder_cue(status.item.cue)
        if not self._landed and self._last_phase_over():
            self.land("last_phase")

    def _follow_plan(self) -> None:
        """With no player, move on when a phase's target time has passed (as the player would)."""
        view_elapsed = self.record.clock.elapsed()
        phases = self.playlist.phases
        with self._lock:
            index = self._folded.phase_index
            started = self._folded.phase_starts.get(index)
            if self._folded.pending_phase == index + 1:
                return  # already asked for; the record has not caught up yet
        if not phases or started is None or index + 1 >= len(phases):
            return
        minutes = phases[index].minutes
        if minutes is not None and view_elapsed - started >= minutes * 60:
            with self._lock:
                self._folded.pending_phase = index + 1
            self.write("phase_changed", index=index + 1, name=phases[index + 1].name,
                       reason="target", **_planned(phases[index + 1]))

    def _engine_lost(self) -> None:
        """The engine process is gone: go on silently, and say so on screen and in the record."""
        reason = "the audio engine stopped; the session goes on without sound"
        self.silent_reason = reason
        self.write("audio_output", backend="none", reason=reason)
        with self._lock:
            self._folded.notices.append(reason[0].upper() + reason[1:] + ".")

    def restore(self, player: Any) -> None:
        """Bring a new player to where the resumed record says the session was."""
        with self._lock:
            folded = self._folded
            volume, dose = folded.volume, folded.dose_elapsed
            index, holding = folded.phase_index, folded.holding
            phase_started, music = folded.phase_starts.get(folded.phase_index), folded.music
        if self._landed:
            return  # the music had made its soft landing before the crash: it stays quiet
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

    def _resume_point(self, phase: int, music: Any) -> tuple[int, float]:
        """The track of `phase` to resume and from where: the one the record last had playing,
        at its last known position, when it is still that phase's track; else its first."""
        tracks = self.playlist.phases[phase].tracks
        if (music is None or music.phase != phase or not 0 <= music.index < len(tracks)
                or tracks[music.index].title != music.title):
            return 0, 0.0
        return music.index, music.position

    # -- ending --------------------------------------------------------------------------

    def end(self, note: str | None = None, fade_s: float | None = None) -> Any:
        """Fade the music out, write `session_ended` (with the note), and let the engine go.

        Returns once the end is on disk (or kept in memory: the record's write status says).
        The music makes its soft landing (the plan's long fade, then its `after` sound or
        silence) while the report is offered; `close` lets the engine go when the app quits.
        `fade_s` replaces the landing's fade.
        """
        if self._ending:
            return self.record.status
        if not self._landed:
            self.land("ended", fade_s)
        self._ending = True
        self._submit(self.record.end, note or None)
        self._writer.flush()
        self._writer.close()
        self._unsubscribe()
        return self.record.status

    def close(self) -> None:
        """Leave without ending (the app quits abruptly): write what is queued, keep it resumable."""
        if not self._ending:
            self._writer.flush()
            self._writer.close()
            self.record.close()
            self._close_engine(1.0)
        else:
            self._close_engine(self._closing_fade())
        self.wait_closed()

    def closing_fade(self) -> float:
        """Seconds the music still takes to fade out when the app quits now."""
        return self._closing_fade() if self._ending else 1.0

    def _closing_fade(self) -> float:
        """The engine's last fade when the app quits after an end: what is left of the landing
        (at most the playlist's fade-out, so quitting never hangs), or a short one after it;
        none when nothing is heard (a silent session has no fade to wait for)."""
        if self.silent_reason is not None:
            return 0.0
        fade_out = float(self.playlist.playback.fade_out)
        left = 0.0
        if self._landing_ends is not None:
            left = self._landing_ends - self.record.clock.elapsed()
        if left <= 0:
            return fade_out if self.playlist.plan.landing.after is not None else 0.5
        return max(0.5, min(fade_out, left))

    def _close_engine(self, fade: float) -> None:
        if self.engine is None or self._closer is not None:
            return
        engine = self.engine

        def close() -> None:
            try:
                engine.close(fade)
            except AudioError as error:
                log.warning("closing the audio engine: %s", error)

        self._closer = threading.Thread(target=close, name="engine-close", daemon=True)
        self._closer.start()

    def wait_closed(self, timeout: float = 12.0) -> None:
        """Wait for the engine's last fade to finish (before the process exits)."""
        if self._closer is not None:
            self._closer.join(timeout)

    def report_markdown(self) -> str:
        """The session's report as Markdown."""
        from companion.record.reader import read_events
        from companion.record.report import to_markdown

        return to_markdown(read_events(self.record.path))

    def take_notices(self) -> list[str]:
        """Notices for the sitter (a skipped track, a disk problem) not yet shown; clears them."""
        with self._lock:
            notices, self._folded.notices = self._folded.notices, []
        return notices

    def log_lines(self) -> list[str]:
        """The session's events so far, one readable line each."""
        with self._lock:
            return list(self._folded.log)

    # -- what the screen shows -------------------------------------------------------------

    @property
    def phase_index(self) -> int:
        """The index of the current phase."""
        with self._lock:
            return self._folded.phase_index

    def view(self) -> SessionView:
        """A snapshot of everything the session screen shows."""
        self._follow_corrections()
        elapsed = self.record.clock.elapsed()
        with self._lock:
            folded = self._folded
            spans = []
            for index, phase in enumerate(self.playlist.phases):
                spans.append(PhaseSpan(
                    name=phase.name,
                    target=None if phase.minutes is None else phase.minutes * 60.0,
                    until_dose=phase.until_dose,
                    started=folded.phase_starts.get(index, 0.0 if index == 0 else None),
                    ended=folded.phase_ends.get(index)))
            current = min(folded.phase_index, max(0, len(spans) - 1))
            started = folded.phase_starts.get(current, 0.0)
            dose = folded.dose_elapsed
            notes = tuple(folded.notes[-6:])
            ended = folded.ended
            holding, paused = folded.holding, folded.paused
            harbour_since, landed = folded.harbour_since, folded.landed
            too_quiet = folded.track_too_quiet or folded.volume == 0
        title = position = duration = up_next = None
        state = ("harbour" if harbour_since is not None else "holding" if holding
                 else "paused" if paused else "playing")
        if self.player is not None:
            state = str(self.player.state)
            playing = self.player.now_playing
            if state == "holding":
                holding_track = self.playlist.playback.holding
                title = holding_track.title if holding_track is not None else "Holding"
            elif state == "harbour":
                harbour_track = self.playlist.plan.harbour.track
                title = harbour_track.title if harbour_track is not None else "Safe harbour"
            elif playing is not None:
                title = playing.title
                position, duration = playing.position, playing.duration
            up_next = up_next_text(getattr(self.player, "upcoming", None),
                                   [phase.name for phase in self.playlist.phases], elapsed)
        elif ended:
            state = "stopped"
        if landed:  # after the landing only its `after` sound plays: nothing is up next
            up_next = None
        status = self.record.status
        tracker = self.tracker
        observation_ends = tracker.observation_ends()
        return SessionView(
            elapsed=elapsed, since_dose=None if dose is None else elapsed - dose,
            phases=tuple(spans), phase_index=current, phase_elapsed=max(0.0, elapsed - started),
            title=title, position=position, duration=duration, volume=self.volume, state=state,
            silent_reason=self.silent_reason, up_next=up_next, notes=notes,
            write_ok=status.ok, ended=ended, next_item=tracker.next_item(),
            due=tuple(tracker.due_items()),
            observation_left=None if observation_ends is None else tracker.minimum_observation_left(),
            ready_elapsed=tracker.ready_elapsed, harbour_since=harbour_since, landed=landed,
            too_quiet=too_quiet)


# -- opening a session -----------------------------------------------------------------------


SOUND_OFF = "audio output set to none"
"""The silent reason when silence was asked for (`--audio none`), not forced by a fault."""
SILENT_WORDS = "the session runs silent, with words on screen"


@dataclass
class AudioSetup:
    """The audio engine in use (or None), which output it opened, and why the session is silent.

    `silent_reason` is the technical reason, for the record (`audio_output`); `describe` says
    what it means to the sitter, once and plainly.
    """

    engine: Any
    output: Any = None
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

    _start_resource_tracker()
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


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with the real stderr.

    The tracker hands `sys.stderr.fileno()` to its process; inside a Textual app
    `sys.stderr` is a capture object whose descriptor is not valid, and spawning the audio
    engine then fails with "bad value(s) in fds_to_keep". Started here first, it is reused.
    """
    import sys
    from multiprocessing import resource_tracker

    saved = sys.stderr
    sys.stderr = sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = saved


def _default_player(playlist: Any, engine: Any, *, clock: Clock,
                    on_event: Callable[[str, Mapping[str, Any]], None]) -> Any:
    from companion.audio.player import Player

    from companion.audio.loudness_cache import Levelling

    # Levelled from the loudness cache, never measured here: a file not analysed yet plays
    # at its own gain.
    levelling = Levelling.for_playlist(playlist)
    return Player(playlist, engine, clock=clock, on_event=on_event,
                  levels=levelling.gain_db if levelling is not None else None,
                  quietness=levelling.below_target_db if levelling is not None else None)


def _audio_fields(audio: AudioSetup) -> dict[str, Any]:
    output = audio.output
    fields: dict[str, Any] = {"backend": getattr(output, "backend", "none")}
    if output is not None and getattr(output, "device", ""):
        fields["device"] = output.device
    if audio.silent_reason:
        fields["reason"] = audio.silent_reason
    return fields


def _attach(playlist: Any, record: Any, audio: AudioSetup, clock: ActionClock, vitals_ranges: Any,
            player_factory: Callable[..., Any] | None,
            breath_sound: bool = False) -> SessionController:
    from companion.plan import note_ranges

    if vitals_ranges is None:
        vitals_ranges = note_ranges(playlist.plan)  # the plan's ranges mark notes' vitals too
    controller = SessionController(playlist, record, clock=clock, engine=audio.engine,
                                   output=audio.output, silent_reason=audio.silent_reason,
                                   vitals_ranges=vitals_ranges, breath_sound=breath_sound)
    controller.write("audio_output", **_audio_fields(audio))
    if audio.engine is not None:
        from companion.audio.loudness_cache import not_analysed_note

        factory = player_factory or _default_player
        controller.player = factory(playlist, audio.engine, clock=clock.live,
                                    on_event=controller.on_player_event)
        controller.loudness_note = not_analysed_note(playlist)
    return controller


def begin_session(playlist_path: Path, sessions_dir: Path, *, audio: AudioSetup,
                  client_code: str | None = None, intention: str | None = None,
                  clock: Clock = time.monotonic, wall: Callable[[], datetime] | None = None,
                  vitals_ranges: Any = None,
                  player_factory: Callable[..., Any] | None = None,
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
    if controller.player is not None:
        controller.player.play()
    elif playlist.phases:
        # With no player the controller keeps the phase plan itself.
        controller.write("phase_changed", index=0, name=playlist.phases[0].name,
                         **_planned(playlist.phases[0]), reason="start")
    return controller


def _planned(phase: Any) -> dict[str, Any]:
    return {} if phase.minutes is None else {"planned_minutes": phase.minutes}


def find_session_playlist(started: Any, fallback: Path | None) -> tuple[Path, str]:
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
                   wall: Callable[[], datetime] | None = None, vitals_ranges: Any = None,
                   player_factory: Callable[..., Any] | None = None,
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
    player = controller.player
    if player is not None:
        controller.restore(player)
    return controller
