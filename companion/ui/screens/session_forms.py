"""The session screen's keys that open forms: the vitals and check-in form (v), ready to
leave (e), and corrections (c). Each ends in one call on the session controller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.plan import ItemStatus, PlanError, checks_due_text, minutes_text
from companion.clock import format_clock
from companion.ui.screens.dialogs import ConfirmDialog

if TYPE_CHECKING:
    from companion.session import SessionController
    from companion.ui.screens.corrections import Entry
    from companion.ui.screens.session import SessionScreen

READY_READINGS_SHOWN = 4
"""Out-of-range readings listed in the ready-to-leave question (the latest; the rest counted)."""


def open_vitals(screen: SessionScreen) -> None:
    """The due (or next) planned check; with none, vitals taken outside the plan."""
    from companion.ui.screens.vitals import PUT_OFF, ReminderDialog

    controller = screen.controller
    target = controller.form_target()
    if target is None:
        screen.app.push_screen(ReminderDialog(
            "Vitals", controller.vitals_form(None),
            save=controller.record_vitals,
            detail="Outside the plan's schedule: fill in what was taken."))
        return
    item = target.item
    due = target.state in ("due", "overdue")

    def save(values: dict[str, str]) -> None:
        controller.item_done(item, values if item.kind == "vitals" else None)

    def closed(answer: str | None) -> None:
        if answer == PUT_OFF and due:
            try:
                controller.put_off(item)
            except PlanError as error:
                screen.notify(str(error), title="Plan", severity="warning")
        screen.refresh_soon()

    fields = controller.vitals_form(item) if item.kind == "vitals" else ()
    screen.app.push_screen(ReminderDialog(
        item.title, fields, save=save, words=item.words, detail=_detail(target),
        skip=lambda reason: controller.skip_item(item, reason),
        put_off_minutes=controller.put_off_minutes if due else None), closed)


def ask_ready_to_leave(screen: SessionScreen) -> None:
    """Ask first, showing the observation left and readings still outside the ranges."""
    controller = screen.controller

    def answered(yes: bool | None) -> None:
        if yes:
            _mark_ready(screen)

    marked = controller.ready_elapsed
    if marked is None:
        question, yes, no = "Mark the client ready to leave?", "Ready to leave", "Not yet"
    else:
        question = (f"The client was marked ready to leave at {format_clock(marked)}. "
                    "Mark it again now?")
        yes, no = "Mark again", "Keep the first"
    screen.app.push_screen(ConfirmDialog(question, _ready_detail(controller), yes=yes, no=no),
                           answered)


def _mark_ready(screen: SessionScreen) -> None:
    at = screen.controller.ready_to_leave()
    more = checks_due_text(len(screen.controller.due_items()))
    screen.notify(f"Ready to leave at {format_clock(at)}.{more}", title="Ready to leave",
                  timeout=6)
    screen.refresh_soon()


def _ready_detail(controller: SessionController) -> str:
    """What to weigh before marking the client ready to leave: the observation left, and
    readings outside the clinician's ranges with no in-range reading of that value since."""
    minimum = controller.min_observation_minutes
    lines = []
    if minimum is None:
        lines.append("The plan sets no minimum observation time.")
    elif controller.dose_elapsed is None:
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


def open_corrections(screen: SessionScreen) -> None:
    """The recent vitals, notes, dose mark and ready-to-leave: correct or strike one."""
    from companion.ui.screens.corrections import CorrectionsDialog, entry_of

    entries = [entry_of(line, event) for line, event in screen.controller.correctable()]
    screen.app.push_screen(CorrectionsDialog(entries), lambda entry: _correct_entry(screen, entry))


def _correct_entry(screen: SessionScreen, entry: Entry | None) -> None:
    from companion.ui.screens.corrections import STRIKE, CorrectEntryDialog

    if entry is None:
        return
    controller = screen.controller

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
            screen.call_after_refresh(screen.action_correct)  # Escape: back to the list
        elif isinstance(answer, tuple):
            screen.call_after_refresh(_correct_vitals, screen, entry, str(answer[1]))
        else:
            verb = "Struck" if answer == STRIKE else "Corrected"
            screen.notify(f"{verb}: {entry.what} ({entry.when}). The first words stay in "
                          "the record.", title="Correction", timeout=6)
            screen.refresh_soon()

    screen.app.push_screen(CorrectEntryDialog(entry, apply), done)


def _correct_vitals(screen: SessionScreen, entry: Entry, reason: str) -> None:
    """The vitals form, filled with the entry's values; saving writes the correction."""
    from companion.ui.screens.vitals import ReminderDialog

    controller = screen.controller

    def closed(answer: str | None) -> None:
        if answer is not None:
            screen.notify(f"Corrected: vitals of {entry.when}. The first values stay in "
                          "the record.", title="Correction", timeout=6)
        screen.refresh_soon()

    screen.app.push_screen(ReminderDialog(
        f"Correct vitals of {entry.when}", controller.correction_form(entry.item),
        save=lambda values: controller.correct_vitals(entry.line, values, reason),
        detail=f"As first written: {entry.what}", initial=entry.initial), closed)
