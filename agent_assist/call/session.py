"""A live call: audio source → one recogniser per speaker → one event stream.

The session owns the threads of a call. Sources and workers push immutable
events into one queue; consumers (the CLI, the store, the UI bridge) read
them in order with :meth:`CallSession.events`. The stream always starts with
``CallStarted`` and ends with exactly one ``CallEnded``.

Analyzers (the live rule engine) see every event as it is produced and may
add events of their own (flags, nudges), which follow the event that caused
them; what they add on ``CallEnded`` comes before it.
"""

from __future__ import annotations

import logging
import queue
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Protocol

from agent_assist.asr.worker import RecognizerFactory, RecognizerWorker
from agent_assist.audio.frames import Frame, FrameSink
from agent_assist.audio.source import AudioSource
from agent_assist.call.levels import LevelTracker
from agent_assist.events import (
    AudioLevel,
    CallEnded,
    CallStarted,
    EndReason,
    Event,
    SourceError,
    Speaker,
)

_FEED_POLL_S = 0.2

log = logging.getLogger(__name__)


class Analyzer(Protocol):
    """Derives events from the stream. Called from several threads: must be thread-safe."""

    def on_event(self, event: Event) -> Iterable[Event]: ...


class CallSession:
    def __init__(
        self,
        source: AudioSource,
        recognizer_factory: RecognizerFactory,
        *,
        model_name: str,
        call_id: str | None = None,
        level_interval_ms: int = 250,
        max_queued_frames: int = 600,
        analyzers: Sequence[Analyzer] = (),
        recycle_after_ms: int = 60_000,
        frame_taps: Sequence[FrameSink] = (),
    ) -> None:
        self.call_id = call_id or uuid.uuid4().hex
        self.source = source
        self.model_name = model_name
        self._events: queue.Queue[Event] = queue.Queue()
        self._analyzers = tuple(analyzers)
        self._taps = tuple(frame_taps)  # e.g. call recording, when a bank turns it on
        self._levels = LevelTracker(level_interval_ms)
        self._workers: dict[Speaker, RecognizerWorker] = {
            speaker: RecognizerWorker(
                speaker,
                source.rate,
                recognizer_factory,
                self._emit,
                max_queued_frames=max_queued_frames,
                recycle_after_ms=recycle_after_ms,
            )
            for speaker in source.speakers
        }
        self._stopping = threading.Event()
        self._source_failed = threading.Event()
        self._ended = threading.Event()
        self._monitor = threading.Thread(
            target=self._finish_when_done, name="call-monitor", daemon=True
        )
        self._started = False

    @property
    def speakers(self) -> tuple[Speaker, ...]:
        return self.source.speakers

    def start(self) -> None:
        if self._started:
            raise RuntimeError("a call session starts once")
        self._started = True
        self._emit(
            CallStarted(
                call_id=self.call_id,
                speakers=self.source.speakers,
                source=self.source.describe(),
                model=self.model_name,
                sample_rate=self.source.rate,
                started_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
            )
        )
        for worker in self._workers.values():
            worker.start()
        self.source.start(self._on_frame, self._on_source_event)
        self._monitor.start()

    def stop(self) -> None:
        """End the call: stop capturing; audio already captured is still decoded."""
        self._stopping.set()
        self.source.stop()

    def wait(self, timeout: float | None = None) -> bool:
        return self._ended.wait(timeout)

    def levels(self) -> dict[Speaker, AudioLevel]:
        """The newest level per speaker, for a meter polled by a timer."""
        return self._levels.latest()

    def events(self, timeout: float | None = None) -> Iterator[Event]:
        """Yield events in order until ``CallEnded`` (or ``timeout`` of silence)."""
        while True:
            try:
                event = self._events.get(timeout=timeout)
            except queue.Empty:
                return
            yield event
            if isinstance(event, CallEnded):
                return

    def _emit(self, event: Event) -> None:
        derived: list[Event] = []
        for analyzer in self._analyzers:
            try:
                derived.extend(analyzer.on_event(event))
            except Exception:  # an analyzer fault must not end the call
                log.exception("analyzer %r failed on %s", analyzer, type(event).__name__)
        if isinstance(event, CallEnded):
            derived.append(event)
        else:
            derived.insert(0, event)
        for item in derived:
            self._events.put(item)

    # --- called on source threads ------------------------------------------

    def _on_frame(self, frame: Frame) -> None:
        for tap in self._taps:
            tap(frame)
        level = self._levels.update(frame)
        if level is not None:
            self._emit(level)
        worker = self._workers.get(frame.speaker)
        if worker is None:
            return
        # Block while the recogniser catches up (a file replayed fast), but
        # never past a stop request.
        while not worker.feed(frame, timeout=_FEED_POLL_S):
            if self._stopping.is_set():
                return

    def _on_source_event(self, event: Event) -> None:
        self._emit(event)
        if isinstance(event, SourceError) and event.fatal:
            self._source_failed.set()

    # --- monitor thread ----------------------------------------------------

    def _finish_when_done(self) -> None:
        self.source.wait()
        for worker in self._workers.values():
            worker.close()
        for worker in self._workers.values():
            worker.join()
        reason: EndReason
        if self._stopping.is_set():
            reason = "stopped"
        elif self._source_failed.is_set():
            reason = "source_error"
        else:
            reason = "completed"
        self._emit(
            CallEnded(
                reason=reason,
                t_ms=max((w.fed_ms for w in self._workers.values()), default=0),
                overflows=self.source.overflows,
            )
        )
        self._ended.set()
