"""The gain structure, measured at the device: what a sitter hears at the defaults.

Captured from the real default output (ALSA's file plugin, paced like a card): each bundled
playlist's music, holding sound and breathing cue at the playlist's default volume, and
`companion play` of a -9 and a -30 LUFS file at its default, all land between -26 and -20
LUFS integrated; the ceiling and the fades still hold. The BLS tone sits clearly above the
music. scripts/gain_table prints the whole table for docs/sound/levels.md (`scripts/docs --measure gain_table`).
"""

from __future__ import annotations

import numpy as np
import pytest

from companion.audio.levels import DEFAULT_TARGET_LUFS, percent_to_db
from tests.audio.alsa import capture_fixture, retry_on_dropout
from tests.audio.gain_capture import (
    BUNDLED,
    BUNDLED_PLAYLISTS,
    play_command,
    session_cue,
    session_holding,
    session_music,
)

capture = capture_fixture()
DEVICE_WINDOW = (-26.0, -20.0)


def _in_window(heard) -> None:
    print(f"{heard.what}: {heard.lufs:.1f} LUFS, fade-in {heard.fade_in_s:.1f} s, "
          f"peak {heard.peak:.3f}")
    low, high = DEVICE_WINDOW
    assert low <= heard.lufs <= high, heard
    assert heard.peak < 10 ** (-1 / 20)  # nothing near full scale


@pytest.mark.realtime
@pytest.mark.parametrize("name", BUNDLED_PLAYLISTS)
@retry_on_dropout
def test_bundled_music_at_its_default_volume_leaves_the_device_between_26_and_20_lufs(
        capture, name):
    heard = session_music(capture, BUNDLED / f"{name}.yaml", steady_s=6.0)
    _in_window(heard)
    assert heard.fade_in_s >= 2.0  # the session's fade, never a sudden start


@pytest.mark.realtime
@pytest.mark.parametrize("name", BUNDLED_PLAYLISTS)
@retry_on_dropout
def test_bundled_holding_sound_and_breathing_cue_land_in_the_same_window(capture, name):
    _in_window(session_holding(capture, BUNDLED / f"{name}.yaml", steady_s=4.0))
    capture.reset()
    _in_window(session_cue(capture, BUNDLED / f"{name}.yaml"))


@pytest.mark.realtime
@pytest.mark.parametrize("lufs", [-9.0, -30.0])
@retry_on_dropout
def test_companion_play_of_a_loud_and_a_quiet_file_lands_in_the_window(capture, tmp_path, lufs):
    heard = play_command(capture, tmp_path, lufs, seconds=5.0)
    _in_window(heard)
    expected = DEFAULT_TARGET_LUFS + percent_to_db(85)
    assert heard.lufs == pytest.approx(expected, abs=0.5)


def test_the_bls_tone_sits_the_playlists_setting_above_the_music():
    """Rendered by the engine's own sources at the gains a session gives them."""
    from companion.audio.bilateral import open_bilateral
    from companion.audio.loudness import LoudnessMeter
    from companion.audio.protocol import Bls
    from companion.bilateral import BUILTIN_PRESETS, level_offset_db

    def loudness(preset) -> float:
        fields = preset.sound_fields()
        fields["gain_db"] += level_offset_db(fields, -18.0, 8.0)
        source, meter, frames = open_bilateral(Bls("set", **fields)), LoudnessMeter(rate=48000), 0
        while frames < 48000 * 10:
            block = source.read(4800)
            if block is None or len(block) == 0:
                break  # the set has ended
            meter.add(np.ascontiguousarray(block, dtype=np.float32) * 10 ** (fields["gain_db"] / 20))
            frames += len(block)
        return meter.result().integrated_lufs

    processing, resource = BUILTIN_PRESETS
    above = loudness(processing) - (-18.0)
    print(f"processing tone: {above:+.1f} LU over the music; resource: "
          f"{loudness(resource) - (-18.0):+.1f} LU")
    assert above == pytest.approx(8.0, abs=0.3)
    assert loudness(resource) - (-18.0) == pytest.approx(2.0, abs=0.5)
