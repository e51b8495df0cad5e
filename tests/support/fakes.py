"""Fast stand-ins for the recogniser and the audio source (unit tests only)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence

from agent_assist.audio.frames import EventSink, Frame, FrameSink
from agent_assist.audio.source import AudioSource
from agent_assist.events import Event


class WordRecognizer:
    """Recognises one word per non-silent 100 ms block; a silent block ends the utterance.

    Mirrors Vosk's contract: ``AcceptWaveform`` returns True at an endpoint,
    ``Result``/``FinalResult`` close the utterance, times count from the first sample.
    """

    def __init__(self, rate: int, vocabulary: Sequence[str] = ()) -> None:
        self.rate = rate
        self.vocabulary = list(vocabulary)  # words to "recognise" in turn; default w0, w1…
        self.samples = 0
        self.words: list[dict[str, object]] = []
        self.thread = threading.current_thread().name

    def AcceptWaveform(self, data: bytes) -> int:
        start = self.samples / self.rate
        self.samples += len(data) // 2
        if any(data):
            self.words.append(
                {
                    "word": self._next_word(),
                    "start": start,
                    "end": self.samples / self.rate,
                    "conf": 0.9,
                }
            )
            return 0
        return 1 if self.words else 0

    def _next_word(self) -> str:
        return self.vocabulary.pop(0) if self.vocabulary else f"w{len(self.words)}"

    def PartialResult(self) -> str:
        return json.dumps({"partial": " ".join(str(w["word"]) for w in self.words)})

    def Result(self) -> str:
        words, self.words = self.words, []
        return json.dumps({"text": " ".join(str(w["word"]) for w in words), "result": words})

    def FinalResult(self) -> str:
        return self.Result()


def voiced(speaker: str, start_sample: int, samples: int = 1600, rate: int = 16000) -> Frame:
    return Frame(speaker, b"\x10\x00" * samples, rate, start_sample, time.monotonic_ns())


def silent(speaker: str, start_sample: int, samples: int = 1600, rate: int = 16000) -> Frame:
    return Frame(speaker, b"\x00\x00" * samples, rate, start_sample, time.monotonic_ns())


class ListSource(AudioSource):
    """Delivers a fixed list of frames (and events) on its own thread, then finishes."""

    def __init__(
        self,
        frames: Sequence[Frame],
        speakers: tuple[str, ...],
        rate: int = 16000,
        events: Sequence[Event] = (),
        hold_open: bool = False,
    ) -> None:
        self.speakers = speakers
        self.rate = rate
        self._frames = list(frames)
        self._extra = list(events)
        self._hold_open = hold_open  # like a live device: runs until stop()
        self._stop = threading.Event()
        self._done = threading.Event()
        self.delivered = 0

    def describe(self) -> str:
        return "test frames"

    def start(self, on_frame: FrameSink, on_event: EventSink) -> None:
        def run() -> None:
            for frame in self._frames:
                if self._stop.is_set():
                    break
                on_frame(frame)
                self.delivered += 1
            for event in self._extra:
                on_event(event)
            if self._hold_open:
                self._stop.wait()
            self._done.set()

        threading.Thread(target=run, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    @property
    def overflows(self) -> int:
        return 0
