"""The interface every audio source implements."""

from __future__ import annotations

from abc import ABC, abstractmethod

from agent_assist.audio.frames import EventSink, FrameSink
from agent_assist.events import Speaker


class AudioSource(ABC):
    """Produces frames for one or more speakers on its own thread(s).

    ``start`` returns at once; frames arrive through ``on_frame`` and problems
    through ``on_event`` (``SourceError``). ``finished`` becomes true when the
    source has nothing more to give (end of file, device lost, or ``stop``).
    """

    speakers: tuple[Speaker, ...]
    rate: int  # the rate frames are delivered at (the recogniser's)

    @abstractmethod
    def describe(self) -> str:
        """A short human description, e.g. ``"wav:call.wav (stereo: agent,debtor)"``."""

    @abstractmethod
    def start(self, on_frame: FrameSink, on_event: EventSink) -> None: ...

    @abstractmethod
    def stop(self) -> None:
        """Ask the source to stop; idempotent; does not wait."""

    @abstractmethod
    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the source has finished; True if it has."""

    @property
    @abstractmethod
    def overflows(self) -> int:
        """Blocks dropped so far because the consumer fell behind."""
