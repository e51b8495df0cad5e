"""Sample conversion for the sources: widths to int16, channel demux, streaming resampling."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import soxr

Int16Array = npt.NDArray[np.int16]


def to_int16(raw: bytes, sample_width: int) -> Int16Array:
    """Little-endian PCM of 1-4 bytes per sample → int16, keeping the top 16 bits.

    8-bit WAV is unsigned; wider samples are signed. Truncation (no dither) is
    inaudible to a recogniser.
    """
    if sample_width not in (1, 2, 3, 4):
        raise ValueError(f"unsupported sample width: {sample_width} bytes")
    usable = len(raw) - len(raw) % sample_width  # a truncated file can end mid-sample
    octets = np.frombuffer(raw, dtype=np.uint8, count=usable)
    if sample_width == 1:
        return ((octets.astype(np.int16) - 128) << 8).astype(np.int16)
    # The two most significant bytes of each little-endian sample.
    top = np.ascontiguousarray(octets.reshape(-1, sample_width)[:, -2:])
    return top.view("<i2").reshape(-1).astype(np.int16)


def demux(samples: Int16Array, channels: int) -> Int16Array:
    """Interleaved samples → a (frames, channels) array; a trailing partial frame is dropped."""
    usable = len(samples) - len(samples) % channels
    return samples[:usable].reshape(-1, channels)


def mix_down(frames: Int16Array) -> Int16Array:
    """(frames, channels) → (frames, 1), the mean of the channels."""
    total = frames.astype(np.int32).sum(axis=1)
    mixed: Int16Array = (total // frames.shape[1]).astype(np.int16)
    return mixed.reshape(-1, 1)


class Resampler:
    """Streaming resampler over (frames, channels) int16 blocks (python-soxr).

    Keeps filter state between blocks so block edges leave no artefacts;
    :meth:`flush` returns the samples still held in the filter at the end.
    Equal rates pass blocks through untouched.
    """

    def __init__(self, in_rate: int, out_rate: int, channels: int) -> None:
        self.in_rate = in_rate
        self.out_rate = out_rate
        self.channels = channels
        self._stream: soxr.ResampleStream | None = None
        if in_rate != out_rate:
            self._stream = soxr.ResampleStream(in_rate, out_rate, channels, dtype="int16")

    def process(self, frames: Int16Array) -> Int16Array:
        if self._stream is None:
            return frames
        out: Int16Array = self._stream.resample_chunk(np.ascontiguousarray(frames))
        return out.reshape(-1, self.channels)

    def flush(self) -> Int16Array:
        if self._stream is None:
            return np.zeros((0, self.channels), dtype=np.int16)
        empty = np.zeros((0, self.channels), dtype=np.int16)
        out: Int16Array = self._stream.resample_chunk(empty, last=True)
        return out.reshape(-1, self.channels)
