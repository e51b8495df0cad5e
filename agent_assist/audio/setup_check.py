"""Trying an audio set-up before a call: its devices as settings name them, the one source
metered at a time, the levels, problems and test recording its capture threads deliver,
and the recording played back."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence

import numpy as np

from agent_assist.audio.convert import Int16Array
from agent_assist.audio.device import DeviceSource
from agent_assist.audio.devices import InputDevice, SoundDevice, list_input_devices, match_device
from agent_assist.audio.frames import SAMPLE_WIDTH, Frame
from agent_assist.call.levels import LevelTracker
from agent_assist.errors import AudioError
from agent_assist.events import AudioLevel, Event, SourceError, Speaker

RATE = 16000  # what a call hands the recogniser; the test recording is the same audio
RECORD_S = 5


def probe_devices(load: Callable[[], SoundDevice]) -> tuple[SoundDevice, list[InputDevice]]:
    """The sounddevice module (loading PortAudio scans the devices: slow) and its inputs."""
    sd = load()
    return sd, list_input_devices(sd)


def device_specs(devices: Sequence[InputDevice]) -> dict[int, str]:
    """How settings name each device: its name when that finds it alone, else its number
    (the same name under several host APIs)."""
    specs = {}
    for device in devices:
        try:
            named = match_device(devices, device.name).index == device.index
        except AudioError:
            named = False
        specs[device.index] = device.name if named else str(device.index)
    return specs


class AudioTap:
    """Takes the metered set-up's frames and problems on capture threads; the UI timer
    reads levels, problems and the test recording from it."""

    def __init__(self) -> None:
        self._levels = LevelTracker(interval_ms=0)
        self._lock = threading.Lock()
        self._problems: list[SourceError] = []
        self._recording: dict[Speaker, list[bytes]] | None = None

    def on_frame(self, frame: Frame) -> None:
        self._levels.update(frame)
        with self._lock:
            if self._recording is not None:
                self._recording.setdefault(frame.speaker, []).append(frame.pcm)

    def on_event(self, event: Event) -> None:
        if isinstance(event, SourceError) and event.fatal:
            with self._lock:
                self._problems.append(event)

    def levels(self) -> dict[Speaker, AudioLevel]:
        return self._levels.latest()

    def take_problems(self) -> list[SourceError]:
        with self._lock:
            problems, self._problems = self._problems, []
        return problems

    def start_recording(self) -> None:
        with self._lock:
            self._recording = {}

    def recorded_seconds(self) -> dict[Speaker, float]:
        with self._lock:
            recording = self._recording or {}
            return {
                speaker: sum(len(b) for b in blocks) / SAMPLE_WIDTH / RATE
                for speaker, blocks in recording.items()
            }

    def stop_recording(self) -> dict[Speaker, Int16Array]:
        """Each speaker's first RECORD_S seconds."""
        with self._lock:
            recording, self._recording = self._recording or {}, None
        return {
            speaker: np.frombuffer(b"".join(blocks), dtype="<i2")[: RECORD_S * RATE]
            for speaker, blocks in recording.items()
        }


class LiveMeters:
    """The one source being metered. A new one opens only after the previous one has
    closed: a headset may refuse a second stream."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._source: DeviceSource | None = None

    def open(self, source: DeviceSource, tap: AudioTap) -> None:
        with self._lock:
            previous, self._source = self._source, source
        threading.Thread(
            target=self._hand_over,
            args=(previous, source, tap),
            name="settings-meters",
            daemon=True,
        ).start()

    def close(self) -> None:
        with self._lock:
            source, self._source = self._source, None
        if source is not None:
            source.stop()

    def _hand_over(
        self, previous: DeviceSource | None, source: DeviceSource, tap: AudioTap
    ) -> None:
        if previous is not None:
            previous.stop()
            previous.wait(5.0)
        with self._lock:
            if self._source is source:  # not replaced or closed meanwhile
                source.start(tap.on_frame, tap.on_event)


def play_back(sd: SoundDevice, clips: Sequence[Int16Array], rate: int = RATE) -> None:
    """Play the clips together through the default output (first left, second right)."""
    length = max(len(clip) for clip in clips)
    stereo = np.zeros((length, len(clips)), dtype=np.int16)
    for column, clip in enumerate(clips):
        stereo[: len(clip), column] = clip
    try:
        sd.play(stereo, samplerate=rate, blocking=True)
    except Exception as exc:  # PortAudioError: no output device, a format it refuses
        raise AudioError(str(exc) or type(exc).__name__) from exc
    finally:
        # play() keeps its stream open until the next one: free the output device now.
        with contextlib.suppress(Exception):
            sd.stop()
