"""Judging a test recording by its peak and the samples it has at full scale."""

from __future__ import annotations

import numpy as np
import pytest

from agent_assist.audio.level_check import LevelCheck, check_level

RATE = 16000


def tone(amplitude: float, seconds: float = 1.0) -> np.ndarray:
    """A 440 Hz sine; louder than full scale, it is clipped as an input would clip it."""
    t = np.arange(int(RATE * seconds)) / RATE
    wave = (amplitude * np.sin(2 * np.pi * 440 * t)).round()
    return np.clip(wave, -32768, 32767).astype(np.int16)


@pytest.mark.parametrize(
    ("amplitude", "peak", "verdict"),
    [
        (8000, -12.2, "good"),  # 8000 of 32768
        (800, -32.2, "quiet"),  # 20 dB lower: below -30 dB
        (30, -60.8, "silent"),  # below -50 dB: nothing to speak of arrived
    ],
)
def test_the_peak_says_how_loud_it_was(amplitude: int, peak: float, verdict: str) -> None:
    check = check_level(tone(amplitude, seconds=2.5), RATE)
    assert check.seconds == 2.5
    assert check.peak_dbfs == pytest.approx(peak)  # in tenths, as the meters show it
    assert check.clipped_samples == 0
    assert check.verdict == verdict


def test_a_recording_at_full_scale_is_clipped_but_one_stray_peak_is_not() -> None:
    clipped = check_level(tone(40000), RATE)
    assert clipped.clipped_samples > 100
    assert clipped.verdict == "clipped"

    stray = tone(8000)
    stray[100] = 32767
    check = check_level(stray, RATE)
    assert check.clipped_samples == 1
    assert check.verdict == "good"


def test_the_thresholds_are_inclusive_of_the_louder_side() -> None:
    assert LevelCheck(1.0, -50.0, 0).verdict == "quiet"
    assert LevelCheck(1.0, -50.1, 0).verdict == "silent"
    assert LevelCheck(1.0, -30.0, 0).verdict == "good"
    assert LevelCheck(1.0, -0.1, 3).verdict == "clipped"
    assert LevelCheck(1.0, -0.1, 2).verdict == "good"


def test_no_audio_is_silent() -> None:
    check = check_level(np.zeros(0, dtype=np.int16), RATE)
    assert (check.seconds, check.verdict) == (0.0, "silent")
