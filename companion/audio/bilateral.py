"""Bilateral sound for the mixer: tones, clicks or a sample alternating between the ears, or the music swayed.

Everything is timed by one phase accumulator on the sample clock (`PassClock`): the phase
counts passes (one pass = the sound on one side; a cycle = left then right), and pass k
begins on the first sample whose phase reaches k. A speed change moves the rate of the
phase, never the phase itself, so the sound continues from where it is (no jump, no
click), and every onset still falls on its exact sample. Sources report their onsets
(frame, pass number, side) so the pass counter is read from the sample clock too.

- `BilateralSource` is a mixer source (`read(frames)`): each pass sounds a note (a soft
  tone with raised-cosine attack and release, a soft click, or the clinician's sample) on
  its side (hard alternation), or a sound that glides between the ears along an
  equal-power curve (smooth panning). After the last pass the last note eases out; it
  never stops mid-tone. `stop()` fades out at once, softly.
- `MusicSway` pans the music bus itself (a mixer music filter): its middle (L+R)/2 moves
  between the ears at a depth of 0-1 along the equal-power law, so the loudness holds
  steady; it starts and ends in the centre.

Pure NumPy, no allocation beyond block-sized temporaries: it runs in the audio callback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from companion.audio.protocol import Bls

RATE = 48000
MIN_SPEED, MAX_SPEED = 0.2, 2.0
"""Cycles per second (one cycle = left then right)."""
SIDES = ("left", "right")
PANS = ("hard", "smooth")
DEFAULT_HZ = 500.0
LEVEL = 0.5
"""Peak level of a note inside the source (the mixer's gain and master come on top)."""
#: Integrated loudness (LUFS, BS.1770) of a set at gain 0 dB, measured over 12 s
#: (tests/audio/test_gain_structure.py measures them again): the reference a session levels
#: the BLS sound from. Speed and pitch change it by under 0.2 LU.
REFERENCE_LUFS = {("tone", "hard"): -13.6, ("tone", "smooth"): -9.8,
                  ("click", "hard"): -30.2, ("click", "smooth"): -30.2}
STOP_FADE_S = 0.06
"""`stop()`: immediate, but a fade this long so it never clicks."""
TONE_MAX_S = 0.25
TONE_ATTACK_S = 0.015
TONE_RELEASE_S = 0.06
NOTE_SHARE = 0.6
"""A note lasts at most this share of a pass at the speed it starts with."""
SMOOTH_FADE_S = 0.15
SMOOTH_RELEASE_S = 0.4
SAMPLE_MAX_S = 2.0
SWAY_STOP_S = 0.5


def clamp_speed(speed: float) -> float:
    """`speed` held within MIN_SPEED..MAX_SPEED cycles per second."""
    return min(MAX_SPEED, max(MIN_SPEED, float(speed)))


@dataclass(frozen=True)
class Onset:
    """A pass beginning on the sample clock: source-relative frame, 1-based number, side."""

    frame: int
    number: int
    side: str


class PassClock:
    """The phase accumulator: phase (in passes) at every frame, speed changes without a jump.

    Phase at frame j is `anchor_phase + (j - anchor_frame) * passes_per_frame`; a speed
    change re-anchors at the frame it takes effect, so the phase is continuous. Pass k
    (0-based) begins on the first frame whose phase reaches k.
    """

    def __init__(self, speed: float, rate: int = RATE, first_phase: float = 0.0,
                 passes: int | None = None, limit_frames: int | None = None) -> None:
        self.rate = rate
        self.speed = clamp_speed(speed)
        self.anchor_frame = 0
        self.anchor_phase = float(first_phase)
        self.passes = passes
        self.limit_frames = limit_frames
        self.next_pass = max(0, math.ceil(first_phase - 1e-9))
        self.closed = False
        """No more onsets (stopped, or the last pass has begun)."""

    @property
    def per_frame(self) -> float:
        """Passes per frame (two per cycle)."""
        return 2.0 * self.speed / self.rate

    def phase_at(self, frame: int) -> float:
        """The phase at `frame`."""
        return self.anchor_phase + (frame - self.anchor_frame) * self.per_frame

    def phases(self, start: int, n: int, out: np.ndarray) -> np.ndarray:
        """Phases of frames start..start+n into `out[:n]` (float64)."""
        x = out[:n]
        x[:] = np.arange(start - self.anchor_frame, start - self.anchor_frame + n)
        x *= self.per_frame
        x += self.anchor_phase
        return x

    def set_speed(self, speed: float, frame: int) -> None:
        """From `frame` on, move at `speed` cycles/s, continuing from the phase there."""
        self.anchor_phase = self.phase_at(frame)
        self.anchor_frame = frame
        self.speed = clamp_speed(speed)

    def frame_of(self, k: int) -> int:
        """The frame on which pass k begins at the current speed."""
        exact = self.anchor_frame + (k - self.anchor_phase) * self.rate / (2.0 * self.speed)
        return math.ceil(exact - 1e-6)

    def onsets(self, start: int, n: int) -> list[tuple[int, int]]:
        """(frame, 0-based pass) of the passes beginning in start..start+n, counted once."""
        found = []
        while not self.closed:
            k = self.next_pass
            if self.passes is not None and k >= self.passes:
                self.closed = True
                break
            at = max(start, self.frame_of(k))
            if self.limit_frames is not None and at >= self.limit_frames:
                self.closed = True
                break
            if at >= start + n:
                break
            found.append((at, k))
            self.next_pass = k + 1
        return found

    def last_pass_done(self) -> bool:
        """Whether the set's last pass has begun (its sound may still be easing out)."""
        if self.passes is not None and self.next_pass >= self.passes:
            return True
        return self.closed


@dataclass
class _Note:
    """One pass's sound: from `start` for `length` frames, with its envelope."""

    start: int
    side: int
    length: int
    attack: int
    release: int
    wave: np.ndarray | None  # mono samples, or None for a sine at `hz`
    hz: float = DEFAULT_HZ


def soft_click(rate: int = RATE) -> np.ndarray:
    """A soft click: 12 ms of a low 900 Hz and a quiet 2.2 kHz under a sine-squared window."""
    n = int(0.012 * rate)
    t = np.arange(n) / rate
    window = np.sin(np.pi * (np.arange(n) + 0.5) / n) ** 2
    wave = 0.8 * np.sin(2 * np.pi * 900 * t) + 0.2 * np.sin(2 * np.pi * 2200 * t)
    return (window * wave).astype(np.float32)


def _raised(x: np.ndarray) -> np.ndarray:
    """0..1 ramps (x in 0..1) bent to a raised cosine: no corner at either end."""
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0.0, 1.0))


class _Passing:
    """What both kinds share: the pass clock, the soft stop and the onset reports."""

    def __init__(self, clock: PassClock, rate: int) -> None:
        self.rate = rate
        self.clock = clock
        self.pos = 0
        """Frames produced so far (source-relative sample clock)."""
        self.stop_at: int | None = None
        self.stop_len = 1
        self.reason = ""
        """"end" (the set ran its length) or "stopped", once finished."""
        self.finished = False
        self._onsets: list[Onset] = []
        self._phase_buf = np.zeros(8192)

    def set_speed(self, speed: float) -> None:
        """Continue at `speed` cycles/s from the very next sample, with no jump."""
        if not self.clock.closed:
            self.clock.set_speed(speed, self.pos)

    def stop(self, fade_s: float = STOP_FADE_S) -> None:
        """Stop at once (no further passes), fading out over `fade_s` so nothing clicks."""
        if self.stop_at is None and not self.finished:
            self.stop_at, self.stop_len = self.pos, max(1, int(fade_s * self.rate))
            self.clock.closed = True
            self.reason = "stopped"

    @property
    def passes_done(self) -> int:
        """Passes begun so far."""
        return self.clock.next_pass

    def drain_onsets(self) -> list[Onset]:
        """Onsets rendered since the last call, in order."""
        onsets, self._onsets = self._onsets, []
        return onsets

    def _take_onsets(self, start: int, n: int) -> list[tuple[int, int]]:
        found = self.clock.onsets(start, n)
        self._onsets.extend(Onset(f, k + 1, SIDES[k % 2]) for f, k in found)
        return found

    def _phases(self, start: int, n: int) -> np.ndarray:
        if n > len(self._phase_buf):
            self._phase_buf = np.zeros(n)
        return self.clock.phases(start, n, self._phase_buf).copy()

    def stop_gain(self, start: int, n: int) -> np.ndarray | None:
        """1 -> 0 over the stop fade (None when not stopping)."""
        if self.stop_at is None:
            return None
        x = (np.arange(start, start + n) - self.stop_at) / self.stop_len
        return 1.0 - _raised(x)


class BilateralSource(_Passing):
    """A mixer source: one note per pass on its side (hard) or a sound gliding between ears (smooth)."""

    def __init__(self, *, sound: str = "tone", pan: str = "hard", speed: float = 1.0,
                 passes: int | None = 24, seconds: float | None = None, hz: float = DEFAULT_HZ,
                 sample: np.ndarray | None = None, rate: int = RATE) -> None:
        """`passes` / `seconds`: the set's length (both None: until stopped); `sample`: mono
        float samples at `rate` for sound "sample"."""
        if sound not in ("tone", "click", "sample"):
            raise ValueError(f"unknown bilateral sound {sound!r}")
        if pan not in PANS:
            raise ValueError(f"unknown pan {pan!r} (hard or smooth)")
        if sound == "sample" and (sample is None or len(sample) == 0):
            raise ValueError("a sample sound needs samples")
        self.sound, self.pan, self.hz = sound, pan, float(hz)
        limit = int(round(seconds * rate)) if seconds is not None else None
        super().__init__(PassClock(speed, rate, 0.0, passes, limit), rate)
        self.notes: list[_Note] = []
        self._click = soft_click(rate) if sound == "click" else None
        self._sample = None
        if sample is not None:
            self._sample = np.asarray(sample, dtype=np.float32)[:int(SAMPLE_MAX_S * rate)]
        self._osc = 0.0            # smooth tone: the running sine phase (radians)
        self._end_at: int | None = None  # smooth: where the release begins

    # -- rendering ---------------------------------------------------------------------------
    def _note_for(self, frame: int, k: int) -> _Note:
        pass_frames = self.rate / (2.0 * self.clock.speed)
        room = int(NOTE_SHARE * pass_frames)
        side = k % 2
        if self.sound == "tone":
            length = min(int(TONE_MAX_S * self.rate), room)
            attack = min(int(TONE_ATTACK_S * self.rate), length // 3)
            release = min(int(TONE_RELEASE_S * self.rate), length // 2)
            return _Note(frame, side, length, attack, release, None, self.hz)
        wave = self._click if self.sound == "click" else self._sample
        assert wave is not None
        length = min(len(wave), max(room, 1))
        if self.sound == "click":  # its own window already starts and ends at zero
            return _Note(frame, side, length, 1, 1, wave)
        # A recording may begin or end abruptly, or be cut to fit the pass: soften both ends.
        release = int((0.02 if length < len(wave) else 0.005) * self.rate)
        return _Note(frame, side, length, min(int(0.002 * self.rate), length // 4),
                     min(release, length // 2), wave)

    def read(self, frames: int) -> np.ndarray:
        """The next `frames` frames (fewer once the set has eased out or the stop fade ended)."""
        n = int(frames)
        start = self.pos
        out = np.zeros((n, 2), dtype=np.float32)
        if self.finished or n <= 0:
            return out[:0]
        for frame, k in self._take_onsets(start, n):
            if self.pan == "hard" or self.sound != "tone":
                self.notes.append(self._note_for(frame, k))
        if self.pan == "smooth":
            self._render_smooth(out, start, n)
        else:
            for note in self.notes:
                self._render_note(note, out[:, note.side], start, n)
        gain = self.stop_gain(start, n)
        if gain is not None:
            out *= gain[:, None]
        end = self._end_frame(start, n)
        self.pos = start + n
        if end is not None:
            self.finished = True
            self.reason = self.reason or "end"
            return out[:max(0, end - start)]
        self.notes = [nt for nt in self.notes if nt.start + nt.length > self.pos]
        return out

    def _end_frame(self, start: int, n: int) -> int | None:
        """The frame after the set's last sound, if it falls within this block."""
        if self.stop_at is not None:
            end = self.stop_at + self.stop_len
            return end if end <= start + n else None
        if not self.clock.last_pass_done():
            return None
        if self.pan == "smooth" and self.sound == "tone":
            assert self._end_at is not None
            end = self._end_at + int(SMOOTH_RELEASE_S * self.rate)
        else:
            end = max((nt.start + nt.length for nt in self.notes), default=start)
        return end if end <= start + n else None

    def _envelope(self, note: _Note, t: np.ndarray) -> np.ndarray:
        env = np.ones(len(t))
        if note.attack > 1:
            env *= _raised(t / note.attack)
        if note.release > 1:
            env *= _raised((note.length - t) / note.release)
        return env

    def _note_wave(self, note: _Note, start: int, n: int) -> tuple[int, np.ndarray] | None:
        """(offset in block, samples) of `note` within frames start..start+n."""
        a = max(note.start, start)
        b = min(note.start + note.length, start + n)
        if b <= a:
            return None
        t = np.arange(a - note.start, b - note.start, dtype=np.float64)
        if note.wave is None:
            wave = LEVEL * np.sin(2 * np.pi * note.hz * t / self.rate)
        else:
            wave = LEVEL * note.wave[a - note.start:b - note.start].astype(np.float64)
        return a - start, wave * self._envelope(note, t)

    def _render_note(self, note: _Note, channel: np.ndarray, start: int, n: int) -> None:
        got = self._note_wave(note, start, n)
        if got is not None:
            off, wave = got
            channel[off:off + len(wave)] += wave

    def _pan_gains(self, start: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Equal-power gains (left, right) along the smooth curve: full left at even passes."""
        phase = self._phases(start, n)
        if self.clock.last_pass_done() and self._end_at is not None:
            # After the last pass the sound rests at that side while it eases out.
            np.minimum(phase, self.clock.phase_at(self._end_at), out=phase)
        theta = (1.0 - np.cos(np.pi * phase)) * (np.pi / 4)
        return np.cos(theta), np.sin(theta)

    def _render_smooth(self, out: np.ndarray, start: int, n: int) -> None:
        if self.clock.last_pass_done() and self._end_at is None:
            last = self.clock.next_pass - 1
            self._end_at = max(start, self.clock.frame_of(last)) if last >= 0 else start
        left, right = self._pan_gains(start, n)
        if self.sound == "tone":
            t = np.arange(n, dtype=np.float64)
            step = 2 * np.pi * self.hz / self.rate
            mono = LEVEL * np.sin(self._osc + step * t)
            self._osc = (self._osc + step * n) % (2 * np.pi)
            frames = np.arange(start, start + n)
            env = _raised(frames / (SMOOTH_FADE_S * self.rate))
            if self._end_at is not None:
                env *= 1.0 - _raised((frames - self._end_at) / (SMOOTH_RELEASE_S * self.rate))
            mono *= env
        else:
            mono = np.zeros(n)
            for note in self.notes:
                got = self._note_wave(note, start, n)
                if got is not None:
                    off, wave = got
                    mono[off:off + len(wave)] += wave
        # Equal power: sqrt(2) keeps a centred sound as loud as in one ear at full level.
        out[:, 0] += mono * left
        out[:, 1] += mono * right

    def close(self) -> None:
        """Nothing to release (the mixer calls this when the voice ends)."""


class MusicSway(_Passing):
    """A mixer music filter: the music's middle moves between the ears, loudness held (equal power).

    Starts in the centre heading left; pass k is the music at its side k (left first); after
    the last pass it glides back to the centre and ends. `stop()` eases the depth to zero.
    """

    def __init__(self, *, depth: float = 0.6, speed: float = 1.0, passes: int | None = 24,
                 seconds: float | None = None, rate: int = RATE) -> None:
        self.depth = min(1.0, max(0.0, float(depth)))
        limit = int(round(seconds * rate)) if seconds is not None else None
        # Phase -0.5 is the centre (x = -cos(pi * phase) = 0): the sway begins without a jump.
        super().__init__(PassClock(speed, rate, -0.5, passes, limit), rate)
        self.start_frame = 0
        """The mixer frame of source frame 0 (set by whoever installs the filter)."""
        self._end_phase: float | None = None

    def stop(self, fade_s: float = SWAY_STOP_S) -> None:
        """Ease the sway back to the centre over `fade_s` (no further passes)."""
        super().stop(fade_s)

    def gains(self, start: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Equal-power (left, right) gains for source frames start..start+n (1, 1 = centre)."""
        phase = self._phases(start, n)
        if self._end_phase is not None:
            np.minimum(phase, self._end_phase, out=phase)
        x = -self.depth * np.cos(np.pi * phase)
        stop = self.stop_gain(start, n)
        if stop is not None:
            x *= stop
        theta = (x + 1.0) * (np.pi / 4)
        return math.sqrt(2) * np.cos(theta), math.sqrt(2) * np.sin(theta)

    def __call__(self, music: np.ndarray, frame: int) -> None:
        """Pan `music` (the mixer's music bus for the block beginning at mixer `frame`) in place."""
        n = len(music)
        start = frame - self.start_frame
        if self.finished or start + n <= 0:
            return
        skip = max(0, -start)
        start, block = start + skip, music[skip:]
        n = len(block)
        self._take_onsets(start, n)
        if self.clock.last_pass_done() and self._end_phase is None and self.stop_at is None:
            # Glide on to the centre after the last side, then end there.
            self._end_phase = self.clock.next_pass - 0.5
        left, right = self.gains(start, n)
        mid = (block[:, 0] + block[:, 1]) * 0.5
        side = (block[:, 0] - block[:, 1]) * 0.5
        block[:, 0] = mid * left + side
        block[:, 1] = mid * right - side
        self.pos = start + n
        if self.stop_at is not None and self.pos >= self.stop_at + self.stop_len:
            self.finished = True
        elif self._end_phase is not None and self.clock.phase_at(self.pos) >= self._end_phase:
            self.finished, self.reason = True, "end"


def load_sample(path: str, rate: int = RATE) -> np.ndarray:
    """The first SAMPLE_MAX_S seconds of an audio file as mono float32 (decodes: not in the callback)."""
    from companion.audio.decode import SourceSpec, open_source

    source = open_source(SourceSpec(file=path, seconds=SAMPLE_MAX_S))
    try:
        data = source.read(int(SAMPLE_MAX_S * rate))
    finally:
        source.close()
    mono = data.mean(axis=1).astype(np.float32) if len(data) else np.zeros(0, np.float32)
    # Normalise to the tone's peak, so a quiet or loud recording sits at the same level.
    peak = float(np.max(np.abs(mono))) if len(mono) else 0.0
    return mono / peak if peak > 0 else mono


def open_bilateral(command: Bls, rate: int = RATE) -> BilateralSource | MusicSway:
    """The sound an engine `Bls` command asks for: sound (tone, click, music, or a file), pan,
    speed, passes / seconds, hz, depth. Decodes a sample file, so call it off the audio callback."""
    sound = command.sound
    common = dict(speed=command.speed, passes=command.passes, seconds=command.seconds, rate=rate)
    if sound == "music":
        return MusicSway(depth=command.depth, **common)
    sample = None
    if sound not in ("tone", "click"):
        sample = load_sample(command.file or sound, rate)
        sound = "sample"
    return BilateralSource(sound=sound, pan=command.pan, hz=command.hz, sample=sample, **common)
