"""The unit of audio handed from a source to a recogniser worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from agent_assist.events import Event, Speaker

SAMPLE_WIDTH = 2  # bytes: 16-bit signed little-endian PCM


@dataclass(frozen=True, slots=True)
class Frame:
    """A block of one speaker's audio, already mono 16-bit at the recogniser's rate.

    ``start_sample`` counts samples since the call began on this speaker's
    timeline, so a gap (dropped audio) is visible to the consumer.
    ``captured_ns`` is the monotonic time at which the block's last sample
    was captured (or, for a file, became due).
    """

    speaker: Speaker
    pcm: bytes
    rate: int
    start_sample: int
    captured_ns: int

    @property
    def samples(self) -> int:
        return len(self.pcm) // SAMPLE_WIDTH

    @property
    def start_ms(self) -> int:
        return self.start_sample * 1000 // self.rate

    @property
    def end_ms(self) -> int:
        return (self.start_sample + self.samples) * 1000 // self.rate


class FrameSink(Protocol):
    """Where a source delivers its frames. May block briefly (back-pressure)."""

    def __call__(self, frame: Frame) -> None: ...


class EventSink(Protocol):
    """Where a source reports errors and levels. Must not block."""

    def __call__(self, event: Event) -> None: ...
