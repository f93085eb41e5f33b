"""Snapshots of the "Correct an entry" dialogs at 80x24 and 60x18: each fits, buttons shown."""

from __future__ import annotations

from tests.ui.fakes import PLAN_YAML, begin, session_app, settle


def _session(tmp_path, *keys: str):
    app, _engine, clock = session_app(tmp_path, client_code="K-17", plan=PLAN_YAML)

    async def run_before(pilot) -> None:
        controller = await begin(pilot)
        controller.tracker.done("start+0:vitals", {"systolic": "15095", "diastolic": "95",
                                                   "hr": "880"})
        clock.advance(600)
        await pilot.press("d")
        await settle(pilot)
        clock.advance(240)
        controller.add_note("observation", "eyes closed, breathing slowly, HR 880")
        clock.advance(60)
        controller.ready_to_leave()
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return app, run_before


def test_correct_list_at_80x24(tmp_path, snap_compare):
    """"Correct an entry": four entries newest first (0:15:00 Ready to leave, 0:14:00 the note,
    0:10:00 Dose marked, 0:00:00 the vitals BP 15095/95 HR 880), the first highlighted; the
    hint says the first words stay in the record."""
    app, run_before = _session(tmp_path, "c")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_correct_list_at_60x18(tmp_path, snap_compare):
    """The same list at 60x18: every entry and the hint fit inside the dialog."""
    app, run_before = _session(tmp_path, "c")
    assert snap_compare(app, terminal_size=(60, 18), run_before=run_before)


def test_correct_dose_at_80x24(tmp_path, snap_compare):
    """The dose mark chosen: the question (minutes ago or the clock time), the time field
    focused, the optional reason, and both buttons, Strike it and Save the time, in view."""
    app, run_before = _session(tmp_path, "c", "down", "down", "enter")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_correct_dose_at_60x18(tmp_path, snap_compare):
    """The dose dialog at 60x18: the title, fields, both buttons and the key hint all fit."""
    app, run_before = _session(tmp_path, "c", "down", "down", "enter")
    assert snap_compare(app, terminal_size=(60, 18), run_before=run_before)


def test_correct_note_at_60x18(tmp_path, snap_compare):
    """A note chosen at 60x18: its text in the field, ready to edit; Strike it and Save the
    text in view."""
    app, run_before = _session(tmp_path, "c", "down", "enter")
    assert snap_compare(app, terminal_size=(60, 18), run_before=run_before)


def test_correct_ready_to_leave_at_60x18(tmp_path, snap_compare):
    """"Ready to leave" chosen at 60x18: only the reason and Strike it (it has no value)."""
    app, run_before = _session(tmp_path, "c", "enter")
    assert snap_compare(app, terminal_size=(60, 18), run_before=run_before)
