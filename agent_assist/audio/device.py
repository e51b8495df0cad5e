"""Live capture through sounddevice: one device, a stereo tap split by channel, or two devices.

PortAudio's callback only copies each block into a bounded queue. A reader
thread per stream demuxes, resamples and delivers frames, and watches the
stream: a PortAudio error, the stream finishing on its own, or no audio for
``stall_timeout_s`` (an unplugged headset, a dead audio server) ends that
stream with a fatal ``device_lost`` per speaker while the other streams go on.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from agent_assist.audio.convert import Int16Array, Resampler, demux
from agent_assist.audio.devices import (
    NO_DEVICES_HINT,
    InputDevice,
    SoundDevice,
    default_input_index,
    list_input_devices,
    match_device,
    pick_input_rate,
)
from agent_assist.audio.frames import EventSink, Frame, FrameSink
from agent_assist.audio.source import AudioSource
from agent_assist.errors import AudioError
from agent_assist.events import SourceError, SourceErrorCode, Speaker

_POLL_S = 0.1  # how often a reader looks at a stream that sends nothing
_OVERFLOW_REPORT_S = 1.0


@dataclass(frozen=True, slots=True)
class DeviceInput:
    """A device (index, name, or None for the default input) and its channel → speaker map."""

    device: int | str | None
    channel_map: Mapping[int, Speaker]


class _Lost(Exception):
    """The stream stopped delivering audio; the message says how."""


# (block bytes, monotonic ns on arrival, blocks dropped before it in total)
_Block = tuple[bytes, int, int]


class _Capture:
    """One PortAudio stream: the state its callback and its reader thread share."""

    def __init__(self, spec: DeviceInput, device: InputDevice, queue_blocks: int) -> None:
        self.device = device
        self.columns = sorted(spec.channel_map)
        self.speakers = tuple(spec.channel_map[c] for c in self.columns)
        self.channels = self.columns[-1] + 1
        self.queue: queue.Queue[_Block | None] = queue.Queue(maxsize=queue_blocks)
        self.dropped = 0  # written only by the PortAudio callback
        self.seen_dropped = 0  # the reader's view of ``dropped``
        self.ended = threading.Event()  # PortAudio finished the stream
        self.position = 0  # samples delivered per speaker, at the output rate
        self.blocksize = 0  # frames per PortAudio block, at the stream's rate
        self.resampler = Resampler(1, 1, len(self.columns))  # set once the rate is known

    def callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        # PortAudio's thread must never wait: copy the block and leave.
        try:
            self.queue.put_nowait((bytes(indata), time.monotonic_ns(), self.dropped))
        except queue.Full:
            self.dropped += 1

    def finished(self) -> None:
        self.ended.set()
        self.wake()

    def wake(self) -> None:
        with contextlib.suppress(queue.Full):  # a full queue wakes the reader anyway
            self.queue.put_nowait(None)


class DeviceSource(AudioSource):
    def __init__(
        self,
        sd: SoundDevice,
        inputs: Sequence[DeviceInput],
        *,
        rate: int = 16000,
        block_ms: int = 100,
        queue_blocks: int = 50,
        stall_timeout_s: float = 2.0,
        startup_timeout_s: float = 5.0,
    ) -> None:
        maps = [spec.channel_map for spec in inputs]
        speakers = [m[c] for m in maps for c in sorted(m)]
        if not maps or not all(maps) or min(min(m) for m in maps) < 0:
            raise AudioError("every input needs a channel map of channels numbered from 0")
        if len(set(speakers)) != len(speakers):
            raise AudioError(
                f"each channel needs its own speaker (got {', '.join(speakers)}); "
                "e.g. --channel-map left=agent,right=debtor"
            )
        self._sd = sd
        self._inputs = tuple(inputs)
        self.speakers = tuple(speakers)
        self.rate = rate
        self.block_ms = block_ms
        self.queue_blocks = queue_blocks
        self.stall_timeout_s = stall_timeout_s
        # A stream on a sound server can take seconds to deliver its first block.
        self.startup_timeout_s = max(startup_timeout_s, stall_timeout_s)
        self._captures: list[_Capture] = []
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self._done = threading.Event()
        self._lock = threading.Lock()  # the counters below; never taken by the callback
        self._running = 0
        self._reported = (0, 0.0)  # overflow count last reported, and when
        self._started = False

    def describe(self) -> str:
        parts = []
        for spec in self._inputs:
            device = "default input" if spec.device is None else str(spec.device)
            channels = ", ".join(f"{c}={s}" for c, s in sorted(spec.channel_map.items()))
            parts.append(f"{device} ({channels})")
        return "device:" + "; ".join(parts)

    @property
    def overflows(self) -> int:
        return sum(capture.dropped for capture in self._captures)

    def start(self, on_frame: FrameSink, on_event: EventSink) -> None:
        if self._started:
            raise RuntimeError("a source starts once")
        self._started = True
        devices = list_input_devices(self._sd)
        if not devices:
            on_event(SourceError("no_devices", NO_DEVICES_HINT, 0, fatal=True))
        for spec in self._inputs if devices else ():
            capture = self._resolve(spec, devices, on_event)
            if capture is not None:
                self._captures.append(capture)
        self._running = len(self._captures)
        if not self._captures:
            self._done.set()
        for capture in self._captures:
            thread = threading.Thread(
                target=self._read,
                args=(capture, on_frame, on_event),
                name=f"capture:{capture.device.name}",
                daemon=True,
            )
            self._threads.append(thread)
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for capture in self._captures:
            capture.wake()
        if not self._started:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        if not self._done.wait(timeout):
            return False
        for thread in self._threads:
            thread.join(timeout)
        return True

    def _resolve(
        self, spec: DeviceInput, devices: list[InputDevice], on_event: EventSink
    ) -> _Capture | None:
        speakers = tuple(spec.channel_map.values())
        if spec.device is None:
            index = default_input_index(self._sd)
            # No default input (or it has no input channels): the first input will do.
            device = next((d for d in devices if d.index == index), devices[0])
        else:
            try:
                device = match_device(devices, spec.device)
            except AudioError as exc:
                _fail(on_event, "device_not_found", str(exc), speakers)
                return None
        capture = _Capture(spec, device, self.queue_blocks)
        if capture.channels > device.max_input_channels:
            message = (
                f"{device.name} has {device.max_input_channels} input channel(s); "
                f"the channel map needs {capture.channels}"
            )
            _fail(on_event, "unsupported_format", message, speakers)
            return None
        return capture

    # --- reader thread -----------------------------------------------------

    def _read(self, capture: _Capture, on_frame: FrameSink, on_event: EventSink) -> None:
        stream = None
        try:
            try:
                rate = pick_input_rate(self._sd, capture.device, capture.channels, self.rate)
            except AudioError as exc:
                _fail(on_event, "unsupported_format", str(exc), capture.speakers)
                return
            capture.blocksize = max(1, rate * self.block_ms // 1000)
            capture.resampler = Resampler(rate, self.rate, len(capture.columns))
            stream = self._sd.RawInputStream(
                samplerate=rate,
                blocksize=capture.blocksize,
                device=capture.device.index,
                channels=capture.channels,
                dtype="int16",
                callback=capture.callback,
                finished_callback=capture.finished,
            )
            stream.start()
            try:
                self._pump(capture, on_frame, on_event)
            except _Lost as lost:
                self._deliver(capture, capture.resampler.flush(), on_frame)
                message = f"{capture.device.name}: {lost}; check the headset or the audio server"
                _fail(on_event, "device_lost", message, capture.speakers, self._t_ms(capture))
                return
            _close(stream, drain=True)  # PortAudio calls back no more after this
            stream = None
            with contextlib.suppress(queue.Empty):  # deliver what was captured before the stop
                while True:
                    if (item := capture.queue.get_nowait()) is not None:
                        self._take(capture, item, on_frame, on_event)
            self._deliver(capture, capture.resampler.flush(), on_frame)
        except Exception as exc:  # PortAudioError on open or start, or a consumer's failure
            message = f"{capture.device.name}: audio capture failed: {exc}"
            _fail(on_event, "device_lost", message, capture.speakers, self._t_ms(capture))
        finally:
            _close(stream)
            with self._lock:
                self._running -= 1
                if self._running == 0:
                    self._done.set()

    def _pump(self, capture: _Capture, on_frame: FrameSink, on_event: EventSink) -> None:
        """Deliver blocks until stopped; :class:`_Lost` when the stream ends by itself or stalls."""
        last_block, limit = time.monotonic(), self.startup_timeout_s
        while not self._stop.is_set():
            try:
                item = capture.queue.get(timeout=_POLL_S)
            except queue.Empty:
                item = None
            if item is not None:
                last_block, limit = time.monotonic(), self.stall_timeout_s
                self._take(capture, item, on_frame, on_event)
            elif self._stop.is_set():
                return
            elif capture.ended.is_set() and capture.queue.empty():
                raise _Lost("the audio stream ended unexpectedly")
            elif time.monotonic() - last_block > limit:
                raise _Lost(f"no audio arrived for {limit:g} s")
            else:
                self._report_overflow(capture, on_event)  # one held back by the rate limit

    def _take(
        self, capture: _Capture, item: _Block, on_frame: FrameSink, on_event: EventSink
    ) -> None:
        data, captured_ns, dropped = item
        if dropped > capture.seen_dropped:
            # Dropped blocks leave a gap on the timeline, which stays true to the clock.
            lost_frames = (dropped - capture.seen_dropped) * capture.blocksize
            capture.position += lost_frames * self.rate // capture.resampler.in_rate
            capture.seen_dropped = dropped
        self._report_overflow(capture, on_event)
        samples = demux(np.frombuffer(data, dtype="<i2").astype(np.int16), capture.channels)
        block = capture.resampler.process(samples[:, capture.columns])
        self._deliver(capture, block, on_frame, captured_ns)

    def _deliver(
        self, capture: _Capture, block: Int16Array, on_frame: FrameSink, captured_ns: int = 0
    ) -> None:
        if len(block) == 0:
            return
        captured_ns = captured_ns or time.monotonic_ns()
        for column, speaker in enumerate(capture.speakers):
            pcm = block[:, column].astype("<i2").tobytes()
            on_frame(Frame(speaker, pcm, self.rate, capture.position, captured_ns))
        capture.position += len(block)

    def _report_overflow(self, capture: _Capture, on_event: EventSink) -> None:
        total, now = self.overflows, time.monotonic()
        with self._lock:
            last_count, last_time = self._reported
            if total <= last_count or now - last_time < _OVERFLOW_REPORT_S:
                return
            self._reported = (total, now)
        message = f"the computer fell behind: {total} audio block(s) dropped so far"
        on_event(SourceError("overflow", message, self._t_ms(capture), count=total))

    def _t_ms(self, capture: _Capture) -> int:
        return capture.position * 1000 // self.rate


def _close(stream: Any, drain: bool = False) -> None:
    """Stop and close; errors mean the stream already stopped or the device is gone."""
    if stream is None:
        return
    with contextlib.suppress(Exception):
        # stop() hands over the blocks PortAudio still holds; abort() does not wait for
        # a device that stopped answering.
        if drain:
            stream.stop()
        else:
            stream.abort()
    with contextlib.suppress(Exception):
        stream.close()


def _fail(
    on_event: EventSink,
    code: SourceErrorCode,
    message: str,
    speakers: Sequence[Speaker],
    t_ms: int = 0,
) -> None:
    for speaker in speakers:
        on_event(SourceError(code, message, t_ms, speaker=speaker, fatal=True))
