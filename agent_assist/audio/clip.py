"""A stretch of a recorded call: the seconds around a flag, read from each speaker's WAV."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agent_assist.audio.convert import Int16Array
from agent_assist.errors import AudioError

PAD_MS = 3000  # heard before and after the flagged utterance: enough to know the context


@dataclass(frozen=True)
class Clip:
    rate: int
    tracks: dict[str, Int16Array]  # speaker → samples, all starting at the same moment


def around(start_ms: int, end_ms: int, pad_ms: int = PAD_MS) -> tuple[int, int]:
    """The stretch to play for an utterance from ``start_ms`` to ``end_ms``."""
    return max(0, start_ms - pad_ms), end_ms + pad_ms


def read_clip(files: dict[str, Path], start_ms: int, end_ms: int) -> Clip:
    """Each speaker's samples from ``start_ms`` to ``end_ms`` of the call; a track that ends
    sooner is shorter (silence to the player)."""
    tracks: dict[str, Int16Array] = {}
    rates = set()
    for speaker, path in files.items():
        try:
            with wave.open(str(path), "rb") as wav:
                if wav.getsampwidth() != 2 or wav.getnchannels() != 1:
                    raise AudioError(f"{path} is not a call recording (16-bit mono WAV)")
                rate = wav.getframerate()
                first = min(wav.getnframes(), start_ms * rate // 1000)
                wav.setpos(first)
                count = max(0, end_ms * rate // 1000 - first)
                tracks[speaker] = np.frombuffer(wav.readframes(count), dtype=np.int16)
                rates.add(rate)
        except (OSError, EOFError, wave.Error) as exc:
            raise AudioError(f"cannot read the recording {path}: {exc}") from exc
    if len(rates) > 1:
        raise AudioError("the speakers' recordings have different sample rates")
    return Clip(rates.pop() if rates else 16000, tracks)
