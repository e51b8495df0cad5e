"""The debtor's lines spoken aloud with espeak-ng, where it and a sound output exist.

Speaking is a courtesy: a machine without espeak-ng or a sound card still runs the
drill in text, so the first failure is reported once and the voice then stays quiet.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import Any

from agent_assist.audio import synth
from agent_assist.errors import AudioError

# espeak-ng's voice for a scenario language; otherwise the language's own code.
VOICES = {"zh": "cmn", "en": "en-us"}


def voice_for(language: str) -> str:
    code = language.split("-", maxsplit=1)[0]
    return VOICES.get(code, code)


class DebtorVoice:
    """Plays each line through ``sounddevice`` and waits until it has been said."""

    def __init__(self, sounddevice: Any, language: str, warn: Callable[[str], None]) -> None:
        self._sd = sounddevice
        self._voice = voice_for(language)
        self._warn = warn
        self.working = True

    def say(self, text: str) -> None:
        if not self.working:
            return
        failures = (AudioError, OSError, subprocess.SubprocessError, self._sd.PortAudioError)
        try:
            samples = synth.speak(text, self._voice)
            self._sd.play(samples, synth.RATE)
            self._sd.wait()
        except failures as exc:
            self.working = False
            self._warn(f"the debtor's lines are shown only, not spoken: {exc}")
