"""Synthetic call audio from text, with espeak-ng: for demos, drills and benchmarks.

A call is a list of turns; the result is a stereo WAV with the agent on the
left channel and the debtor on the right, each silent while the other talks,
as a call-centre recording tap delivers it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agent_assist.errors import AudioError

RATE = 16000


@dataclass(frozen=True, slots=True)
class Turn:
    speaker: str  # "agent" (left channel) or "debtor" (right channel)
    text: str
    voice: str = "en-us"
    pause_ms: int = 600  # silence after the turn


def speak(
    text: str, voice: str = "en-us", rate: int = RATE, words_per_minute: int = 160
) -> np.ndarray:
    """Speak ``text`` and return int16 mono samples at ``rate``."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise AudioError(
            "espeak-ng is not installed; install it (Debian/Ubuntu: apt-get install espeak-ng)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "speech.wav"
        subprocess.run(
            [espeak, "-v", voice, "-s", str(words_per_minute), "-w", str(raw), text],
            check=True,
            capture_output=True,
        )
        with wave.open(str(raw), "rb") as wav:
            source_rate = wav.getframerate()
            samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    if source_rate == rate:
        return samples.copy()
    import soxr

    resampled = np.asarray(soxr.resample(samples.astype(np.float32) / 32768.0, source_rate, rate))
    return np.clip(resampled * 32768.0, -32768, 32767).astype("<i2")


def render_call(
    turns: Sequence[Turn], speakers: tuple[str, str] = ("agent", "debtor"), rate: int = RATE
) -> np.ndarray:
    """Render turns into a (samples, 2) int16 array: speakers[0] left, speakers[1] right."""
    channel = {speakers[0]: 0, speakers[1]: 1}
    pieces: list[np.ndarray] = []
    for turn in turns:
        voice = speak(turn.text, turn.voice, rate)
        block = np.zeros((len(voice) + rate * turn.pause_ms // 1000, 2), dtype="<i2")
        block[: len(voice), channel[turn.speaker]] = voice
        pieces.append(block)
    return np.concatenate(pieces) if pieces else np.zeros((0, 2), dtype="<i2")


def loop_to_duration(audio: np.ndarray, seconds: float, rate: int = RATE) -> np.ndarray:
    """Repeat ``audio`` until it lasts ``seconds``."""
    target = int(seconds * rate)
    repeats = -(-target // max(1, len(audio)))
    return np.concatenate([audio] * repeats)[:target]


def write_wav(path: Path, audio: np.ndarray, rate: int = RATE) -> Path:
    channels = 1 if audio.ndim == 1 else audio.shape[1]
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(np.ascontiguousarray(audio, dtype="<i2").tobytes())
    return path


DEMO_CALL: tuple[Turn, ...] = (
    Turn(
        "agent", "Hello, this is Lin from the bank's collections team. Am I speaking with Mr Wang?"
    ),
    Turn("debtor", "Yes, speaking. What is this about?"),
    Turn("agent", "Your card payment of three thousand two hundred is thirty days overdue."),
    Turn("debtor", "I lost my job last month, I cannot pay all of it right now."),
    Turn("agent", "I understand. We can set up a repayment plan that fits your income."),
    Turn("debtor", "I could pay five hundred on Friday and the rest next month."),
    Turn("agent", "Thank you. I will note a payment of five hundred on Friday."),
    Turn("debtor", "Okay, please send me the details by message."),
)
