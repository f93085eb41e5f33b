"""A built-in sound as a Source: read in any sizes, the same samples; soft starts and ends."""

from __future__ import annotations

import numpy as np

from companion.audio.soundscapes.synth import HOP, RATE, Voice, smooth_fade

#: Soundscapes always start with this fade from silence, whatever the caller's fade.
START_FADE_S = 1.0
#: A soundscape given a length fades out over its last END_FADE_S seconds.
END_FADE_S = 2.0


class Builtin:
    """A built-in sound as a Source: read(frames) -> (n, 2) float32 at 48 kHz.

    Rendering happens in chunks of HOP frames (deterministic per seed and chunk index, so the
    result does not depend on how callers slice their reads).
    """

    rate: int = RATE

    def __init__(self, name: str, voice: Voice, seconds: float | None, start_at_s: float,
                 loop: bool) -> None:
        self.name = name
        self._voice = voice
        self.frames_read = 0
        self._start = int(round(max(0.0, start_at_s) * RATE))
        natural = voice.frames
        if natural is not None and not loop:
            avail = max(0, natural - self._start) if natural else 0
            total = avail if seconds is None else min(avail, int(round(seconds * RATE)))
        else:
            total = None if seconds is None else int(round(seconds * RATE))
        self._total = total
        self.seconds: float | None = None if total is None else total / RATE
        self._loop_len = natural if loop and natural else None
        self._cut = natural is None or (total is not None and total < (natural or 0) - self._start)
        self._buf = np.zeros((0, 2), dtype=np.float32)
        self._buf_at = 0            # absolute (voice-time) frame of _buf[0]
        self._closed = False

    def _chunk_at(self, t: int) -> None:
        k = t // HOP
        self._buf = self._voice.chunk(k)
        self._buf_at = k * HOP

    def read(self, frames: int) -> np.ndarray:
        """The next `frames` frames (fewer only at the end of a cue or of `seconds`)."""
        if self._closed:
            return np.zeros((0, 2), dtype=np.float32)
        if self._total is not None:
            frames = max(0, min(frames, self._total - self.frames_read))
        out = np.empty((frames, 2), dtype=np.float32)
        done = 0
        while done < frames:
            t = self._start + self.frames_read + done
            if self._loop_len:
                t %= self._loop_len
            if not self._buf_at <= t < self._buf_at + len(self._buf):
                self._chunk_at(t)
            i = t - self._buf_at
            k = min(frames - done, len(self._buf) - i)
            if self._loop_len:
                k = min(k, self._loop_len - t)
            out[done:done + k] = self._buf[i:i + k]
            done += k
        self._envelope(out)
        self.frames_read += frames
        return out

    def _envelope(self, out: np.ndarray) -> None:
        """Soft start for endless sounds, soft end wherever a length cuts a sound short."""
        n = len(out)
        pos = self.frames_read
        if self._voice.frames is None or self._start > 0:
            fade = int(START_FADE_S * RATE)
            if pos < fade:
                k = min(n, fade - pos)
                out[:k] *= smooth_fade((pos + np.arange(k)) / fade)[:, None]
        if self._total is not None and self._cut:
            fade = min(int(END_FADE_S * RATE), self._total // 3)
            begin = self._total - fade
            if pos + n > begin and fade > 0:
                j = max(0, begin - pos)
                x = (pos + np.arange(j, n) - begin) / fade
                out[j:] *= smooth_fade(1.0 - x)[:, None]

    def close(self) -> None:
        """Nothing to release; later reads return no frames."""
        self._closed = True
