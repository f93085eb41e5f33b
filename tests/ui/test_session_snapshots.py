"""SVG snapshots of the screens with a frozen clock; look at them as pictures when they change.

Review with `pytest tests/ui/test_session_snapshots.py --snapshot-report` (or open the SVGs in
tests/ui/__snapshots__/): each test's docstring says what a reviewer should see.
"""

from __future__ import annotations

from tests.ui.fakes import begin, session_app, settle, wait_for


def _session(tmp_path, **options):
    app, _engine, clock = session_app(tmp_path, client_code="K-17", **options)

    def play_for(controller, seconds: float) -> None:
        # As the screen's timer does: the player hears the clock every few seconds.
        for _ in range(int(seconds // 5)):
            clock.advance(5)
            controller.poll()
        clock.advance(seconds % 5)
        controller.poll()

    async def forty_two_minutes_in(pilot) -> None:
        controller = await begin(pilot)
        play_for(controller, 14 * 60)
        await pilot.press("d")
        await settle(pilot)
        play_for(controller, 8 * 60)
        controller.add_note("vitals", "BP 128/82 HR 74 SpO2 98")
        play_for(controller, 5 * 60 + 13)
        controller.add_note("client_words", "It feels like floating on warm water")
        await settle(pilot)

    return app, forty_two_minutes_in


def test_session_screen_at_80x24(tmp_path, snap_compare):
    """Header with client code; big session clock 0:27:13 and since dose 0:13:13; phase 2 of 4,
    Onset, 13:13 of 20:00 with 6:47 left; a timeline with Settling done and Onset partly filled; the sound
    state (silent: no sound device) with title and volume 50%; up next; two notes, newest first;
    all eighteen keys (v vitals, e ready to leave, f harbour among them) in a three-line key
    bar. No plan: no reminder line. Muted colours, no bright white."""
    app, run_before = _session(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_session_screen_compact_at_60x16(tmp_path, snap_compare):
    """A smaller terminal: plain one-line clocks instead of the big digits, no timeline; the
    phase line, the sound state, up next, the notes and every key (over three lines) stay."""
    app, run_before = _session(tmp_path)
    assert snap_compare(app, terminal_size=(60, 16), run_before=run_before)


def test_session_screen_too_small(tmp_path, snap_compare):
    """Below 40x10 the screen says plainly that it is too small and that the session goes on."""
    app, run_before = _session(tmp_path)
    assert snap_compare(app, terminal_size=(36, 9), run_before=run_before)


def test_start_screen(tmp_path, snap_compare):
    """The given playlist on a plain line with "Ctrl+O: another", client code prefilled, intention
    empty, the audio line saying the session will be silent and why, the Begin button with its
    Enter hint, and the key bar."""
    app, _engine, _clock = session_app(tmp_path, client_code="K-17")

    async def audio_known(pilot) -> None:
        await wait_for(pilot, lambda: app.audio is not None)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=audio_known)


def test_end_dialog_over_the_session(tmp_path, snap_compare):
    """q asks first: a centred box with the question, an empty closing-note field, and the
    Keep going / End session buttons over the dimmed session screen."""
    app, run_before = _session(tmp_path)

    async def asked(pilot) -> None:
        await run_before(pilot)
        await pilot.press("q")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=asked)


def test_help_dialog(tmp_path, snap_compare):
    """? lists every key (right-aligned) with what it does, including the vitals form, ready to
    leave, the safe harbour and Ctrl+C."""
    app, run_before = _session(tmp_path)

    async def helped(pilot) -> None:
        await run_before(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=helped)


def test_holding_and_reduced_motion(tmp_path, snap_compare):
    """Reduced motion: no progress bar under the title; holding on shows the state `holding
    (silent)` and the holding track's title."""
    app, run_before = _session(tmp_path, reduced_motion=True)

    async def holding(pilot) -> None:
        await run_before(pilot)
        await pilot.press("h")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=holding)


def _plan_session(tmp_path):
    from tests.ui.fakes import PLAN_YAML

    app, _engine, clock = session_app(tmp_path, client_code="K-17", plan=PLAN_YAML)

    async def vitals_due(pilot) -> None:
        controller = await begin(pilot)
        controller.tracker.done("start+0:vitals", {"systolic": 128, "diastolic": 82, "hr": 72})
        await pilot.press("d")
        await settle(pilot)
        for _ in range(16):
            clock.advance(1)
            controller.poll()
        await settle(pilot)

    return app, vitals_due


def test_vitals_due_in_a_calm_accent(tmp_path, snap_compare):
    """A plan timed in seconds, 16 s after the dose: under "Up next", one line in the soft sand
    accent says "Vitals due  (v opens) · Observation: less than a minute left"; nothing else
    changes colour; the earlier check is in the notes as "vitals: BP 128/82 HR 72"."""
    app, run_before = _plan_session(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_vitals_form(tmp_path, snap_compare):
    """v opens the form over the dimmed session: "Vitals", "Due now", one line per reading
    (Systolic, Diastolic, Heart rate, SpO2, MOAA/S) with a short field each, the last value
    and time beside BP and HR, the clinician's range beside systolic and SpO2, the scale's 0-5
    beside MOAA/S; Skip… and Save; the keys hint at the bottom."""
    app, run_before = _plan_session(tmp_path)

    async def form(pilot) -> None:
        await run_before(pilot)
        await pilot.press("v")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=form)


def test_safe_harbour(tmp_path, snap_compare):
    """f: grounding in sitter mode with the harbour's words on top in the sand accent ("You're
    safe. I'm right here. Let's notice the room.") and "f returns to the music" under them."""
    app, run_before = _plan_session(tmp_path)

    async def harbour(pilot) -> None:
        await run_before(pilot)
        await pilot.press("f")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=harbour)
