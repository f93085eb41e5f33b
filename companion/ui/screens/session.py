"""The session screen: clocks, phase and timeline, what plays, the plan's reminders, latest notes, and every key.

It holds no session logic: each key is one call on the `SessionController`, and the
screen repaints from the controller's `SessionView` twice a second (and as soon as the
record gains an event: the writer thread posts a message, it never waits on the screen). Only what changed is repainted, so an idle session costs little.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label, Static

from companion.session import SessionController
from companion.session.formats import format_clock, format_short
from companion.session.view import SessionView
from companion.plan import ItemStatus, PlanError, checks_due_text, minutes_text
from companion.ui.screens.dialogs import (
    ConfirmDialog,
    DistressDialog,
    HelpDialog,
    LogDialog,
    NoteDialog,
    PhaseDialog,
)
from companion.ui.widgets.clock import ClockPanel
from companion.ui.widgets.keys import KeyBar
from companion.ui.widgets.now_playing import NowPlaying
from companion.ui.widgets.reminders import Reminders
from companion.ui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from companion.ui.app import CompanionApp
    from companion.ui.screens.corrections import Entry

SESSION_BINDINGS = [
    Binding("space", "pause", "pause/resume", id="pause"),
    Binding("n", "next", "next", id="next"),
    Binding("b", "previous", "back", id="previous"),
    Binding("plus,equals_sign", "volume(5)", "vol+", id="volume_up", key_display="+"),
    Binding("minus", "volume(-5)", "vol-", id="volume_down", key_display="-"),
    Binding("h", "holding", "holding", id="holding"),
    Binding("k", "sound_check", "sound check", id="sound_check"),
    Binding("p", "phase", "phase", id="phase"),
    Binding("d", "dose", "dose", id="dose"),
    Binding("r", "breathing", "breathe", id="breathing"),
    Binding("g", "grounding", "ground", id="grounding"),
    Binding("t", "bilateral", "BLS", id="bilateral"),
    Binding("a", "note", "note", id="note"),
    Binding("s", "distress", "distress", id="distress"),
    Binding("v", "vitals", "vitals", id="vitals"),
    Binding("e", "ready_to_leave", "ready to leave", id="ready_to_leave"),
    Binding("c", "correct", "correct", id="correct"),
    Binding("l", "log", "log", id="log"),
    Binding("question_mark", "help", "help", id="help", key_display="?"),
    Binding("q", "end", "end", id="end"),
]
"""The session's keys; each `id` can be given other keys in the config file."""

MIN_WIDTH, MIN_HEIGHT = 40, 10
"""Below this the screen says it is too small (the keys keep working)."""


class SessionScreen(Screen):
    """The screen a sitter keeps beside them for the whole session."""

    BINDINGS = SESSION_BINDINGS

    def __init__(self, controller: SessionController) -> None:
        super().__init__()
        self.controller = controller

    @property
    def companion(self) -> CompanionApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="session-body"):
            with Horizontal(id="session-header"):
                yield Label(self._title(), id="session-title")
                yield Label("", id="session-status")
            yield ClockPanel(id="clocks")
            yield Label("", id="phase-line")
            yield Timeline(id="timeline")
            yield NowPlaying(id="now-playing")
            yield Reminders(id="reminders")
            yield Label("Latest notes", id="notes-title")
            yield Static("", id="notes", markup=False)
        yield Static(f"This terminal is too small.\nMake it at least {MIN_WIDTH}×{MIN_HEIGHT}.\n"
                     "The session goes on; keys still work.", id="too-small")
        yield KeyBar()

    def _title(self) -> str:
        record = self.controller.record
        started = record.events[0] if record.events else None
        code = started.get("client_code") if started is not None else None
        parts = ["Companion", self.controller.playlist.name]
        if code:
            parts.append(f"client {code}")
        return " · ".join(parts)

    def on_mount(self) -> None:
        self.set_class(self.companion.reduced_motion, "-reduced-motion")
        self.query_one(NowPlaying).set_class(self.companion.reduced_motion, "-reduced-motion")
        reminders = self.query_one(Reminders)
        reminders.vitals_key = self.companion.key_for("vitals", "v")
        reminders.harbour_key = self.companion.key_for("harbour", "f")
        self.controller.subscribe(self._record_changed)
        self._fit()
        self.refresh_view()
        self.set_interval(0.5, self.refresh_view)
        self.set_interval(0.25, self.controller.poll)

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Choose the layout for the terminal's size: full, compact, tiny or too small."""
        width, height = self.app.size
        compact = height < 22 or width < 60
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")
        self.set_class(compact, "-compact")
        self.set_class(height < 14, "-tiny")
        self.query_one(ClockPanel).set_class(compact, "-compact")

    class RecordChanged(Message):
        """The record gained an event (posted from the record's writer thread)."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, SessionScreen.RecordChanged)

    def _record_changed(self) -> None:
        # Called on the writer thread: post (thread-safe, never waits on the UI) and repaint there.
        self.post_message(self.RecordChanged())

    def on_session_screen_record_changed(self, _message: RecordChanged) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        """Repaint from a fresh snapshot; widgets skip what did not change."""
        if not self.is_attached:
            return
        view = self.controller.view()
        self.query_one(ClockPanel).show(view.elapsed, view.since_dose)
        self._set("#phase-line", _phase_line(view))
        self.query_one(Timeline).show(view.phases, view.phase_index, view.phase_elapsed)
        self.query_one(NowPlaying).show(view)
        self.query_one(Reminders).show(view)
        self._set("#notes", _notes_text(view))
        for notice in self.controller.take_notices():
            self.notify(notice, title="Notice", severity="warning", timeout=8)
        status = "" if view.write_ok else "record NOT saved: retrying"
        self._set("#session-status", status)
        self.query_one("#session-status").set_class(not view.write_ok, "-warning")

    def _set(self, selector: str, text: str) -> None:
        widget = self.query_one(selector, Static)
        if getattr(widget, "_shown", None) != text:
            widget._shown = text  # type: ignore[attr-defined]
            widget.update(text)

    def refresh_soon(self) -> None:
        """Repaint after the current key has been handled."""
        self.call_later(self.refresh_view)

    # -- keys -------------------------------------------------------------------------

    def action_pause(self) -> None:
        self.controller.toggle_pause()
        self.refresh_soon()

    def action_next(self) -> None:
        notice = self.controller.next_track()
        if notice:
            self.notify(notice, timeout=6)
        self.refresh_soon()

    def action_previous(self) -> None:
        self.controller.previous_track()
        self.refresh_soon()

    def action_volume(self, step: int) -> None:
        limit = self.controller.volume_limit(step)
        if limit is not None:
            self.notify(limit, title="Volume", timeout=5)
            return
        self.controller.change_volume(step)
        self.refresh_soon()

    def action_sound_check(self) -> None:
        self.notify(self.controller.sound_check(), title="Sound check", timeout=10)
        self.refresh_soon()

    def action_holding(self) -> None:
        self.controller.toggle_holding()
        self.refresh_soon()

    def action_dose(self) -> None:
        if not self.controller.dose_marked:
            self.controller.mark_dose()
            self.refresh_soon()
            return

        def answered(again: bool | None) -> None:
            if again:
                self.controller.mark_dose()
                self.refresh_soon()

        # A stray second press must not move the dose time: ask.
        self.app.push_screen(ConfirmDialog("The dose is already marked. Mark it again now?",
                                           "'Since dose' would then count from now.",
                                           yes="Mark again", no="Keep the first"), answered)

    def action_phase(self) -> None:
        """Pick a phase (the current one is highlighted); a jump past the next phase asks first."""
        names = [phase.name for phase in self.controller.playlist.phases]
        current = self.controller.phase_index

        def jump(index: int) -> None:
            self.controller.jump_to_phase(index)
            self.refresh_soon()

        def chosen(index: int | None) -> None:
            if index is None or index == current:
                return  # Enter on the phase already playing changes nothing
            if index <= current + 1:
                jump(index)
                return

            def confirmed(yes: bool | None) -> None:
                if yes:
                    jump(index)

            between = names[current + 1:index]
            skipped = " and ".join(filter(None, [", ".join(between[:-1]), between[-1]]))
            self.app.push_screen(ConfirmDialog(
                f"Jump ahead to {names[index]}?",
                f"From {names[current]}, skipping {skipped}. The music crossfades to "
                f"{names[index]}'s first track.", yes=f"Jump to {names[index]}",
                no=f"Stay in {names[current]}"), confirmed)

        self.app.push_screen(PhaseDialog(names, current), chosen)

    def action_note(self) -> None:
        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None:
                self.controller.add_note(*result)

        self.app.push_screen(NoteDialog(), chosen)

    def action_distress(self) -> None:
        def chosen(rating: int | None) -> None:
            if rating is not None:
                self.controller.rate_distress(rating)

        self.app.push_screen(DistressDialog(), chosen)

    def action_vitals(self) -> None:
        """The due (or next) planned check; with none, vitals taken outside the plan."""
        from companion.ui.screens.vitals import PUT_OFF, ReminderDialog

        tracker = self.controller.tracker
        target = self.controller.form_target()
        if target is None:
            self.app.push_screen(ReminderDialog(
                "Vitals", tracker.form(None), save=lambda values: tracker.record_vitals(values),
                detail="Outside the plan's schedule: fill in what was taken."))
            return
        item = target.item
        due = target.state in ("due", "overdue")

        def save(values: dict[str, str]) -> None:
            tracker.done(item, values if item.kind == "vitals" else None)

        def closed(answer: str | None) -> None:
            if answer == PUT_OFF and due:
                try:
                    tracker.put_off(item)
                except PlanError as error:
                    self.notify(str(error), title="Plan", severity="warning")
            self.refresh_soon()

        fields = tracker.form(item) if item.kind == "vitals" else ()
        self.app.push_screen(ReminderDialog(
            item.title, fields, save=save, words=item.words, detail=_detail(target),
            skip=lambda reason: tracker.skip(item, reason),
            put_off_minutes=tracker.plan.put_off_minutes if due else None), closed)

    def action_ready_to_leave(self) -> None:
        """Ask first, showing the observation left and readings still outside the ranges."""
        def answered(yes: bool | None) -> None:
            if yes:
                self._mark_ready()

        marked = self.controller.tracker.ready_elapsed
        if marked is None:
            question, yes, no = "Mark the client ready to leave?", "Ready to leave", "Not yet"
        else:
            question = (f"The client was marked ready to leave at {format_clock(marked)}. "
                        "Mark it again now?")
            yes, no = "Mark again", "Keep the first"
        self.app.push_screen(ConfirmDialog(question, _ready_detail(self.controller),
                                           yes=yes, no=no), answered)

    def _mark_ready(self) -> None:
        at = self.controller.ready_to_leave()
        open_checks = [s for s in self.controller.tracker.due_items()]
        more = checks_due_text(len(open_checks))
        self.notify(f"Ready to leave at {format_clock(at)}.{more}", title="Ready to leave",
                    timeout=6)
        self.refresh_soon()

    def action_correct(self) -> None:
        """The recent vitals, notes, dose mark and ready-to-leave: correct or strike one."""
        from companion.ui.screens.corrections import CorrectionsDialog, entry_of

        entries = [entry_of(line, event) for line, event in self.controller.correctable()]
        self.app.push_screen(CorrectionsDialog(entries), self._correct_entry)

    def _correct_entry(self, entry: Entry | None) -> None:
        from companion.ui.screens.corrections import STRIKE, CorrectEntryDialog

        if entry is None:
            return
        controller = self.controller

        def apply(action: str, value: str, reason: str) -> None:
            if action == STRIKE:
                controller.correct(entry.line, STRIKE, reason=reason)
            elif entry.kind == "dose":
                controller.correct_moment(entry.line, value, reason)
            else:
                controller.correct_note(entry.line, value, reason)

        def done(answer: object) -> None:
            # The next dialog opens once this one is gone and the screen below has resumed;
            # opened sooner, the resume would take its focus.
            if answer is None:
                self.call_after_refresh(self.action_correct)  # Escape: back to the list
            elif isinstance(answer, tuple):
                self.call_after_refresh(self._correct_vitals, entry, str(answer[1]))
            else:
                verb = "Struck" if answer == STRIKE else "Corrected"
                self.notify(f"{verb}: {entry.what} ({entry.when}). The first words stay in "
                            "the record.", title="Correction", timeout=6)
                self.refresh_soon()

        self.app.push_screen(CorrectEntryDialog(entry, apply), done)

    def _correct_vitals(self, entry: Entry, reason: str) -> None:
        """The vitals form, filled with the entry's values; saving writes the correction."""
        from companion.ui.screens.vitals import ReminderDialog

        tracker = self.controller.tracker
        item = entry.item if entry.item in {i.id for i in tracker.plan.schedule} else None

        def closed(answer: str | None) -> None:
            if answer is not None:
                self.notify(f"Corrected: vitals of {entry.when}. The first values stay in "
                            "the record.", title="Correction", timeout=6)
            self.refresh_soon()

        self.app.push_screen(ReminderDialog(
            f"Correct vitals of {entry.when}", tracker.form(item),
            save=lambda values: self.controller.correct_vitals(entry.line, values, reason),
            detail=f"As first written: {entry.what}", initial=entry.initial), closed)

    def action_log(self) -> None:
        self.app.push_screen(LogDialog(self.controller.log_lines()))

    def action_help(self) -> None:
        self.app.push_screen(HelpDialog(self.key_table()))

    def action_breathing(self) -> None:
        self.companion.open_breathing(self.controller)

    def action_grounding(self) -> None:
        self.companion.open_grounding(self.controller)

    def action_bilateral(self) -> None:
        self.companion.open_bilateral(self.controller)

    def action_end(self) -> None:
        self.companion.action_request_end()

    def key_table(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every session key, with the config's remaps applied."""
        rows: dict[str, tuple[str, str]] = {}
        for _key, active in self.active_bindings.items():
            binding = active.binding
            if binding.id in _LONG and binding.action not in rows:
                rows[binding.action] = (binding.key_display or self.app.get_key_display(binding),
                                        _LONG.get(binding.id or "", binding.description))
        harbour = self.companion.key_for("harbour.anywhere", "ctrl+f")
        return list(rows.values()) + [(harbour, "harbour, also while typing"),
                                      ("ctrl+c", "end the session (asks)")]


_LONG = {
    "pause": "pause or resume (soft fade)",
    "next": "next track",
    "previous": "previous track",
    "volume_up": "volume up",
    "volume_down": "volume down",
    "sound_check": "sound check: a soft sample at the session's level",
    "holding": "holding track on/off",
    "phase": "jump to a phase",
    "dose": "mark the dose",
    "breathing": "breathing (music goes on)",
    "grounding": "grounding 5-4-3-2-1",
    "bilateral": "bilateral stimulation",
    "note": "add a note with a tag",
    "distress": "distress rating 0-10",
    "vitals": "vitals / check-in form",
    "ready_to_leave": "client ready to leave",
    "correct": "correct or strike an entry",
    "harbour": "safe harbour (again: back)",
    "log": "the session's log so far",
    "help": "these keys",
    "end": "end the session (asks)",
}


READY_READINGS_SHOWN = 4
"""Out-of-range readings listed in the ready-to-leave question (the latest; the rest counted)."""


def _ready_detail(controller: SessionController) -> str:
    """What to weigh before marking the client ready to leave: the observation left, and
    readings outside the clinician's ranges with no in-range reading of that value since."""
    tracker = controller.tracker
    minimum = tracker.plan.min_observation_minutes
    lines = []
    if minimum is None:
        lines.append("The plan sets no minimum observation time.")
    elif tracker.dose_elapsed is None:
        lines.append("No dose is marked yet.")
    else:
        left = controller.observation_left()
        lines.append(f"Minimum observation: {minutes_text(left)} still to go of "
                     f"{minutes_text(minimum * 60)} after the dose." if left > 0 else
                     "The minimum observation time after the dose is over.")
    outside = controller.readings_outside_ranges()
    if not outside:
        lines.append("No reading is outside the clinician's ranges.")
    else:
        lines.append("Outside the ranges, with no in-range reading since:")
        by_time: dict[float, list[str]] = {}
        for reading in outside:
            by_time.setdefault(reading.elapsed, []).append(reading.describe())
        moments = sorted(by_time)
        for moment in moments[-READY_READINGS_SHOWN:]:
            lines.append(f"  {format_clock(moment)}  {', '.join(by_time[moment])}")
        if len(moments) > READY_READINGS_SHOWN:
            lines.append(f"  and {len(moments) - READY_READINGS_SHOWN} earlier")
    return "\n".join(lines)


def _detail(status: ItemStatus) -> str:
    """The form's line under its title: due now, how late, or that it is taken early."""
    if status.state == "due":
        return "Due now"
    if status.state == "overdue" and status.item.anchor == "start" and not status.missed:
        return "Overdue: the dose is marked"  # not "late" by the minutes since the start
    if status.state == "overdue":
        return f"Overdue, {minutes_text(status.late)} late"
    if status.state == "put_off":
        return f"Put off; due again in {minutes_text(status.wait or 0)} (taken now)"
    if status.wait is not None:
        return f"Due in {minutes_text(status.wait)} (taken early)"
    return "Taken early"


def _phase_line(view: SessionView) -> str:
    phase = view.phase
    if phase is None:
        return "No phases"
    count = f"Phase {view.phase_index + 1} of {len(view.phases)}"
    if phase.target is not None:
        left = view.phase_left or 0.0
        timing = (f"{format_short(view.phase_elapsed)} of {format_short(phase.target)}"
                  + (f" · {format_short(left)} left" if left >= 0
                     else f" · {format_short(-left)} over"))
    elif phase.until_dose and view.since_dose is None:
        timing = f"{format_short(view.phase_elapsed)} · until the dose is marked (d)"
    else:
        timing = format_short(view.phase_elapsed)
    return f"{count} · {phase.name} · {timing}"


def _notes_text(view: SessionView) -> str:
    if not view.notes:
        return "(none yet: a adds a note)"
    lines = []
    for note in reversed(view.notes):
        marks = f"  [{', '.join(note.outside_range)}]" if note.outside_range else ""
        lines.append(f"{format_clock(note.elapsed)}  {note.tag.replace('_', ' ')}: {note.text}{marks}")
    return "\n".join(lines)
