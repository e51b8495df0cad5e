"""The debtor's voice: espeak-ng speech played through sounddevice, or quietly text only."""

from __future__ import annotations

import shutil
from typing import Any

import numpy as np

from agent_assist.training.speech import DebtorVoice, voice_for
from tests.conftest import require_real


class FakeSoundDevice:
    class PortAudioError(Exception):
        pass

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.played: list[tuple[Any, int]] = []
        self.waits = 0

    def play(self, samples: Any, rate: int) -> None:
        if self.fail:
            raise self.PortAudioError("Error querying device -1")
        self.played.append((samples, rate))

    def wait(self) -> None:
        self.waits += 1


def test_voices_follow_the_scenario_language() -> None:
    assert (voice_for("zh-CN"), voice_for("en-US"), voice_for("ko-KR")) == ("cmn", "en-us", "ko")


def test_a_line_is_spoken_and_waited_for() -> None:
    require_real(shutil.which("espeak-ng") is not None, "espeak-ng is not installed")
    device, warnings = FakeSoundDevice(), []
    DebtorVoice(device, "en-US", warnings.append).say("Hello, who is this?")
    ((samples, rate),) = device.played
    assert rate == 16000
    assert isinstance(samples, np.ndarray)
    assert len(samples) > rate // 2  # about a second of speech
    assert device.waits == 1
    assert warnings == []


def test_no_sound_output_warns_once_and_the_drill_goes_on_in_text() -> None:
    require_real(shutil.which("espeak-ng") is not None, "espeak-ng is not installed")
    device, warnings = FakeSoundDevice(fail=True), []
    voice = DebtorVoice(device, "zh-CN", warnings.append)
    voice.say("喂，哪位？")
    voice.say("我现在很忙。")
    assert len(warnings) == 1
    assert "shown only" in warnings[0]
    assert not voice.working
