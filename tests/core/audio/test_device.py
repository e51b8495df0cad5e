"""Live capture against a fake sounddevice: channel maps, resampling, overflow, device loss."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from agent_assist.audio.device import DeviceInput, DeviceSource
from agent_assist.audio.frames import Frame
from agent_assist.errors import AudioError
from tests.support.fake_sounddevice import Collector, FakeDevice, FakeSoundDevice, dominant_hz

pytestmark = pytest.mark.usefixtures("no_stray_threads")

HEADSET = FakeDevice("USB Headset", channels=1, freqs=(440.0,))
TAP = FakeDevice("Stereo Tap", channels=2, freqs=(440.0, 1000.0))
STEREO = {0: "agent", 1: "debtor"}


@pytest.fixture
def opened() -> Iterator[list[DeviceSource]]:
    """Sources a test starts; stopped and joined afterwards even if the test failed."""
    sources: list[DeviceSource] = []
    yield sources
    for source in sources:
        source.stop()
    for source in sources:
        assert source.wait(5.0)


def run(
    opened: list[DeviceSource], sd: FakeSoundDevice, inputs: list[DeviceInput], **options: Any
) -> tuple[DeviceSource, Collector]:
    source = DeviceSource(sd, inputs, **options)
    opened.append(source)
    sink = Collector()
    source.start(sink.on_frame, sink.on_event)
    return source, sink


def enough(speaker: str, samples: int) -> Callable[[Collector], bool]:
    return lambda s: sum(f.samples for f in s.of(speaker)) >= samples


def test_stereo_channel_map_sends_each_channel_to_its_speaker(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([TAP])
    source, sink = run(opened, sd, [DeviceInput("tap", STEREO)])
    assert sink.wait_for(enough("debtor", 16000))
    source.stop()
    assert source.wait(5.0)

    assert dominant_hz(sink.samples("agent"), 16000) == pytest.approx(440, abs=2)
    assert dominant_hz(sink.samples("debtor"), 16000) == pytest.approx(1000, abs=2)
    for speaker in ("agent", "debtor"):
        frames = sink.of(speaker)
        assert [f.start_sample for f in frames] == [i * 1600 for i in range(len(frames))]
    assert sd.stream_for("Stereo Tap").closed
    assert source.speakers == ("agent", "debtor")
    assert sink.errors() == []


def test_a_map_can_take_only_the_right_channel(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([TAP])
    _, sink = run(opened, sd, [DeviceInput(0, {1: "debtor"})])
    assert sink.wait_for(enough("debtor", 8000))
    assert dominant_hz(sink.samples("debtor")[:8000], 16000) == pytest.approx(1000, abs=2)
    assert sd.stream_for("Stereo Tap").channels == 2


def test_two_devices_one_speaker_each(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([HEADSET, FakeDevice("Desk Mic", channels=1, freqs=(1500.0,))])
    source, sink = run(
        opened, sd, [DeviceInput("headset", {0: "agent"}), DeviceInput("desk", {0: "debtor"})]
    )
    assert sink.wait_for(lambda s: enough("agent", 8000)(s) and enough("debtor", 8000)(s))

    assert dominant_hz(sink.samples("agent")[:8000], 16000) == pytest.approx(440, abs=2)
    assert dominant_hz(sink.samples("debtor")[:8000], 16000) == pytest.approx(1500, abs=2)
    assert source.describe() == "device:headset (0=agent); desk (0=debtor)"


def test_default_device_is_used_when_none_is_named(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([TAP, HEADSET], default_input=1)
    _, sink = run(opened, sd, [DeviceInput(None, {0: "agent"})])
    assert sink.wait_for(enough("agent", 1600))
    assert [s.device.name for s in sd.streams] == ["USB Headset"]


@pytest.mark.parametrize("device_rate", [8000, 44100, 48000])
def test_device_rate_fallback_is_resampled(opened: list[DeviceSource], device_rate: int) -> None:
    device = FakeDevice(
        "Card", 1, float(device_rate), rates=frozenset({device_rate}), freqs=(700.0,)
    )
    sd = FakeSoundDevice([device])
    source, sink = run(opened, sd, [DeviceInput("card", {0: "agent"})], rate=16000)
    assert sd.wait_blocks(20)
    source.stop()
    assert source.wait(5.0)

    stream = sd.streams[0]
    assert (stream.samplerate, stream.blocksize) == (device_rate, device_rate // 10)
    samples = sink.samples("agent")
    expected = stream.blocks_sent * 1600
    assert abs(len(samples) - expected) <= 2  # drained and flushed at the stop: nothing lost
    assert dominant_hz(samples, 16000) == pytest.approx(700, abs=3)
    assert {f.rate for f in sink.of("agent")} == {16000}


def test_stop_delivers_what_was_already_captured(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([HEADSET])
    release = threading.Event()
    sink = Collector()

    def behind(frame: Frame) -> None:
        release.wait(2.0)
        sink.on_frame(frame)

    source = DeviceSource(sd, [DeviceInput(0, {0: "agent"})], queue_blocks=50)
    opened.append(source)
    source.start(behind, sink.on_event)
    assert sd.wait_blocks(10)  # queued while the consumer is busy
    source.stop()
    release.set()
    assert source.wait(5.0)
    assert len(sink.samples("agent")) == sd.streams[0].blocks_sent * 1600
    assert source.overflows == 0


def test_no_rate_at_all_is_unsupported_format(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([FakeDevice("Odd", 1, 22050.0, rates=frozenset({96000}))])
    source, sink = run(opened, sd, [DeviceInput(None, {0: "agent"})])
    assert source.wait(5.0)
    [error] = sink.errors()
    assert (error.code, error.speaker, error.fatal) == ("unsupported_format", "agent", True)
    assert "16000 Hz" in error.message


def test_too_many_channels_for_the_device_is_unsupported_format(
    opened: list[DeviceSource],
) -> None:
    sd = FakeSoundDevice([HEADSET])
    source, sink = run(opened, sd, [DeviceInput(None, STEREO)])
    assert source.wait(5.0)
    assert {(e.code, e.speaker) for e in sink.errors()} == {
        ("unsupported_format", "agent"),
        ("unsupported_format", "debtor"),
    }
    assert sd.streams == []


def test_no_devices_is_an_event_not_an_exception(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([])
    source, sink = run(opened, sd, [DeviceInput(None, {0: "agent"})])
    assert source.wait(0)
    [error] = sink.errors()
    assert (error.code, error.fatal) == ("no_devices", True)
    assert "headset" in error.message


def test_portaudio_failing_to_list_counts_as_no_devices(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([HEADSET])
    sd.fail_query = True
    source, sink = run(opened, sd, [DeviceInput(None, {0: "agent"})])
    assert source.wait(0)
    assert [e.code for e in sink.errors()] == ["no_devices"]


def test_unknown_device_lists_the_available_ones(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([HEADSET, TAP])
    source, sink = run(opened, sd, [DeviceInput("Jabra", {0: "agent"})])
    assert source.wait(5.0)
    [error] = sink.errors()
    assert (error.code, error.speaker, error.fatal) == ("device_not_found", "agent", True)
    assert "Jabra" in error.message
    assert "0: USB Headset" in error.message
    assert "1: Stereo Tap" in error.message


def test_overflow_is_counted_reported_and_leaves_a_gap(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([HEADSET], speed=20.0)
    release = threading.Event()
    sink = Collector()

    def slow(frame: Frame) -> None:
        release.wait(2.0)  # the consumer falls behind while the device keeps going
        sink.on_frame(frame)

    source = DeviceSource(sd, [DeviceInput(0, {0: "agent"})], queue_blocks=3)
    opened.append(source)
    source.start(slow, sink.on_event)
    assert sd.wait_blocks(12)  # one block held by the consumer, three queued, the rest dropped
    assert source.overflows >= 5
    release.set()
    assert sink.wait_for(lambda s: bool(s.errors("overflow")))

    [report] = sink.errors("overflow")[:1]
    assert report.fatal is False
    assert report.count >= 5
    # The dropped blocks are visible on the timeline as a gap of whole blocks.
    assert sink.wait_for(lambda s: any(gap > 0 for gap in gaps(s.of("agent"))))
    assert all(gap % 1600 == 0 and gap >= 0 for gap in gaps(sink.of("agent")))


def gaps(frames: list[Frame]) -> list[int]:
    return [b.start_sample - (a.start_sample + a.samples) for a, b in itertools.pairwise(frames)]


def test_overflow_reports_at_most_once_a_second(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([HEADSET], speed=50.0)
    hold = threading.Event()
    sink = Collector()

    def stuck_every_frame(frame: Frame) -> None:
        hold.wait(0.05)  # always slower than the device: overflows all along

    source = DeviceSource(sd, [DeviceInput(0, {0: "agent"})], queue_blocks=2)
    opened.append(source)
    source.start(stuck_every_frame, sink.on_event)
    assert sink.wait_for(lambda s: len(s.errors("overflow")) >= 1)
    assert not sink.wait_for(lambda s: len(s.errors("overflow")) >= 2, timeout=0.7)
    counts = [e.count for e in sink.errors("overflow")]
    assert counts == sorted(counts)


def test_unplugged_device_is_lost_while_the_other_goes_on(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([HEADSET, FakeDevice("Desk Mic", channels=1)])
    inputs = [DeviceInput(0, {0: "agent"}), DeviceInput(1, {0: "debtor"})]
    source, sink = run(opened, sd, inputs, stall_timeout_s=0.3)
    assert sink.wait_for(lambda s: bool(s.of("agent")) and bool(s.of("debtor")))

    sd.stream_for("USB Headset").unplug()
    assert sink.wait_for(lambda s: bool(s.errors("device_lost")), timeout=3.0)
    [lost] = sink.errors("device_lost")
    assert (lost.speaker, lost.fatal) == ("agent", True)
    assert "no audio arrived" in lost.message
    assert lost.t_ms > 0
    assert sd.wait_until(lambda: sd.stream_for("USB Headset").closed)

    debtor_before = len(sink.of("debtor"))
    assert sink.wait_for(lambda s: len(s.of("debtor")) >= debtor_before + 5)
    assert not source.wait(0.1)  # still running for the debtor
    source.stop()
    assert source.wait(5.0)
    assert len(sink.errors("device_lost")) == 1


def test_stream_finished_by_portaudio_is_device_lost(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([TAP])
    source, sink = run(opened, sd, [DeviceInput(0, STEREO)], stall_timeout_s=30.0)
    assert sink.wait_for(lambda s: bool(s.of("agent")))

    sd.stream_for("Stereo Tap").die()
    assert source.wait(2.0)  # well before the 30 s watchdog: the finished callback told us
    assert {(e.code, e.speaker, e.fatal) for e in sink.errors()} == {
        ("device_lost", "agent", True),
        ("device_lost", "debtor", True),
    }


def test_open_error_loses_that_device_only(opened: list[DeviceSource]) -> None:
    broken = FakeDevice("Busy Mic", channels=1, fail_open=True)
    sd = FakeSoundDevice([broken, HEADSET])
    inputs = [DeviceInput(0, {0: "agent"}), DeviceInput(1, {0: "debtor"})]
    source, sink = run(opened, sd, inputs)
    assert sink.wait_for(lambda s: bool(s.errors()) and len(s.of("debtor")) >= 3)
    [error] = sink.errors()
    assert (error.code, error.speaker) == ("device_lost", "agent")
    assert "Device unavailable" in error.message
    assert not source.wait(0.1)


def test_device_that_never_starts_is_lost_after_the_startup_timeout(
    opened: list[DeviceSource],
) -> None:
    sd = FakeSoundDevice([FakeDevice("Dead Mic", channels=1, silent=True)])
    source, sink = run(
        opened, sd, [DeviceInput(0, {0: "agent"})], stall_timeout_s=0.2, startup_timeout_s=0.5
    )
    assert not sink.wait_for(lambda s: bool(s.errors()), timeout=0.35)  # startup grace
    assert source.wait(3.0)
    assert [e.code for e in sink.errors()] == ["device_lost"]


def test_a_failing_consumer_becomes_an_event(opened: list[DeviceSource]) -> None:
    sd = FakeSoundDevice([HEADSET])
    sink = Collector()

    def broken(frame: Frame) -> None:
        raise ValueError("queue closed")

    source = DeviceSource(sd, [DeviceInput(0, {0: "agent"})])
    opened.append(source)
    source.start(broken, sink.on_event)
    assert source.wait(3.0)
    [error] = sink.errors()
    assert error.fatal
    assert "queue closed" in error.message
    assert sd.streams[0].closed


def test_stop_before_start_and_bad_maps() -> None:
    sd = FakeSoundDevice([HEADSET])
    source = DeviceSource(sd, [DeviceInput(0, {0: "agent"})])
    source.stop()
    assert source.wait(0)
    with pytest.raises(AudioError, match="its own speaker"):
        DeviceSource(sd, [DeviceInput(0, {0: "agent"}), DeviceInput(1, {0: "agent"})])
    with pytest.raises(AudioError, match="channel map"):
        DeviceSource(sd, [DeviceInput(0, {})])
