"""Replacing a recogniser during a call without stalling it.

A Vosk recogniser's memory grows with the audio it decodes (its on-the-fly
graph cache: over 100 MB in the first minute on large graphs), so a worker
swaps in a fresh one every so often at an utterance boundary. Building and
warming the fresh one (its first audio costs most of a second) and freeing
the old one both happen on short-lived helper threads, so the worker never
waits and partial results keep flowing.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from agent_assist.audio.frames import SAMPLE_WIDTH

WARMUP_MS = 300


class _Warmable(Protocol):
    def AcceptWaveform(self, data: bytes) -> int: ...


def release_free_memory() -> None:
    """Hand memory freed by C code back to the system (glibc keeps it otherwise)."""
    # Not glibc (macOS, Windows, musl): nothing to do.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


R = TypeVar("R", bound=_Warmable)


class Recycler(Generic[R]):
    def __init__(self, factory: Callable[[int], R], rate: int, name: str) -> None:
        self._factory = factory
        self._rate = rate
        self._name = name
        self._lock = threading.Lock()
        self._spare: R | None = None
        self._preparing = False
        self.warmup_samples = rate * WARMUP_MS // 1000

    def prepare(self) -> None:
        """Start building a warmed spare unless one is ready or on its way."""
        with self._lock:
            if self._preparing or self._spare is not None:
                return
            self._preparing = True
        threading.Thread(target=self._build, name=f"{self._name}-spare", daemon=True).start()

    def take(self) -> R | None:
        """The warmed spare if it is ready (its clock already reads ``warmup_samples``)."""
        with self._lock:
            spare, self._spare = self._spare, None
        return spare

    def dispose(self, old: R) -> None:
        threading.Thread(
            target=_free, args=([old],), name=f"{self._name}-free", daemon=True
        ).start()

    def _build(self) -> None:
        try:
            fresh = self._factory(self._rate)
            fresh.AcceptWaveform(b"\0" * (self.warmup_samples * SAMPLE_WIDTH))
            with self._lock:
                self._spare = fresh
        finally:
            with self._lock:
                self._preparing = False


def _free(holder: list[object]) -> None:
    holder.clear()  # the last reference: the recogniser is freed here, not on the worker
    release_free_memory()
