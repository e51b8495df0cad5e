"""Live capture from a real PulseAudio server through PortAudio (no sound card needed).

Speech is played into a null sink and captured from its monitor, so the
whole path runs for real: PortAudio's callback, the reader thread, the
audio server's clock, and the server dying or going quiet mid-call.
"""

from __future__ import annotations

import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from agent_assist.audio.device import DeviceInput, DeviceSource
from agent_assist.audio.devices import find_device, list_input_devices
from tests.support.fake_sounddevice import Collector
from tests.support.pulse import PulseServer

pytestmark = [pytest.mark.real, pytest.mark.usefixtures("no_stray_threads")]

RATE = 16000
LOUD = 300  # RMS of a 100 ms block that holds speech; the null sink's silence is exactly 0
FIRST_BLOCK_S = 10.0  # a stream on a sound server takes up to ~2 s to deliver its first block


@pytest.fixture
def capture(pulse: PulseServer) -> Iterator[tuple[list[DeviceSource], Collector]]:
    """Starts sources on the real sounddevice module; always stops and joins them."""
    sources: list[DeviceSource] = []
    yield sources, Collector()
    for source in sources:
        source.stop()
    for source in sources:
        assert source.wait(40.0)


def start(
    capture: tuple[list[DeviceSource], Collector], device: str | None, **options: Any
) -> DeviceSource:
    import sounddevice

    sources, sink = capture
    source = DeviceSource(sounddevice, [DeviceInput(device, {0: "agent"})], rate=RATE, **options)
    sources.append(source)
    source.start(sink.on_frame, sink.on_event)
    assert sink.wait_for(lambda s: bool(s.frames), timeout=FIRST_BLOCK_S), sink.events
    return source


def loud_span(samples: np.ndarray) -> tuple[int, int]:
    """First and last sample of the 100 ms blocks that hold speech."""
    blocks = samples[: len(samples) // 1600 * 1600].reshape(-1, 1600).astype(np.float64)
    loud = np.flatnonzero(np.sqrt((blocks**2).mean(axis=1)) > LOUD)
    assert len(loud), "no speech found"
    return int(loud[0]) * 1600, (int(loud[-1]) + 1) * 1600


@pytest.mark.parametrize("device", [None, "pulse"], ids=["default", "pulse"])
def test_played_speech_is_captured_at_real_time_pace(
    capture: tuple[list[DeviceSource], Collector],
    pulse: PulseServer,
    speech_wav: Path,
    device: str | None,
) -> None:
    with wave.open(str(speech_wav)) as w:
        played = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    source = start(capture, device)
    sink = capture[1]

    pulse.play(speech_wav)
    after = time.monotonic_ns()
    assert sink.wait_for(lambda s: s.frames[-1].captured_ns > after + 300_000_000, timeout=5)
    source.stop()
    assert source.wait(10.0)

    assert sink.errors() == []
    frames = sink.of("agent")
    assert {f.rate for f in frames} == {RATE}
    captured = sink.samples("agent")
    first, last = loud_span(captured)
    want_first, want_last = loud_span(played)
    speech_s, want_s = (last - first) / RATE, (want_last - want_first) / RATE
    assert speech_s == pytest.approx(want_s, abs=0.25)  # all of it, and no more

    # Real-time pace: the speech arrived spread over (nearly) its own duration.
    voiced = [f for f in frames if first <= f.start_sample < last]
    arrival_s = (voiced[-1].captured_ns - voiced[0].captured_ns) / 1e9
    assert arrival_s >= 0.8 * (want_s - 0.1)
    # The whole capture too: audio delivered matches the wall time it took.
    wall_s = (frames[-1].captured_ns - frames[0].captured_ns) / 1e9
    audio_s = (frames[-1].start_sample - frames[0].start_sample) / RATE
    assert audio_s == pytest.approx(wall_s, abs=0.5)

    rms = float(np.sqrt((captured[first:last].astype(np.float64) ** 2).mean()))
    want_rms = float(np.sqrt((played[want_first:want_last].astype(np.float64) ** 2).mean()))
    assert rms > 0.5 * want_rms  # the speech itself, not silence or noise


def test_portaudio_lists_the_servers_inputs(pulse: PulseServer) -> None:
    import sounddevice

    devices = list_input_devices(sounddevice)
    names = [d.name for d in devices]
    assert "pulse" in names
    assert [d.name for d in devices if d.is_default] == ["default"]
    assert find_device(sounddevice, "PULSE") == next(d.index for d in devices if d.name == "pulse")


def test_audio_server_dying_is_device_lost(
    capture: tuple[list[DeviceSource], Collector], pulse: PulseServer
) -> None:
    source = start(capture, "pulse")
    sink = capture[1]

    killed = time.monotonic()
    pulse.kill()
    assert sink.wait_for(lambda s: bool(s.errors("device_lost")), timeout=5.0), sink.events
    assert time.monotonic() - killed < 5.0
    assert source.wait(10.0)
    [lost] = sink.errors()
    assert (lost.code, lost.speaker, lost.fatal) == ("device_lost", "agent", True)


def test_audio_that_stops_coming_is_device_lost_by_the_watchdog(
    capture: tuple[list[DeviceSource], Collector], pulse: PulseServer
) -> None:
    source = start(capture, "pulse", stall_timeout_s=1.0)
    sink = capture[1]

    pulse.pactl("suspend-sink", PulseServer.SINK, "1")  # the monitor stops delivering
    assert sink.wait_for(lambda s: bool(s.errors("device_lost")), timeout=5.0), sink.events
    assert source.wait(10.0)
    [lost] = sink.errors()
    assert "no audio arrived for 1 s" in lost.message
