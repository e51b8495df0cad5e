"""One recogniser thread per speaker.

Each worker owns its recogniser, created *inside* its thread, over the one
shared model: Vosk's calls release the GIL, so two speakers decode on two
cores. Frames arrive through a bounded queue; results leave as immutable
``Partial``/``Final`` events through ``emit``.

Timing: the recogniser counts time from its first sample. Frames carry their
position on the speaker's timeline, so a gap (audio dropped upstream) is
filled with silence and word times stay call-relative.

Memory: a recogniser's state grows with the audio it decodes, so after
``recycle_after_ms`` of audio the worker swaps in a fresh, already warmed one
at an utterance boundary (see ``recycling.py``) and offsets its clock to stay
on the call's timeline.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Final as FinalType
from typing import Protocol

from agent_assist.asr.model import LoadedModel, RecognizerSettings
from agent_assist.asr.recycling import Recycler
from agent_assist.asr.results import parse_final, parse_partial
from agent_assist.audio.frames import SAMPLE_WIDTH, Frame
from agent_assist.events import Event, Final, Partial, SourceError, Speaker

log = logging.getLogger(__name__)


class Recognizer(Protocol):
    """The part of ``vosk.KaldiRecognizer`` a worker uses."""

    def AcceptWaveform(self, data: bytes) -> int: ...
    def PartialResult(self) -> str: ...
    def Result(self) -> str: ...
    def FinalResult(self) -> str: ...


RecognizerFactory = Callable[[int], Recognizer]
"""Builds a recogniser for a sample rate. Called on the worker's own thread."""


def vosk_recognizer_factory(model: LoadedModel, settings: RecognizerSettings) -> RecognizerFactory:
    def build(rate: int) -> Recognizer:
        import vosk

        rec = vosk.KaldiRecognizer(model.vosk_model, rate)
        rec.SetWords(settings.words)
        rec.SetPartialWords(settings.partial_words)
        if settings.max_alternatives > 0:
            rec.SetMaxAlternatives(settings.max_alternatives)
        recognizer: Recognizer = rec
        return recognizer

    return build


_CLOSE: FinalType = object()
_SILENCE_CHUNK_MS = 100


class RecognizerWorker:
    """Decodes one speaker's frames on a dedicated thread.

    ``feed`` blocks when the queue is full (back-pressure towards the source);
    ``close`` finishes the audio already queued, flushes the utterance in
    progress as a ``Final`` and ends the thread; ``abort`` drops queued audio.
    """

    def __init__(
        self,
        speaker: Speaker,
        rate: int,
        factory: RecognizerFactory,
        emit: Callable[[Event], None],
        *,
        max_queued_frames: int = 600,
        recycle_after_ms: int = 60_000,
    ) -> None:
        self.speaker = speaker
        self.rate = rate
        self._factory = factory
        self._emit = emit
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max_queued_frames)
        self._abort = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"asr-{speaker}", daemon=True)
        self._recycle_after_ms = recycle_after_ms
        self._recognizer: Recognizer  # created on the worker thread
        self._recycler = Recycler(factory, rate, f"asr-{speaker}")
        self._fed_samples = 0
        self._origin_samples = 0  # the call sample at which the recogniser's clock reads 0
        self._utterance = 0
        self._utterance_start_ms: int | None = None
        self._last_partial = ""
        self._last_captured_ns = 0

    @property
    def fed_ms(self) -> int:
        return self._fed_samples * 1000 // self.rate

    @property
    def _origin_ms(self) -> int:
        return self._origin_samples * 1000 // self.rate

    def start(self) -> None:
        self._thread.start()

    def feed(self, frame: Frame, timeout: float | None = None) -> bool:
        """Queue a frame; False if the queue stayed full for ``timeout`` seconds."""
        try:
            self._queue.put(frame, timeout=timeout)
        except queue.Full:
            return False
        return True

    def close(self) -> None:
        """Finish queued audio, then flush. Safe to call more than once."""
        while self._thread.is_alive():
            try:
                self._queue.put(_CLOSE, timeout=0.1)
                return
            except queue.Full:
                continue

    def abort(self) -> None:
        self._abort.set()
        self.close()

    def join(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # --- worker thread -------------------------------------------------------

    def _run(self) -> None:
        try:
            self._recognizer = self._factory(self.rate)
            while True:
                item = self._queue.get()
                if item is _CLOSE:
                    break
                if self._abort.is_set():
                    continue
                assert isinstance(item, Frame)
                self._decode(item)
            self._finish(self._recognizer.FinalResult())
        except Exception as exc:  # a decoder failure must not kill the call silently
            log.exception("recogniser for %s failed", self.speaker)
            self._emit(
                SourceError(
                    code="recognizer_failed",
                    message=f"speech recognition for {self.speaker} stopped: {exc}",
                    t_ms=self.fed_ms,
                    speaker=self.speaker,
                    fatal=True,
                )
            )

    def _decode(self, frame: Frame) -> None:
        gap = frame.start_sample - self._fed_samples
        if gap > 0:
            self._feed_silence(gap)
        self._last_captured_ns = frame.captured_ns
        start_ms = frame.start_ms
        self._fed_samples += frame.samples
        if self._recognizer.AcceptWaveform(frame.pcm):
            self._endpoint()
            return
        partial = parse_partial(self._recognizer.PartialResult(), self._origin_ms)
        if partial.text == self._last_partial:
            return
        if self._utterance_start_ms is None:
            self._utterance_start_ms = partial.words[0].start_ms if partial.words else start_ms
        self._last_partial = partial.text
        self._emit(
            Partial(
                speaker=self.speaker,
                utterance=self._utterance,
                text=partial.text,
                start_ms=self._utterance_start_ms,
                t_ms=self.fed_ms,
                words=partial.words,
                captured_ns=frame.captured_ns,
            )
        )

    def _feed_silence(self, samples: int) -> None:
        chunk = self.rate * _SILENCE_CHUNK_MS // 1000
        while samples > 0:
            n = min(chunk, samples)
            self._fed_samples += n
            samples -= n
            if self._recognizer.AcceptWaveform(b"\0" * (n * SAMPLE_WIDTH)):
                self._endpoint()

    def _endpoint(self) -> None:
        """The recogniser found the end of an utterance: close it, maybe swap recognisers."""
        self._finish(self._recognizer.Result())
        self._recycle_if_due()

    def _recycle_if_due(self) -> None:
        if self._recycle_after_ms <= 0 or self.fed_ms - self._origin_ms < self._recycle_after_ms:
            return
        fresh = self._recycler.take()
        if fresh is None:
            self._recycler.prepare()  # swapped in at a later boundary, once warm
            return
        self._recycler.dispose(self._recognizer)
        self._recognizer = fresh
        self._origin_samples = self._fed_samples - self._recycler.warmup_samples

    def _finish(self, raw: str) -> None:
        """Emit the Final closing the current utterance.

        An utterance that produced no words is dropped, unless a Partial was
        shown for it: then an empty Final tells consumers to withdraw it.
        """
        result = parse_final(raw, self._origin_ms)
        had_partial = self._utterance_start_ms is not None
        if result.text or had_partial:
            words = result.words
            start = words[0].start_ms if words else (self._utterance_start_ms or self.fed_ms)
            end = words[-1].end_ms if words else self.fed_ms
            self._emit(
                Final(
                    speaker=self.speaker,
                    utterance=self._utterance,
                    text=result.text,
                    start_ms=start,
                    end_ms=end,
                    t_ms=self.fed_ms,
                    words=words,
                    confidence=result.confidence,
                    alternatives=result.alternatives,
                    captured_ns=self._last_captured_ns,
                )
            )
            self._utterance += 1
        self._utterance_start_ms = None
        self._last_partial = ""
