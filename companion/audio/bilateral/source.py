"""The bilateral source: a note per pass on its side, or one sound gliding between the ears."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from companion.audio.bilateral.clock import RATE, PassClock
from companion.audio.bilateral.passing import Passing, raised

PANS = ("hard", "smooth")
DEFAULT_HZ = 500.0
LEVEL = 0.5
"""Peak level of a note inside the source (the mixer's gain and master come on top)."""
#: Integrated loudness (LUFS, BS.1770) of a set at gain 0 dB, measured over 12 s
#: (tests/audio/test_gain_structure.py measures them again): the reference a session levels
#: the BLS sound from. Speed and pitch change it by under 0.2 LU.
REFERENCE_LUFS = {("tone", "hard"): -13.6, ("tone", "smooth"): -9.8,
                  ("click", "hard"): -30.2, ("click", "smooth"): -30.2}
TONE_MAX_S = 0.25
TONE_ATTACK_S = 0.015
TONE_RELEASE_S = 0.06
NOTE_SHARE = 0.6
"""A note lasts at most this share of a pass at the speed it starts with."""
SMOOTH_FADE_S = 0.15
SMOOTH_RELEASE_S = 0.4
SAMPLE_MAX_S = 2.0


@dataclass
class Note:
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


class BilateralSource(Passing):
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
        self.notes: list[Note] = []
        self._click = soft_click(rate) if sound == "click" else None
        self._sample = None
        if sample is not None:
            self._sample = np.asarray(sample, dtype=np.float32)[:int(SAMPLE_MAX_S * rate)]
        self._osc = 0.0            # smooth tone: the running sine phase (radians)
        self._end_at: int | None = None  # smooth: where the release begins

    # -- rendering ---------------------------------------------------------------------------
    def _note_for(self, frame: int, k: int) -> Note:
        pass_frames = self.rate / (2.0 * self.clock.speed)
        room = int(NOTE_SHARE * pass_frames)
        side = k % 2
        if self.sound == "tone":
            length = min(int(TONE_MAX_S * self.rate), room)
            attack = min(int(TONE_ATTACK_S * self.rate), length // 3)
            release = min(int(TONE_RELEASE_S * self.rate), length // 2)
            return Note(frame, side, length, attack, release, None, self.hz)
        wave = self._click if self.sound == "click" else self._sample
        assert wave is not None
        length = min(len(wave), max(room, 1))
        if self.sound == "click":  # its own window already starts and ends at zero
            return Note(frame, side, length, 1, 1, wave)
        # A recording may begin or end abruptly, or be cut to fit the pass: soften both ends.
        release = int((0.02 if length < len(wave) else 0.005) * self.rate)
        return Note(frame, side, length, min(int(0.002 * self.rate), length // 4),
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

    def _envelope(self, note: Note, t: np.ndarray) -> np.ndarray:
        env = np.ones(len(t))
        if note.attack > 1:
            env *= raised(t / note.attack)
        if note.release > 1:
            env *= raised((note.length - t) / note.release)
        return env

    def _note_wave(self, note: Note, start: int, n: int) -> tuple[int, np.ndarray] | None:
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

    def _render_note(self, note: Note, channel: np.ndarray, start: int, n: int) -> None:
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
            env = raised(frames / (SMOOTH_FADE_S * self.rate))
            if self._end_at is not None:
                env *= 1.0 - raised((frames - self._end_at) / (SMOOTH_RELEASE_S * self.rate))
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
