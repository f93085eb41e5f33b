"""The mixer: ramps, crossfades, ceiling, pause/resume, cues and ducking, failures, cost."""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pytest

from companion.audio.mixer import CLIP_KNEE, CLIP_LIMIT, TAIL_S, Mixer
from companion.audio.soundscapes import open_builtin
from companion.errors import AudioError
from tests.audio.signals import max_step, sine

RATE = 48000
TAIL = int(TAIL_S * RATE)
#: Largest step of a 440 Hz sine at 0.37 of full scale, 48 kHz (2 pi f A / rate).
SINE_STEP = 2 * np.pi * 440 * 0.37 / RATE


class ArraySource:
    """A Source over an array; counts what has been read."""

    def __init__(self, x: np.ndarray, fail_after: int | None = None) -> None:
        self.x = np.ascontiguousarray(x, dtype=np.float32)
        self.pos = 0
        self.fail_after = fail_after
        self.closed = False

    def read(self, frames: int) -> np.ndarray:
        if self.fail_after is not None and self.pos + frames > self.fail_after:
            raise AudioError("the file ends early: decoded 1.0 s of 9.0 s", "bad.flac")
        out = self.x[self.pos:self.pos + frames]
        self.pos += len(out)
        return out

    def close(self) -> None:
        self.closed = True


def const(value_l: float, value_r: float, seconds: float = 10.0) -> ArraySource:
    n = int(seconds * RATE)
    return ArraySource(np.tile(np.array([[value_l, value_r]], dtype=np.float32), (n, 1)))


def tone(seconds: float = 10.0, amp: float = 0.37, freq: float = 440.0) -> ArraySource:
    return ArraySource(sine(freq, seconds, RATE, 2, amp))


def render(m: Mixer, seconds: float, block: int = 480) -> np.ndarray:
    n = int(round(seconds * RATE))
    out = [m.render(min(block, n - i)).copy() for i in range(0, n, block)]
    return np.concatenate(out) if out else np.zeros((0, 2), np.float32)


def kinds(events) -> list[tuple[str, str, str]]:
    return [(e.kind, e.voice_id, e.reason) for e in events]


# -- ramps ------------------------------------------------------------------------------------

def test_fade_in_is_a_linear_ramp_per_sample():
    m = Mixer()
    m.play("a", const(1.0, 1.0), gain=0.5, fade_in=0.5)
    y = render(m, 1.0)
    expected = 0.5 * np.arange(1, RATE // 2 + 1) / (RATE // 2)
    assert np.allclose(y[:RATE // 2, 0], expected, atol=1e-6)
    assert np.allclose(y[RATE // 2:, 0], 0.5)


def test_play_without_fade_still_starts_with_a_declick_ramp():
    m = Mixer()
    m.play("a", const(0.5, 0.5))
    y = render(m, 0.05)
    assert y[0, 0] < 0.5 / TAIL * 1.01 and np.allclose(y[TAIL:, 0], 0.5)
    assert max_step(y) <= 0.5 / TAIL * 1.01


def test_stop_fades_linearly_then_reports_stopped():
    m = Mixer()
    m.play("a", const(0.8, 0.8), fade_in=0.0)
    render(m, 0.1)
    m.drain_events()
    m.stop("a", fade_out=1.0)
    y = render(m, 1.2)
    assert np.allclose(y[:RATE, 0], 0.8 * (1 - np.arange(1, RATE + 1) / RATE), atol=1e-6)
    assert np.abs(y[RATE:]).max() == 0.0
    assert kinds(m.drain_events()) == [("voice_ended", "a", "stopped")]
    assert not m.has_voice("a")


def test_fade_to_ramps_from_the_current_gain():
    m = Mixer()
    m.play("a", const(1.0, 1.0), gain=1.0, fade_in=1.0)
    render(m, 0.5)                                             # mid-ramp: gain 0.5
    m.fade_to("a", 0.1, 0.2)
    y = render(m, 0.3)
    assert y[0, 0] == pytest.approx(0.5, abs=0.001)
    assert np.allclose(y[int(0.2 * RATE):, 0], 0.1)
    assert max_step(y) <= 0.4 / (0.2 * RATE) * 1.01


def test_crossfade_is_equal_power():
    m = Mixer()
    m.play("a", const(0.8, 0.0), fade_in=0.0)                  # a on the left only
    render(m, 0.1)
    m.crossfade("a", "b", const(0.0, 0.8), seconds=2.0)          # b on the right only
    y = render(m, 2.5)
    power = y[:, 0].astype(np.float64) ** 2 + y[:, 1].astype(np.float64) ** 2
    assert np.allclose(power, 0.64, atol=1e-5)
    assert y[-1, 0] == 0.0 and y[-1, 1] == pytest.approx(0.8)
    assert ("voice_ended", "a", "stopped") in kinds(m.drain_events())


def test_crossfade_to_the_same_id_replaces_the_voice():
    m = Mixer()
    m.play("music", const(0.8, 0.0))
    render(m, 0.1)
    m.crossfade("music", "music", const(0.0, 0.8), seconds=0.5)
    y = render(m, 1.0)
    assert m.voice_ids() == ["music"]
    assert y[-1, 0] == 0.0 and y[-1, 1] == pytest.approx(0.8)


# -- master and ceiling -----------------------------------------------------------------------

def test_master_ramps_linearly():
    m = Mixer()
    m.play("a", const(0.8, 0.8), fade_in=0.0)
    render(m, 0.01)
    m.set_master(0.5, ramp_s=0.1)
    y = render(m, 0.2)
    assert np.allclose(y[:4800, 0], 0.8 * (1 - 0.5 * np.arange(1, 4801) / 4800), atol=1e-6)
    assert m.master == pytest.approx(0.5)


def test_ceiling_is_never_exceeded_even_mid_ramp():
    m = Mixer()
    m.set_ceiling(0.4)
    m.play("a", const(1.0, 1.0), fade_in=0.0)
    m.set_master(1.0, ramp_s=1.0)
    y = render(m, 1.5)
    assert np.abs(y).max() <= 0.4 + 1e-7
    m.set_master(0.9, ramp_s=0.0)
    assert np.abs(render(m, 0.1)).max() <= 0.4 + 1e-7


def test_lowering_the_ceiling_brings_a_louder_master_down_smoothly():
    m = Mixer()
    m.play("a", const(1.0, 1.0), fade_in=0.0)
    render(m, 0.05)
    m.set_ceiling(0.25, ramp_s=0.02)
    y = render(m, 0.1)
    assert np.allclose(y[int(0.02 * RATE):], 0.25)
    assert max_step(y) <= 0.75 / (0.02 * RATE) * 1.01
    m.set_master(1.0, ramp_s=0.0)
    assert np.abs(render(m, 0.05)).max() <= 0.25 + 1e-7


# -- pause and resume ---------------------------------------------------------------------------

def test_pause_fades_out_without_click_and_resume_continues_from_the_same_sample():
    src = tone(20.0)
    m = Mixer()
    m.play("a", src, fade_in=0.0)
    a = render(m, 1.0)
    m.pause(0.3)
    b = render(m, 0.3)
    read_at_pause = src.pos
    silence = render(m, 2.0)
    assert np.abs(silence).max() == 0.0
    assert src.pos == read_at_pause                          # the source did not advance
    m.resume(0.3)
    c = render(m, 1.0)
    y = np.concatenate([a, b, silence, c])
    assert max_step(y) <= SINE_STEP * 1.02                   # ~0.021: no click anywhere
    # After the fade-in, the output is the tone continuing exactly where the pause left off.
    heard = int(1.3 * RATE) + int(0.3 * RATE)                 # source frames consumed by then
    x = sine(440, 20.0, RATE, 2, 0.37)
    assert np.allclose(c[int(0.3 * RATE):, 0], x[heard:heard + int(0.7 * RATE), 0], atol=1e-6)


def test_cues_still_sound_while_paused():
    m = Mixer()
    m.play("a", tone())
    render(m, 0.1)
    m.pause(0.05)
    render(m, 0.2)
    m.cue("bell", const(0.2, 0.2, 0.5))
    y = render(m, 0.3)
    assert np.abs(y).max() == pytest.approx(0.2)


# -- cues and ducking ------------------------------------------------------------------------

def test_cue_starts_on_its_exact_frame():
    m = Mixer()
    render(m, 0.1, block=480)
    at = m.frame + 12_345
    m.cue("c", ArraySource(np.full((1000, 2), 0.25, np.float32)), at_frame=at)
    y = render(m, 1.0, block=480)
    first = int(np.nonzero(y[:, 0])[0][0]) + int(0.1 * RATE)
    assert first == at
    events = m.drain_events()
    assert ("cue_started", "c", "") in kinds(events)
    assert [e.frame for e in events if e.kind == "cue_started"] == [at]


def test_withdrawn_cues_never_sound_and_the_music_comes_back_up():
    m = Mixer()
    m.play("music", const(0.5, 0.0, 20.0), fade_in=0.0)          # music on the left
    m.cue("ringing", const(0.0, 0.1, 0.5))                       # sounds now
    render(m, 0.1)
    m.cue("ahead", const(0.0, 0.3, 0.5), at_frame=m.frame + RATE // 2, duck_db=-6.0)
    render(m, 0.2)                                               # the music dips for it
    m.withdraw_cues()
    y = render(m, 1.5)
    assert np.abs(y[:, 1]).max() == pytest.approx(0.1)           # the sent-ahead cue is gone
    assert np.allclose(y[-int(0.5 * RATE):, 0], 0.5)             # the dip for it is undone
    assert ("cue_ended", "ahead", "stopped") in kinds(m.drain_events())


def test_music_is_ducked_smoothly_while_a_cue_sounds():
    m = Mixer()
    m.play("music", const(0.5, 0.0, 20.0), fade_in=0.0)          # music on the left
    render(m, 0.5)
    start = m.frame + RATE                                    # a second ahead
    m.cue("bell", const(0.0, 0.1, 1.0), at_frame=start, duck_db=-6.0, duck_ramp_s=0.15)
    y = render(m, 3.0)
    left = y[:, 0].astype(np.float64)
    cue_at = start - int(0.5 * RATE)
    ducked = 0.5 * 10 ** (-6 / 20)
    assert np.allclose(left[cue_at:cue_at + RATE], ducked, atol=1e-6)  # down when the cue starts
    assert np.allclose(left[:cue_at - int(0.2 * RATE)], 0.5)
    assert np.allclose(left[-int(0.5 * RATE):], 0.5)                  # back after the cue
    assert max_step(left) <= (0.5 - ducked) / (0.15 * RATE) * 1.01   # a ramp, no step
    assert [k for k in kinds(m.drain_events()) if k[0] == "cue_ended"] == [
        ("cue_ended", "bell", "end")]


def test_builtin_bell_over_a_soundscape_stays_under_full_scale():
    m = Mixer()
    m.play("pad", open_builtin("warm-pad", seed=1), fade_in=1.0)
    m.cue("bell", open_builtin("soft-bell"), at_frame=RATE, duck_db=-4)
    y = render(m, 6.0)
    assert np.abs(y).max() < 0.5 and max_step(y) < 0.05


# -- endings and failures -------------------------------------------------------------------

def test_a_source_ending_mid_waveform_is_faded_not_cut():
    x = np.full((RATE // 2, 2), 0.6, np.float32)                # ends at 0.6: would click
    m = Mixer()
    m.play("a", ArraySource(x), fade_in=0.0)
    y = render(m, 1.0)
    assert max_step(y) <= 0.6 / TAIL * 1.05
    assert np.abs(y[RATE // 2:]).max() == 0.0
    assert ("voice_ended", "a", "end") in kinds(m.drain_events())


def test_a_failing_source_is_faded_out_and_reported_never_raised():
    bad = ArraySource(sine(440, 5.0, RATE, 2, 0.37), fail_after=RATE)
    m = Mixer()
    m.play("a", bad, fade_in=0.0)
    m.play("b", const(0.0, 0.1))
    y = render(m, 1.5)
    assert max_step(y[:, 0]) <= SINE_STEP * 1.5
    assert np.abs(y[RATE + TAIL:, 0]).max() == 0.0           # silent within 5 ms of the end
    assert np.allclose(y[RATE:, 1], 0.1)                        # the other voice plays on
    ended = [e for e in m.drain_events() if e.kind == "voice_ended"]
    assert [(e.voice_id, e.reason) for e in ended] == [("a", "failed")]
    assert "ends early" in ended[0].error and bad.closed


def test_a_source_failing_at_once_is_reported():
    m = Mixer()
    m.play("a", ArraySource(np.zeros((10, 2)), fail_after=0))
    y = render(m, 0.1)
    assert np.abs(y).max() == 0.0
    assert ("voice_ended", "a", "failed") in kinds(m.drain_events())


def test_enqueue_joins_sources_sample_exactly():
    x = sine(440, 1.0, RATE, 2, 0.37).astype(np.float32)
    cut = 20_011
    m = Mixer()
    m.play("a", ArraySource(x[:cut]), declick=False)
    m.enqueue("a", ArraySource(x[cut:]))
    y = render(m, 1.1)
    assert np.array_equal(y[:RATE - TAIL], x[:RATE - TAIL])      # the very end is de-clicked
    events = [(e.kind, e.reason, e.frame) for e in m.drain_events()]
    assert events == [("voice_started", "", 0), ("voice_ended", "end", cut),
                      ("voice_started", "", cut), ("voice_ended", "end", RATE - RATE % 480)]


def test_replacing_a_voice_reports_the_old_one_stopped():
    m = Mixer()
    m.play("a", tone())
    render(m, 0.1)
    m.play("a", tone(), fade_in=0.5)
    render(m, 0.2)
    assert kinds(m.drain_events()) == [("voice_started", "a", ""), ("voice_started", "a", ""),
                                       ("voice_ended", "a", "stopped")]


# -- output safety and cost ----------------------------------------------------------------------

def test_clip_guard_is_transparent_below_the_knee_and_never_reaches_full_scale():
    m = Mixer()
    m.play("a", const(0.8, 0.8), fade_in=0.0)
    quiet = render(m, 0.05)
    assert np.allclose(quiet[TAIL:], 0.8)
    for i in range(3):
        m.play(f"loud{i}", const(0.9, -0.9), fade_in=0.0)
    loud = render(m, 0.1)
    assert CLIP_KNEE < np.abs(loud).max() <= CLIP_LIMIT


def test_render_reuses_its_buffers():
    m = Mixer()
    m.play("a", tone(60.0))
    m.play("b", tone(60.0, freq=660.0))
    render(m, 0.2)
    tracemalloc.start()
    for _ in range(500):
        m.render(480)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 64_000                                       # no per-block large arrays


def test_a_480_frame_block_with_two_voices_and_a_cue_costs_well_under_a_millisecond():
    m = Mixer()
    m.play("a", tone(60.0), fade_in=2.0)
    m.play("b", tone(60.0, freq=660.0), gain=0.5)
    m.set_master(0.7, ramp_s=5.0)
    blocks = 1000
    start = time.perf_counter()
    for i in range(blocks):
        if i % 150 == 0:
            m.cue("c", tone(2.0, 0.2, 880.0), gain=0.5, duck_db=-6)
        m.render(480)
    per_block = (time.perf_counter() - start) / blocks
    print(f"mixer: {per_block * 1e6:.0f} us per 480-frame block (2 voices + cue, ramps)")
    assert per_block < 1e-3


def test_a_source_returning_malformed_blocks_counts_as_failed():
    class Mono:
        def read(self, frames):
            return np.zeros(frames, np.float32)           # 1-D: not (n, 2)

    m = Mixer()
    m.play("a", Mono())
    render(m, 0.05)
    assert ("voice_ended", "a", "failed") in kinds(m.drain_events())


def test_render_of_zero_frames_is_empty():
    m = Mixer()
    assert m.render(0).shape == (0, 2) and m.frame == 0


def test_music_filter_sees_the_music_before_cues_on_every_block():
    m = Mixer(RATE)
    seen: list[tuple[int, int, float]] = []

    def swap_ears(block, frame):  # a filter that keeps time by the sample clock
        seen.append((frame, len(block), float(np.abs(block).max())))
        block[:] = block[:, ::-1]

    music = sine(440, 1.0, RATE, 2, 0.3)
    music[:, 1] = 0.0  # left ear only
    m.play("music", ArraySource(music), declick=False)
    m.cue("c", ArraySource(np.full((480, 2), 0.1, dtype=np.float32)), at_frame=960)
    m.set_music_filter(swap_ears)
    x = np.concatenate([m.render(480).copy() for _ in range(4)])
    assert [(f, n) for f, n, _ in seen] == [(0, 480), (480, 480), (960, 480), (1440, 480)]
    assert np.abs(x[:960, 0]).max() == 0 and np.abs(x[:960, 1]).max() > 0.2, "the music swapped"
    assert np.allclose(x[960:1440 - TAIL, 0], 0.1), "the cue is not filtered"
    m.pause(0.001)
    m.render(480)
    m.render(480)
    assert seen[-1][0] == 2400 and seen[-1][2] == 0.0, "paused: still called, with silence"
    m.set_music_filter(None)
    m.render(480)
    assert len(seen) == 6
