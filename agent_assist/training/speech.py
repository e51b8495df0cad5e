"""The debtor's lines spoken aloud with espeak-ng, where it and a sound output exist.

Speaking is a courtesy: a machine without espeak-ng or a sound card still runs the
drill in text, so the first failure is reported once and the voice then stays quiet.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import threading
from collections.abc import Callable
from typing import Any

from agent_assist.audio import synth
from agent_assist.errors import AudioError

# espeak-ng's voice for a scenario language; otherwise the language's own code.
VOICES = {"zh": "cmn", "en": "en-us"}


def espeak_found() -> bool:
    """Whether this computer can speak the debtor's lines (espeak-ng is installed)."""
    return shutil.which("espeak-ng") is not None


def debtor_voice(language: str, warn: Callable[[str], None]) -> Callable[[str], None] | None:
    """Says a line and returns once it is said; None without PortAudio (``warn`` told)."""
    try:
        import sounddevice
    except OSError:
        warn("PortAudio is not installed; the debtor's lines are shown only")
        return None
    return DebtorVoice(sounddevice, language, warn).say


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


class LineSpeaker:
    """Says lines one after another on a thread of its own, so a window never waits for
    a line to be said."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self._say = say
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="debtor-voice", daemon=True)
        self._thread.start()

    def say(self, text: str) -> None:
        self._lines.put(text)

    def close(self, *, drop: bool = False) -> None:
        """No more lines; ``drop``: not even those not said yet. Returns at once (the
        thread ends after the line being said)."""
        while drop:
            try:
                self._lines.get_nowait()
            except queue.Empty:
                break
        self._lines.put(None)

    def join(self, timeout: float | None = None) -> bool:
        """Whether every line is said and the thread has ended (within ``timeout``)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while (text := self._lines.get()) is not None:
            self._say(text)
