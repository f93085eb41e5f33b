"""The pull mixer: voices with gain ramps, crossfades, cues with ducking, pause and a ceiling.

See the package docstring for what it guarantees.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from companion.audio.mixer.clip import soft_clip
from companion.audio.mixer.ramp import Ramp
from companion.audio.mixer.voice import MixerEvent, Readable, Voice, close_quietly

RATE = 48000
#: Look-ahead kept per voice so an abrupt end, stop or failure can still be faded out.
TAIL_S = 0.005

MusicFilter = Callable[[np.ndarray, int], None]
"""Changes the music bus in place: (block of music, mixer frame of its first sample)."""


class Mixer:
    """Mixes music voices and cue voices into float32 stereo blocks, pulled by the device.

    Not thread-safe: call everything from the thread that renders (the engine drains its
    command queue at the start of each block).
    """

    def __init__(self, rate: int = RATE) -> None:
        """A silent mixer at `rate` Hz, master gain 1.0, ceiling 1.0, not paused."""
        self.rate = rate
        self._frame = 0
        self._tail = max(1, int(round(TAIL_S * rate)))
        self._voices: dict[str, Voice] = {}
        self._cues: dict[str, Voice] = {}
        self._events: list[MixerEvent] = []
        self._master_ramp = Ramp(1.0)
        self._ceiling_ramp = Ramp(1.0)
        self._ceiling = 1.0
        self._pause_ramp = Ramp(1.0)
        self._paused = False
        self._frozen = False         # paused and fully faded: music sources do not advance
        self._duck_ramp = Ramp(1.0)
        self._duck_ramp_frames = int(0.15 * rate)
        self._retired = 0
        self._music_filter: MusicFilter | None = None
        self._alloc(4096)

    def _alloc(self, n: int) -> None:
        self._cap = n
        self._idx = np.arange(1, n + 1, dtype=np.float32)
        self._out = np.zeros((n, 2), dtype=np.float32)
        self._music = np.zeros((n, 2), dtype=np.float32)
        self._scratch = np.zeros((n, 2), dtype=np.float32)
        self._g = np.zeros(n, dtype=np.float32)
        self._g2 = np.zeros(n, dtype=np.float32)
        self._abs = np.zeros((n, 2), dtype=np.float32)

    def _frames(self, seconds: float) -> int:
        return max(0, int(round(seconds * self.rate)))

    # -- the sample clock -------------------------------------------------------------
    @property
    def frame(self) -> int:
        """Frames rendered so far: the frame index of the first sample of the next block."""
        return self._frame

    # -- music voices ------------------------------------------------------------------
    def _retire(self, voices: dict[str, Voice], voice_id: str, seconds: float,
                shape: str = "linear") -> None:
        """Fade out the voice under `voice_id` and move it out of the way of a new one."""
        v = voices.pop(voice_id, None)
        if v is None:
            return
        if not v.started or (self._frozen and not v.cue):
            self._end(v, "stopped")
            return
        v.stopping = True
        v.ramp.set(0.0, max(self._tail, self._frames(seconds)), shape)
        self._retired += 1
        voices[f"{voice_id}\x00{self._retired}"] = v

    def _start_frame(self, at_frame: int | None) -> int:
        return self._frame if at_frame is None else max(self._frame, int(at_frame))

    def play(self, voice_id: str, source: Readable, gain: float = 1.0, fade_in: float = 0.0,
             at_frame: int | None = None, declick: bool = True) -> None:
        """Start `source` as voice `voice_id` at `gain` (linear), fading in over `fade_in` s.

        at_frame: absolute mixer frame to start on (None or a past frame: the next block's
        first sample). A voice already playing under that id is faded out over TAIL_S
        (reported as voice_ended, reason "stopped"). With fade_in=0 the start still gets a
        TAIL_S de-click ramp unless declick=False (for sample-exact joins; see `enqueue`).
        """
        self._retire(self._voices, voice_id, TAIL_S)
        v = Voice(voice_id, source, 0.0, self._start_frame(at_frame), False, self._tail)
        frames = self._frames(fade_in)
        if frames == 0 and declick:
            frames = self._tail
        v.ramp.set(gain, frames)
        self._voices[voice_id] = v

    def enqueue(self, voice_id: str, source: Readable) -> None:
        """Play `source` on `voice_id` on the sample after its current source ends (gapless).

        No fade and no gap: sample-exact concatenation. At the join it emits voice_ended
        (reason "end") for the finished source, then voice_started for the next one, both
        with frame = the first frame of the new source; the voice id stays in use throughout.
        If the voice is not playing, behaves like play().
        """
        v = self._voices.get(voice_id)
        if v is None or v.source_done:
            self.play(voice_id, source)
        else:
            v.queue.append(source)

    def fade_to(self, voice_id: str, gain: float, seconds: float) -> None:
        """Ramp voice `voice_id` linearly from its current gain to `gain` over `seconds`."""
        v = self._voices.get(voice_id)
        if v is not None:
            v.ramp.set(gain, self._frames(seconds))

    def stop(self, voice_id: str, fade_out: float = 0.0) -> None:
        """Fade the voice to silence over `fade_out` s (at least TAIL_S), then remove it."""
        self._retire(self._voices, voice_id, max(TAIL_S, fade_out))

    def stop_all(self, fade_out: float = 0.0) -> None:
        """Fade every music voice and cue to silence and remove them."""
        for vid in list(self._voices):
            if "\x00" not in vid:
                self._retire(self._voices, vid, max(TAIL_S, fade_out))
        for cid in list(self._cues):
            if "\x00" not in cid:
                self._retire(self._cues, cid, max(TAIL_S, fade_out))

    def crossfade(self, from_id: str, to_id: str, source: Readable, seconds: float,
                  gain: float = 1.0) -> None:
        """Equal-power crossfade: `from_id` fades out while `source` starts as `to_id`.

        from_id may be missing (then this is a plain equal-power fade in); to_id may equal
        from_id (the old voice is moved aside and reported as stopped when silent).
        """
        frames = max(self._tail, self._frames(seconds))
        self._retire(self._voices, from_id, seconds, "cos")
        self._retire(self._voices, to_id, TAIL_S)
        v = Voice(to_id, source, 0.0, self._frame, False, self._tail)
        v.ramp.set(gain, frames, "sin")
        self._voices[to_id] = v

    def has_voice(self, voice_id: str) -> bool:
        """Whether the voice is playing or scheduled (not yet ended or being stopped)."""
        return voice_id in self._voices

    def voice_ids(self) -> list[str]:
        """Ids of music voices playing or scheduled (not those fading out after stop)."""
        return [k for k in self._voices if "\x00" not in k]

    # -- master, ceiling, pause ---------------------------------------------------------
    def set_master(self, gain: float, ramp_s: float = 0.05) -> None:
        """Ramp the master gain to `gain` (clamped to the ceiling) over `ramp_s` seconds."""
        self._master_ramp.set(min(max(0.0, gain), self._ceiling), self._frames(ramp_s))

    def set_ceiling(self, gain: float, ramp_s: float = 0.02) -> None:
        """Cap the master gain at `gain` from now on.

        Takes effect at once when nothing sounds; if something is sounding louder, it is brought
        down over `ramp_s` (the only moment the cap is approached rather than held). Raising
        the ceiling does not raise the master by itself.
        """
        gain = max(0.0, float(gain))
        # Ramp only when lowering it under sound (a step would click); otherwise hold at once.
        frames = self._frames(ramp_s) if (gain < self._ceiling and self._sounding()) else 0
        self._ceiling = gain
        self._ceiling_ramp.set(gain, frames)
        if self._master_ramp.target > gain or self._master_ramp.value > gain:
            self._master_ramp.set(gain, frames)

    def _sounding(self) -> bool:
        return bool(self._cues) or (bool(self._voices) and not self._frozen)

    @property
    def master(self) -> float:
        """The master gain's current value (after the ceiling)."""
        return min(self._master_ramp.value, self._ceiling_ramp.value)

    @property
    def ceiling(self) -> float:
        """The current ceiling (linear gain)."""
        return self._ceiling

    def pause(self, fade_s: float = 0.5) -> None:
        """Fade music voices to silence over fade_s, then stop advancing their sources."""
        if self._paused:
            return
        self._paused = True
        self._pause_ramp.set(0.0, max(self._tail, self._frames(fade_s)))

    def resume(self, fade_s: float = 0.5) -> None:
        """Continue music voices from the exact sample they stopped at, fading in over fade_s."""
        if not self._paused:
            return
        self._paused = False
        self._frozen = False
        self._pause_ramp.set(1.0, max(self._tail, self._frames(fade_s)))

    @property
    def paused(self) -> bool:
        """True from pause() until resume() (also while the pause fade is still running)."""
        return self._paused

    def set_music_filter(self, music_filter: MusicFilter | None) -> None:
        """Run `music_filter(block, frame)` on the summed music of every block (None: no filter).

        It sees the music before the pause fade and the ducking, every block (silence when no
        music plays), so it can keep time by the sample clock; it must not change the block's
        length. Used to sway the music between the ears (bilateral stimulation).
        """
        self._music_filter = music_filter

    # -- cues ---------------------------------------------------------------------------
    def cue(self, cue_id: str, source: Readable, gain: float = 1.0, at_frame: int | None = None,
            duck_db: float = 0.0, duck_ramp_s: float = 0.15) -> None:
        """Sound a one-shot `source` starting exactly on `at_frame` (None: next block).

        Cues are mixed after the pause fade (they sound while paused) but under the master and
        ceiling. With duck_db < 0 (e.g. -6) the music is brought down by that much over
        duck_ramp_s, starting early enough to be down when the cue starts if at_frame is far
        enough ahead, and brought back over duck_ramp_s after the last ducking cue ends.
        A cue already sounding under `cue_id` is faded out over TAIL_S.
        """
        self._retire(self._cues, cue_id, TAIL_S)
        v = Voice(cue_id, source, 0.0, self._start_frame(at_frame), True, self._tail)
        v.ramp.set(gain, 0)
        v.duck = 10.0 ** (min(0.0, duck_db) / 20.0)
        self._cues[cue_id] = v
        if duck_db < 0:
            self._duck_ramp_frames = max(1, self._frames(duck_ramp_s))

    def withdraw_cues(self) -> None:
        """Drop the cues still waiting for their frame; those already sounding finish."""
        for cue_id in [cue_id for cue_id, v in self._cues.items() if not v.started]:
            self._retire(self._cues, cue_id, 0.0)

    # -- rendering ------------------------------------------------------------------------
    def _end(self, v: Voice, reason: str, frame: int | None = None) -> None:
        kind = "cue_ended" if v.cue else "voice_ended"
        if v.failed:
            reason = "failed"
        at = self._frame if frame is None else frame
        self._events.append(MixerEvent(kind, v.report_id, reason, at, v.failed))
        close_quietly(v.source)
        for q in v.queue:
            close_quietly(q)

    def _mix_voices(self, voices: dict[str, Voice], dest: np.ndarray, n: int) -> None:
        """Add each voice's next frames (within the first n) into dest, ending finished ones."""
        done: list[tuple[str, str, int]] = []
        for key, v in voices.items():
            off = v.start - self._frame
            if off >= n:
                continue
            off = max(0, off)
            m_want = n - off
            if not v.started:
                v.started = True
                kind = "cue_started" if v.cue else "voice_started"
                self._events.append(MixerEvent(kind, v.report_id, "", self._frame + off))
            m = v.pull(m_want, self._frame + off, self._events)
            if m:
                g = self._g[:m]
                v.ramp.fill(g, self._idx)
                seg = self._scratch[:m]
                np.multiply(v.hold[:m], g[:, None], out=seg)
                dest[off:off + m] += seg
                v.consume(m)
            else:
                v.ramp.fill(self._g[:m_want], self._idx)
            if m < m_want or (v.source_done and v.held == 0):
                done.append((key, "end", self._frame + off + m))
            elif v.stopping and not v.ramp.moving and v.ramp.value == 0.0:
                done.append((key, "stopped", self._frame + n))
        for key, reason, frame in done:
            self._end(voices.pop(key), reason, frame)

    def _update_duck(self, n: int) -> None:
        horizon = self._frame + n + self._duck_ramp_frames
        target = 1.0
        for v in self._cues.values():
            if v.duck < 1.0 and not v.stopping and v.start < horizon:
                target = min(target, v.duck)
        if target != self._duck_ramp.target:
            self._duck_ramp.set(target, self._duck_ramp_frames)

    def render(self, frames: int) -> np.ndarray:
        """Mix the next `frames` frames: (frames, 2) float32, never above full scale.

        The returned array is a view of a reused buffer, valid until the next render() call
        (copy it if you keep it).
        """
        n = int(frames)
        if n <= 0:
            return self._out[:0]
        if n > self._cap:
            self._alloc(max(n, 2 * self._cap))
        out = self._out[:n]
        out.fill(0.0)
        # Music: voices, then the pause fade and the ducking, per sample.
        if not self._frozen and self._voices:
            music_n = n
            if self._paused and self._pause_ramp.frames_left() < n:
                music_n = self._pause_ramp.frames_left()   # stop reading on the silent sample
            music = self._music[:n]
            music.fill(0.0)
            self._mix_voices(self._voices, music, music_n)
            if self._music_filter is not None:
                self._music_filter(music, self._frame)
            self._update_duck(n)
            g = self._g2[:n]
            if self._pause_ramp.moving or self._pause_ramp.value != 1.0:
                self._pause_ramp.fill(g, self._idx)
                music *= g[:, None]
            if self._duck_ramp.moving or self._duck_ramp.value != 1.0:
                self._duck_ramp.fill(g, self._idx)
                music *= g[:, None]
            out += music
        else:
            if self._music_filter is not None:
                silence = self._music[:n]
                silence.fill(0.0)
                self._music_filter(silence, self._frame)
            self._update_duck(n)
            self._pause_ramp.fill(self._g2[:n], self._idx)
            self._duck_ramp.fill(self._g2[:n], self._idx)
        if self._paused and not self._pause_ramp.moving:
            self._frozen = True
        if self._cues:
            self._mix_voices(self._cues, out, n)
        # Master under the ceiling, per sample.
        mr, cr = self._master_ramp, self._ceiling_ramp
        if mr.moving or cr.moving:
            g, c = self._g[:n], self._g2[:n]
            mr.fill(g, self._idx)
            cr.fill(c, self._idx)
            np.minimum(g, c, out=g)
            out *= g[:, None]
        else:
            level = min(mr.value, cr.value)
            if level != 1.0:
                out *= level
        soft_clip(out, self._abs[:n])
        self._frame += n
        return out

    def drain_events(self) -> list[MixerEvent]:
        """Events since the last call, in order."""
        events, self._events = self._events, []
        return events
