"""A file streamed through miniaudio, mapped to stereo and resampled to 48 kHz, block by block."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from companion.audio.decode.channels import downmix_matrix
from companion.audio.decode.mp3 import AudioBytes, mp3_audio_end
from companion.audio.decode.probing import AudioInfo, error_words, probe
from companion.audio.resample import TAPS, Resampler
from companion.audio.resample import supported as resample_supported
from companion.errors import AudioError

RATE = 48000
CHANNELS = 2
#: Frames decoded per miniaudio call (at the file's own rate).
DECODE_FRAMES = 4096
#: A decode that ends more than this many input frames (or 0.5 %, if more) before the header's
#: length is reported as truncated or corrupt.
EARLY_END_TOLERANCE = 4096

#: Decoded samples are held within this (+12 dBFS): a float file may peak above full scale,
#: but 1e38 would overflow the resampler's sums to inf (the mixer's guard bends the rest).
SAMPLE_LIMIT = 4.0


def _finite(x: np.ndarray) -> np.ndarray:
    """A writable copy of `x` with NaN and infinite samples silenced and the rest clamped.

    Float WAVs can hold NaN or Inf (or random bytes read as floats); they must never reach
    the resampler or the device.
    """
    x = np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(x, -SAMPLE_LIMIT, SAMPLE_LIMIT, out=x)


#: Formats whose decoder seeks to the exact frame, so a file's last frames can be read ahead.
EXACT_SEEK_FORMATS = ("wav", "flac")


class FileSource:
    """Streams a file through miniaudio, maps channels to stereo and resamples to 48 kHz."""

    rate = RATE

    def __init__(self, path: str | Path, *, loop: bool = False, seconds: float | None = None,
                 start_at_s: float = 0.0, info: AudioInfo | None = None,
                 follows: FileSource | None = None) -> None:
        """Open `path` for streaming (probes it first unless `info` is given).

        `follows`: the file this one joins gaplessly (see `_continue`).
        """
        self.path = Path(path)
        self.info = info or probe(self.path)
        self.loop = loop
        self.frames_read = 0
        self._closed = False
        src_rate = self.info.rate
        self._start_in = int(round(max(0.0, start_at_s) * src_rate))
        if self.info.frames is not None and self._start_in >= self.info.frames and not loop:
            raise AudioError(f"start position {start_at_s:.1f} s is past the end "
                             f"({self.info.seconds:.1f} s)", self.path)
        # Ask miniaudio for the native rate unless our resampler cannot do the ratio.
        self._native = resample_supported(src_rate, RATE)
        self._dec_rate = src_rate if self._native else RATE
        self._dec_channels = self.info.channels if self.info.channels <= 8 else 2
        self._matrix = downmix_matrix(self._dec_channels)
        self._resampler = Resampler(src_rate, RATE) if self._native and src_rate != RATE else None
        self._plays_to_end = seconds is None and not loop and self.info.frames is not None
        self._following: np.ndarray | None = None  # the next file's first frames, for our end
        self._gen = None
        self._bytes: AudioBytes | None = None
        self._audio_end = mp3_audio_end(self.path) if self.info.format == "mp3" else None
        if follows is not None:
            self._continue(follows)
        self._limit: int | None = None
        if seconds is not None:
            self._limit = int(round(seconds * RATE))
        elif not loop and self.info.frames is not None:
            remaining = self.info.frames - self._start_in
            self._limit = (self._resampler.output_frames(remaining) if self._resampler is not None
                           else -(-remaining * RATE // src_rate))
        self.seconds: float | None = None if self._limit is None else self._limit / RATE
        self._pending = np.zeros((0, CHANNELS), dtype=np.float32)
        self._pass_in = 0          # decoded input frames this pass (for the early-end check)
        self._ended = False
        self._open(self._start_in)

    def _decoder(self, seek_frame: int, frames: int):
        """A miniaudio generator of blocks from `seek_frame`, and the byte source it reads."""
        import miniaudio

        options = dict(output_format=miniaudio.SampleFormat.FLOAT32, nchannels=self._dec_channels,
                       sample_rate=self._dec_rate, frames_to_read=frames, seek_frame=seek_frame)
        if self._audio_end is None:
            return miniaudio.stream_file(str(self.path), **options), None
        held = AudioBytes(self.path, self._audio_end)  # tags follow: the decoder sees the frames
        try:
            return miniaudio.stream_any(held, miniaudio.FileFormat.MP3, **options), held
        except Exception:
            held.close()
            raise

    def _open(self, seek_frame: int) -> None:
        self._close_decoder()
        try:
            self._gen, self._bytes = self._decoder(seek_frame, DECODE_FRAMES)
        except Exception as exc:
            raise AudioError(f"cannot open for decoding ({error_words(exc)})", self.path) from None
        self._pass_start = seek_frame
        self._pass_in = 0

    def _frames_at(self, start: int, count: int) -> np.ndarray | None:
        """`count` input frames from frame `start`, in stereo at the file's rate, read by a
        decoder of their own; None if they cannot all be read."""
        try:
            gen, held = self._decoder(start, count)
        except Exception:
            return None
        blocks, have = [], 0
        try:
            while have < count:
                chunk = gen.send(count - have)
                if not chunk:
                    break
                x = _finite(np.frombuffer(chunk, dtype=np.float32).reshape(-1, self._dec_channels))
                blocks.append(x @ self._matrix if self._dec_channels != 2 else x)
                have += len(x)
        except Exception:  # StopIteration at the end, or a decoder error: not enough frames
            pass
        finally:
            gen.close()
            if held is not None:
                held.close()
        return np.concatenate(blocks)[:count] if have >= count else None

    def _continue(self, previous: FileSource) -> None:
        """Join `previous` as if the two files were one stream, resampled as one.

        Each file resampled on its own would start the next up to one output sample late and
        ring at both edges. Where both are resampled from one rate and `previous` plays to its
        file's end, this file's output keeps the other's grid (the resampler's offset), reads
        `previous`'s last frames as its filter history, and gives `previous` its own first
        frames to end on. The last frames are read with a second decoder, so only formats that
        seek to the exact frame (WAV, FLAC) take part.
        """
        mine, theirs = self._resampler, previous._resampler
        if (mine is None or theirs is None or (mine.up, mine.down) != (theirs.up, theirs.down)
                or self._start_in or not previous._plays_to_end
                or previous.info.format not in EXACT_SEEK_FORMATS or previous.info.frames < TAPS):
            return
        history = previous._frames_at(previous.info.frames - TAPS, TAPS)
        first = self._frames_at(0, TAPS)
        if history is None or first is None:
            return
        offset = theirs.offset_after(previous.info.frames - previous._start_in)
        self._resampler = Resampler(self.info.rate, RATE, history=history, offset=offset)
        previous._following = first

    def _close_decoder(self) -> None:
        if self._gen is not None:
            self._gen.close()
            self._gen = None
        if self._bytes is not None:
            self._bytes.close()
            self._bytes = None

    def _decode_more(self) -> np.ndarray | None:
        """The next block at 48 kHz stereo (may be empty), or None when the file has ended."""
        try:
            chunk = self._gen.send(DECODE_FRAMES) if self._gen is not None else None
        except StopIteration:
            chunk = None
        except Exception as exc:  # DecodeError, MiniaudioError, OSError mid-stream
            reason = error_words(exc)
            raise AudioError(f"decoding failed mid-stream ({reason})", self.path) from None
        if chunk is not None and len(chunk):
            x = _finite(np.frombuffer(chunk, dtype=np.float32).reshape(-1, self._dec_channels))
            self._pass_in += len(x)
            x = x @ self._matrix if self._dec_channels != 2 else x
            return self._resampler.process(x) if self._resampler is not None else x
        self._check_complete()
        if self.loop:
            if self._pass_start + self._pass_in == 0:
                raise AudioError("the file holds no audio", self.path)
            self._open(0)      # seamless: the resampler carries its state across the join
            return np.zeros((0, CHANNELS), dtype=np.float32)
        self._close_decoder()
        if self._resampler is not None:
            tail = self._resampler.flush(self._following)
            self._resampler = None
            return tail
        return None

    def _check_complete(self) -> None:
        """Raise if the decoder stopped well before the length the header promised."""
        expected = self.info.frames
        if self._dec_rate != self.info.rate and expected is not None:
            expected = expected * self._dec_rate // self.info.rate
        got = self._pass_start + self._pass_in
        if expected is not None and got + max(EARLY_END_TOLERANCE, expected // 200) < expected:
            rate = self._dec_rate
            raise AudioError(f"the file ends early: decoded {got / rate:.1f} s of "
                             f"{expected / rate:.1f} s (truncated or corrupt)", self.path)

    def read(self, frames: int) -> np.ndarray:
        """Up to `frames` frames (n, 2) float32; fewer only at the end."""
        if self._closed:
            return np.zeros((0, CHANNELS), dtype=np.float32)
        if self._limit is not None:
            frames = max(0, min(frames, self._limit - self.frames_read))
        parts = [self._pending]
        have = len(self._pending)
        while have < frames and not self._ended:
            block = self._decode_more()
            if block is None:
                self._ended = True
                break
            if len(block):
                parts.append(block)
                have += len(block)
        data = parts[0] if len(parts) == 1 else np.concatenate(parts)
        out, self._pending = data[:frames], data[frames:]
        self.frames_read += len(out)
        if len(out) < frames or (self._limit is not None and self.frames_read >= self._limit):
            self._release()
        return np.ascontiguousarray(out, dtype=np.float32)

    def _release(self) -> None:
        self._close_decoder()
        self._ended = True

    def close(self) -> None:
        """Release the decoder (idempotent); later reads return no frames."""
        self._release()
        self._pending = np.zeros((0, CHANNELS), dtype=np.float32)
        self._closed = True
