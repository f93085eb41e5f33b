"""SVG snapshots of the BLS panel with a frozen clock; look at them as pictures when they change.

Review with `pytest tests/ui/test_bilateral_snapshots.py --snapshot-report` (or open the SVGs in
tests/ui/__snapshots__/test_bilateral_snapshots/).
"""

from __future__ import annotations

from companion.bilateral import BUILTIN_PRESETS, ClockAudio
from companion.clock import FakeClock
from companion.ui.bls_app import make_bls_app


def _app(reduced_motion: bool = False):
    clock = FakeClock(50.0)
    app = make_bls_app(BUILTIN_PRESETS[0], BUILTIN_PRESETS, ClockAudio(clock), clock=clock,
                       reduced_motion=reduced_motion, timer=False)

    async def five_passes_in(pilot) -> None:
        await pilot.press("space")
        for _ in range(46):  # 0.25 s lead, then 2.05 s of the set: pass 5, left, resting
            clock.advance(0.05)
            app.screen.tick()
        await pilot.pause()

    return app, five_passes_in


def test_bls_panel_mid_set(snap_compare):
    """A centred panel on the calm theme: the EMDR note; Preset: Processing · tone, hard, 24
    passes; the dotted L–R line with the marker resting at the far left; "◀ LEFT"; Pass 5 of
    24 · 0:02.0; Speed: 1.0 cycles/s (2.0 passes/s); Set 1 running; SUD: —; the key line."""
    app, run_before = _app()
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_bls_panel_reduced_motion(snap_compare):
    """As mid-set, but no marker line: the side in words only ("◀ LEFT")."""
    app, run_before = _app(reduced_motion=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
