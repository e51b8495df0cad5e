from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from agent_assist.audio.clip import around, read_clip
from agent_assist.errors import AudioError

RATE = 16000


def second_marked_wav(path: Path, seconds: int, sign: int = 1) -> Path:
    """Each second's samples hold the second's number (times ``sign``)."""
    samples = np.repeat(np.arange(seconds, dtype=np.int16) * sign, RATE)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(samples.tobytes())
    return path


def test_the_stretch_around_an_utterance_starts_no_earlier_than_the_call() -> None:
    assert around(10_000, 12_500) == (7_000, 15_500)
    assert around(1_000, 2_000) == (0, 5_000)


def test_both_speakers_are_read_from_the_same_moment(tmp_path: Path) -> None:
    files = {
        "agent": second_marked_wav(tmp_path / "a.wav", 10),
        "debtor": second_marked_wav(tmp_path / "d.wav", 6, sign=-1),
    }
    clip = read_clip(files, 4_000, 8_000)
    assert clip.rate == RATE
    agent, debtor = clip.tracks["agent"], clip.tracks["debtor"]
    assert len(agent) == 4 * RATE
    assert (agent[0], agent[-1]) == (4, 7)
    # The debtor's recording ends at 6 s: two seconds of it, the rest is silence to the player.
    assert len(debtor) == 2 * RATE
    assert (debtor[0], debtor[-1]) == (-4, -5)


def test_a_stretch_past_the_end_is_empty(tmp_path: Path) -> None:
    clip = read_clip({"agent": second_marked_wav(tmp_path / "a.wav", 2)}, 5_000, 9_000)
    assert len(clip.tracks["agent"]) == 0


def test_a_file_that_is_not_a_recording_is_an_audio_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not a wav")
    with pytest.raises(AudioError, match="cannot read the recording"):
        read_clip({"agent": bad}, 0, 1000)
    with pytest.raises(AudioError, match="cannot read the recording"):
        read_clip({"agent": tmp_path / "gone.wav"}, 0, 1000)
