"""The session screen: clocks, phase and timeline, what plays, the plan's reminders, latest notes, and every key.

It holds no session logic: each key is one call on the `SessionController`, and the
screen repaints from the controller's `SessionView` twice a second (and as soon as the
record gains an event: the writer thread posts a message, it never waits on the screen).
Only what changed is repainted, so an idle session costs little. The keys that open forms
(vitals, ready to leave, corrections) are in `session_forms`, the exercises' keys in
`session_exercises`, the bindings and their help words in `session_keys`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label, Static

from companion.clock import format_clock, format_short
from companion.session.view import SessionView
from companion.ui.screens import session_exercises, session_forms
from companion.ui.screens.dialogs import (
    ConfirmDialog,
    DistressDialog,
    HelpDialog,
    LogDialog,
    NoteDialog,
    PhaseDialog,
)
from companion.ui.screens.session_keys import KEY_HELP, SESSION_BINDINGS
from companion.ui.widgets.clock import ClockPanel
from companion.ui.widgets.keys import KeyBar
from companion.ui.widgets.now_playing import NowPlaying
from companion.ui.widgets.reminders import Reminders
from companion.ui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from companion.session import SessionController
    from companion.ui.app import CompanionApp

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
        code = self.controller.client_code
        parts = ["Companion", self.controller.playlist_name]
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
        names = self.controller.phase_names()
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
        session_forms.open_vitals(self)

    def action_ready_to_leave(self) -> None:
        session_forms.ask_ready_to_leave(self)

    def action_correct(self) -> None:
        session_forms.open_corrections(self)

    def action_log(self) -> None:
        self.app.push_screen(LogDialog(self.controller.log_lines()))

    def action_help(self) -> None:
        self.app.push_screen(HelpDialog(self.key_table()))

    def action_breathing(self) -> None:
        session_exercises.open_breathing(self)

    def action_grounding(self) -> None:
        session_exercises.open_grounding(self)

    def action_bilateral(self) -> None:
        session_exercises.open_bilateral(self)

    def action_end(self) -> None:
        self.companion.action_request_end()

    def key_table(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every session key, with the config's remaps applied."""
        rows: dict[str, tuple[str, str]] = {}
        for _key, active in self.active_bindings.items():
            binding = active.binding
            if binding.id in KEY_HELP and binding.action not in rows:
                rows[binding.action] = (binding.key_display or self.app.get_key_display(binding),
                                        KEY_HELP.get(binding.id or "", binding.description))
        harbour = self.companion.key_for("harbour.anywhere", "ctrl+f")
        return list(rows.values()) + [(harbour, "harbour, also while typing"),
                                      ("ctrl+c", "end the session (asks)")]


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
