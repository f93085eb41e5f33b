"""Recording from ALSA's default capture device, fed in real time from a FIFO (TESTING.md recipe)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from companion.audio.capture import Capture, level_db, SILENT_DB
from companion.errors import AudioDeviceError
from tests.audio.mic_feed import MicFeed, speech


def test_level_of_silence_and_of_a_full_scale_square() -> None:
    assert level_db(np.zeros(100, np.float32)) == (SILENT_DB, SILENT_DB)
    rms, peak = level_db(np.array([1.0, -1.0] * 50, np.float32))
    assert abs(rms) < 1e-9 and abs(peak) < 1e-9


@pytest.mark.realtime
@pytest.mark.skipif(shutil.which("espeak-ng") is None or shutil.which("sox") is None,
                    reason="needs espeak-ng and sox")
def test_capture_records_the_fed_speech_and_stops_by_frame_count(tmp_path: Path) -> None:
    fed = speech("Hold gently", tmp_path)
    feed = MicFeed(tmp_path, fed, lead_s=0.2)
    capture = Capture(max_seconds=1.5, env={"HOME": str(tmp_path)})
    levels = []
    try:
        assert capture.start() == "ALSA"
        while capture.running:
            levels.append(capture.level)
            time.sleep(0.05)
        recorded = capture.stop()
    finally:
        feed.stop()
    assert len(recorded) == int(1.5 * 48000)
    assert max(levels) > -40.0  # the meter saw the speech
    reference = fed.astype(np.float32) / 32768.0
    start = int(np.flatnonzero(np.abs(recorded) > 0)[0])
    first = int(np.flatnonzero(np.abs(reference) > 0)[0])
    n = min(len(recorded) - start, len(reference) - first)
    assert np.array_equal(recorded[start:start + n], reference[first:first + n])  # bit-exact


def test_a_microphone_that_cannot_open_raises_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / ".asoundrc").write_text('pcm.!default { type hw; card 7 }\n')
    with pytest.raises(AudioDeviceError, match="microphone"):
        Capture(max_seconds=0.5, env={"HOME": str(tmp_path)}, backend="alsa").start()
