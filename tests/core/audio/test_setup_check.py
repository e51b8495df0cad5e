"""Trying an audio set-up: device names for settings, the tap the capture threads feed,
one metered source at a time, playback of the test recording."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from agent_assist.audio.device import DeviceInput, DeviceSource
from agent_assist.audio.devices import list_input_devices
from agent_assist.audio.frames import Frame
from agent_assist.audio.setup_check import (
    RATE,
    RECORD_S,
    AudioTap,
    LiveMeters,
    device_specs,
    play_back,
    probe_devices,
)
from agent_assist.errors import AudioError
from agent_assist.events import SourceError
from tests.support.fake_sounddevice import FakeDevice, FakeSoundDevice, PortAudioError

pytestmark = pytest.mark.usefixtures("no_stray_threads")


def block(speaker: str, amplitude: int, samples: int = RATE // 10) -> Frame:
    return Frame(speaker, np.full(samples, amplitude, dtype="<i2").tobytes(), RATE, 0, 0)


def test_a_device_is_named_in_settings_by_its_name_unless_that_is_ambiguous() -> None:
    sd = FakeSoundDevice(
        [
            FakeDevice("USB Headset"),
            FakeDevice("USB Headset Mono"),
            FakeDevice("Loopback"),
            FakeDevice("Loopback"),
        ]
    )
    devices = list_input_devices(sd)
    # "Loopback" names two devices: they are named by number.
    assert device_specs(devices) == {0: "USB Headset", 1: "USB Headset Mono", 2: "2", 3: "3"}


def test_probing_loads_portaudio_and_lists_its_inputs() -> None:
    sd = FakeSoundDevice([FakeDevice("HDMI", channels=0, outputs=2), FakeDevice("Headset")])
    loaded, devices = probe_devices(lambda: sd)
    assert loaded is sd
    assert [d.name for d in devices] == ["Headset"]

    def missing() -> Any:
        raise AudioError("the audio library PortAudio is not installed")

    with pytest.raises(AudioError, match="PortAudio is not installed"):
        probe_devices(missing)


def test_the_tap_keeps_levels_and_records_only_between_start_and_stop() -> None:
    tap = AudioTap()
    tap.on_frame(block("agent", 8000))
    assert tap.levels()["agent"].peak_dbfs == pytest.approx(-12.2)
    assert tap.recorded_seconds() == {}

    tap.start_recording()
    for _ in range(RECORD_S * 10 + 5):  # half a second more than a test recording
        tap.on_frame(block("agent", 8000))
    tap.on_frame(block("debtor", 800))
    assert tap.recorded_seconds() == {"agent": RECORD_S + 0.5, "debtor": 0.1}
    recording = tap.stop_recording()
    assert len(recording["agent"]) == RECORD_S * RATE  # cut to the test's length
    assert len(recording["debtor"]) == RATE // 10
    assert set(recording["debtor"]) == {800}

    tap.on_frame(block("agent", 8000))
    assert tap.recorded_seconds() == {}
    assert tap.stop_recording() == {}


def test_the_tap_keeps_only_fatal_problems_and_hands_each_over_once() -> None:
    tap = AudioTap()
    lost = SourceError(
        "device_lost", "USB Headset: the stream ended", 0, speaker="agent", fatal=True
    )
    tap.on_event(SourceError("overflow", "3 blocks dropped", 0, fatal=False))
    tap.on_event(lost)
    assert tap.take_problems() == [lost]
    assert tap.take_problems() == []


def test_a_new_source_opens_only_once_the_previous_one_has_closed() -> None:
    sd = FakeSoundDevice([FakeDevice("USB Headset", channels=1)])
    closed_when_opened: list[list[bool]] = []
    open_stream = sd.RawInputStream

    def opening(**kwargs: Any) -> Any:
        closed_when_opened.append([s.closed for s in sd.streams])
        return open_stream(**kwargs)

    sd.RawInputStream = opening  # type: ignore[method-assign]
    meters = LiveMeters()
    first, second = AudioTap(), AudioTap()
    meters.open(DeviceSource(sd, [DeviceInput("USB Headset", {0: "agent"})]), first)
    assert sd.wait_blocks(2)
    meters.open(DeviceSource(sd, [DeviceInput("USB Headset", {0: "debtor"})]), second)
    assert sd.wait_until(lambda: len(sd.streams) == 2 and sd.streams[1].blocks_sent > 2)
    meters.close()
    assert sd.wait_until(lambda: all(s.closed for s in sd.streams))

    assert closed_when_opened == [[], [True]]
    assert set(first.levels()) == {"agent"}
    assert set(second.levels()) == {"debtor"}


class SlowToClose(DeviceSource):
    """A source whose streams take until ``released`` to close, as a sound server's may."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.released = threading.Event()

    def wait(self, timeout: float | None = None) -> bool:
        self.released.wait(timeout)
        return super().wait(timeout)


def test_a_source_closed_while_waiting_for_its_turn_never_opens() -> None:
    sd = FakeSoundDevice([FakeDevice("USB Headset", channels=1)])
    meters = LiveMeters()
    slow = SlowToClose(sd, [DeviceInput("USB Headset", {0: "agent"})])
    meters.open(slow, AudioTap())
    assert sd.wait_blocks(1)
    meters.open(DeviceSource(sd, [DeviceInput("USB Headset", {0: "agent"})]), AudioTap())
    meters.close()  # the dialog closed while the first stream was still closing
    slow.released.set()
    for thread in threading.enumerate():
        if thread.name == "settings-meters":
            thread.join(5)
    assert len(sd.streams) == 1
    assert sd.wait_until(lambda: sd.streams[0].closed)


def test_clips_play_together_left_and_right_and_free_the_output() -> None:
    calls: list[str] = []
    played: list[tuple[np.ndarray, int, bool]] = []
    sd = SimpleNamespace(
        play=lambda data, samplerate, blocking: played.append((data, samplerate, blocking)),
        stop=lambda: calls.append("stop"),
    )
    agent = np.full(RATE, 1000, dtype=np.int16)
    debtor = np.full(RATE // 2, -500, dtype=np.int16)
    play_back(sd, [agent, debtor])

    [(data, rate, blocking)] = played
    assert (rate, blocking) == (RATE, True)
    assert data.shape == (RATE, 2)
    assert set(data[:, 0]) == {1000}
    assert set(data[: RATE // 2, 1]) == {-500}
    assert set(data[RATE // 2 :, 1]) == {0}  # the shorter clip ends in silence
    assert calls == ["stop"]


def test_an_output_that_refuses_is_an_audio_error_and_is_still_freed() -> None:
    calls: list[str] = []

    def refuse(data: np.ndarray, samplerate: int, blocking: bool) -> None:
        raise PortAudioError("Error querying device -1")

    sd = SimpleNamespace(play=refuse, stop=lambda: calls.append("stop"))
    with pytest.raises(AudioError, match="Error querying device -1"):
        play_back(sd, [np.zeros(RATE, dtype=np.int16)])
    assert calls == ["stop"]
