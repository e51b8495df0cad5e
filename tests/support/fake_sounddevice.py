"""A stand-in for the sounddevice module, and sinks that record what a source delivers.

``FakeSoundDevice`` offers the calls the audio package makes (``query_devices``,
``query_hostapis``, ``check_input_settings``, ``RawInputStream``, ``default``,
``PortAudioError``). Each stream feeds its callback from its own thread with a
sine per channel (continuous across blocks), ``speed`` times faster than real
time, and can be made to fail as real devices do: unplugged (callbacks just
stop), finished by PortAudio (the server died), or refused on open.
"""

from __future__ import annotations

import threading
import time
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from agent_assist.audio.frames import Frame
from agent_assist.events import Event, SourceError


class PortAudioError(Exception):
    pass


@dataclass
class FakeDevice:
    name: str
    channels: int = 2
    default_samplerate: float = 16000.0
    rates: frozenset[int] | None = None  # accepted rates; None accepts any
    freqs: tuple[float, ...] = (440.0, 1000.0)  # sine frequency per channel
    amplitude: int = 8000
    fail_open: bool = False
    silent: bool = False  # opens, but never calls back (a device that never starts)
    outputs: int = 0


class FakeRawInputStream:
    def __init__(
        self,
        owner: FakeSoundDevice,
        *,
        samplerate: float,
        blocksize: int,
        device: int,
        channels: int,
        dtype: str,
        callback: Callable[[Any, int, Any, Any], None],
        finished_callback: Callable[[], None] | None = None,
        **_: Any,
    ) -> None:
        self.device = owner.devices[device]
        if self.device.fail_open:
            raise PortAudioError("Error opening RawInputStream: Device unavailable [-9985]")
        assert dtype == "int16"
        self.owner = owner
        self.samplerate = int(samplerate)
        self.blocksize = blocksize
        self.channels = channels
        self.callback = callback
        self.finished_callback = finished_callback
        self.blocks_sent = 0
        self.closed = False
        self._halt = threading.Event()
        self._silent = threading.Event()  # unplugged: no more callbacks
        if self.device.silent:
            self._silent.set()
        self._thread: threading.Thread | None = None
        owner.streams.append(self)

    # --- the sounddevice API -----------------------------------------------

    @property
    def active(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._produce, name="fake-portaudio", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._end(notify=True)

    def abort(self) -> None:
        self._end(notify=True)

    def close(self) -> None:
        self._end(notify=True)
        with self.owner.progress:
            self.closed = True
            self.owner.progress.notify_all()

    def __enter__(self) -> FakeRawInputStream:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- failures ------------------------------------------------------------

    def unplug(self) -> None:
        """Callbacks stop, and nothing tells the application (the stream looks active)."""
        self._silent.set()

    def die(self) -> None:
        """PortAudio ends the stream itself, as when the audio server goes away."""
        self._silent.set()
        self._end(notify=True)

    # --- internals -------------------------------------------------------------

    def _end(self, notify: bool) -> None:
        was_running = self._thread is not None and not self._halt.is_set()
        self._halt.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        if notify and was_running and self.finished_callback is not None:
            self.finished_callback()

    def _produce(self) -> None:
        period = self.blocksize / self.samplerate / self.owner.speed
        position = 0
        due = time.monotonic()
        freqs = [self.device.freqs[c % len(self.device.freqs)] for c in range(self.channels)]
        while not self._halt.is_set():
            due += period
            if self._halt.wait(max(0.0, due - time.monotonic())):
                return
            if self._silent.is_set():
                continue
            t = (position + np.arange(self.blocksize)) / self.samplerate
            block = np.stack([np.sin(2 * np.pi * f * t) for f in freqs], axis=1)
            pcm = (block * self.device.amplitude).astype("<i2").tobytes()
            position += self.blocksize
            self.callback(memoryview(pcm), self.blocksize, None, None)
            with self.owner.progress:
                self.blocks_sent += 1
                self.owner.progress.notify_all()


class _Pair:
    """Like sounddevice's ``default.device``: indexable by 0/1 or "input"/"output", no Sequence."""

    def __init__(self, input_device: int, output_device: int) -> None:
        self._pair = [input_device, output_device]

    def __getitem__(self, index: int | str) -> int:
        key = {"input": 0, "output": 1}[index] if isinstance(index, str) else index
        return self._pair[key]


class FakeSoundDevice(types.ModuleType):
    """Pass where the sounddevice module is expected (or put it in ``sys.modules``)."""

    PortAudioError = PortAudioError

    def __init__(
        self, devices: Sequence[FakeDevice] = (), default_input: int = 0, speed: float = 10.0
    ) -> None:
        super().__init__("sounddevice")
        self.devices = list(devices)
        self.speed = speed
        self.default = types.SimpleNamespace(device=_Pair(default_input if devices else -1, -1))
        self.streams: list[FakeRawInputStream] = []
        self.fail_query = False
        self.progress = threading.Condition()  # notified on every block sent and stream closed

    def query_devices(self, device: int | None = None, kind: str | None = None) -> Any:
        if self.fail_query:
            raise PortAudioError("PortAudio not initialized [-10000]")
        infos = [
            {
                "name": d.name,
                "index": i,
                "hostapi": 0,
                "max_input_channels": d.channels,
                "max_output_channels": d.outputs,
                "default_samplerate": d.default_samplerate,
            }
            for i, d in enumerate(self.devices)
        ]
        return infos if device is None else infos[device]

    def query_hostapis(self) -> tuple[dict[str, Any], ...]:
        return ({"name": "ALSA", "devices": list(range(len(self.devices)))},)

    def check_input_settings(
        self,
        device: int | None = None,
        channels: int | None = None,
        dtype: str | None = None,
        extra_settings: Any = None,
        samplerate: float | None = None,
    ) -> None:
        d = self.devices[device if device is not None else self.default.device[0]]
        if channels is not None and channels > d.channels:
            raise PortAudioError("Invalid number of channels [PaErrorCode -9998]")
        if samplerate is not None and d.rates is not None and int(samplerate) not in d.rates:
            raise PortAudioError("Invalid sample rate [PaErrorCode -9997]")

    def RawInputStream(self, **kwargs: Any) -> FakeRawInputStream:
        return FakeRawInputStream(self, **kwargs)

    def wait_blocks(self, count: int, timeout: float = 5.0) -> bool:
        """Wait until the streams have called back ``count`` blocks in all."""
        return self.wait_until(lambda: sum(s.blocks_sent for s in self.streams) >= count, timeout)

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        with self.progress:
            return self.progress.wait_for(predicate, timeout)

    def stream_for(self, name: str) -> FakeRawInputStream:
        return next(s for s in self.streams if s.device.name == name)

    def close_all(self) -> None:
        for stream in self.streams:
            stream.close()


@dataclass
class Collector:
    """Records frames and events from a source; tests wait on it instead of sleeping."""

    frames: list[Frame] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def on_frame(self, frame: Frame) -> None:
        with self._changed:
            self.frames.append(frame)
            self._changed.notify_all()

    def on_event(self, event: Event) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def wait_for(self, predicate: Callable[[Collector], bool], timeout: float = 5.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self), timeout)

    def of(self, speaker: str) -> list[Frame]:
        with self._changed:
            return [f for f in self.frames if f.speaker == speaker]

    def samples(self, speaker: str) -> np.ndarray:
        pcm = b"".join(f.pcm for f in self.of(speaker))
        return np.frombuffer(pcm, dtype="<i2")

    def errors(self, code: str | None = None) -> list[SourceError]:
        with self._changed:
            found = [e for e in self.events if isinstance(e, SourceError)]
        return [e for e in found if code is None or e.code == code]


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    """The frequency of the strongest FFT bin."""
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64) * np.hanning(len(samples))))
    return float(np.argmax(spectrum) * rate / len(samples))
