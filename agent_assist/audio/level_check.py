"""How a test recording sounds: clipped, silent, quiet or good, judged from its peak and
the samples it has at full scale."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from agent_assist.audio.convert import Int16Array
from agent_assist.audio.frames import Frame
from agent_assist.call.levels import frame_level

Verdict = Literal["clipped", "silent", "quiet", "good"]

# Below SILENT nothing arrived; below QUIET it is hard to hear.
SILENT_DBFS = -50.0
QUIET_DBFS = -30.0
CLIPPED_SAMPLES = 3  # samples at full scale that make a recording clipped, not one stray peak
_FULL_SCALE = 32767


@dataclass(frozen=True)
class LevelCheck:
    """How one speaker's test recording sounds."""

    seconds: float
    peak_dbfs: float
    clipped_samples: int

    @property
    def verdict(self) -> Verdict:
        if self.clipped_samples >= CLIPPED_SAMPLES:
            return "clipped"
        if self.peak_dbfs < SILENT_DBFS:
            return "silent"
        if self.peak_dbfs < QUIET_DBFS:
            return "quiet"
        return "good"


def check_level(samples: Int16Array, rate: int) -> LevelCheck:
    """The recording's length, its peak as the meters show it, and its clipped samples."""
    level = frame_level(Frame("", samples.astype("<i2").tobytes(), rate, 0, 0))
    clipped = int(np.count_nonzero(np.abs(samples.astype(np.int32)) >= _FULL_SCALE))
    return LevelCheck(len(samples) / rate, level.peak_dbfs, clipped)
