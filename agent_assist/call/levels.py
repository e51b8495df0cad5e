"""Loudness of each speaker's audio, for meters and tone cues."""

from __future__ import annotations

import math
import threading

import numpy as np

from agent_assist.audio.frames import Frame
from agent_assist.events import AudioLevel, Speaker

_FLOOR_DBFS = -96.0
_FULL_SCALE = 32768.0


def frame_level(frame: Frame) -> AudioLevel:
    samples = np.frombuffer(frame.pcm, dtype="<i2").astype(np.float32)
    if samples.size == 0:
        return AudioLevel(frame.speaker, frame.end_ms, _FLOOR_DBFS, _FLOOR_DBFS)
    rms = float(np.sqrt(np.mean(samples * samples)))
    peak = float(np.max(np.abs(samples)))
    return AudioLevel(frame.speaker, frame.end_ms, _dbfs(rms), _dbfs(peak))


def _dbfs(amplitude: float) -> float:
    if amplitude <= 0:
        return _FLOOR_DBFS
    return round(max(_FLOOR_DBFS, 20 * math.log10(amplitude / _FULL_SCALE)), 1)


class LevelTracker:
    """Keeps the newest level per speaker (for a UI timer to poll) and
    decides when a level event is due (at most one per ``interval_ms`` of audio)."""

    def __init__(self, interval_ms: int) -> None:
        self._interval_ms = interval_ms
        self._latest: dict[Speaker, AudioLevel] = {}
        self._next_due: dict[Speaker, int] = {}
        self._lock = threading.Lock()

    def update(self, frame: Frame) -> AudioLevel | None:
        """Record a frame's level; return it when an event is due."""
        level = frame_level(frame)
        with self._lock:
            self._latest[frame.speaker] = level
            if self._interval_ms <= 0:
                return None
            due = self._next_due.get(frame.speaker, 0)
            if level.t_ms < due:
                return None
            self._next_due[frame.speaker] = level.t_ms + self._interval_ms
        return level

    def latest(self) -> dict[Speaker, AudioLevel]:
        with self._lock:
            return dict(self._latest)
