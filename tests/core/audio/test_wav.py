"""WAV replay: formats, channels, resampling, pacing and stopping."""

from __future__ import annotations

import struct
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from agent_assist.audio.frames import Frame
from agent_assist.audio.wav import WavSource, probe_wav
from agent_assist.errors import AudioError
from tests.support.fake_sounddevice import Collector, dominant_hz

pytestmark = pytest.mark.usefixtures("no_stray_threads")


def sine(freq: float, seconds: float, rate: int, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return amplitude * np.sin(2 * np.pi * freq * t)


def pcm_bytes(signal: np.ndarray, width: int) -> bytes:
    """Float samples in [-1, 1) → little-endian integer PCM of ``width`` bytes."""
    if width == 1:
        return (signal * 127 + 128).astype(np.uint8).tobytes()
    full = (signal * (2 ** (8 * width - 1) - 1)).astype(np.int64)
    octets = full.astype("<i8").view(np.uint8).reshape(-1, 8)[:, :width]
    return octets.tobytes()


def write_wav(path: Path, channels: list[np.ndarray], rate: int, width: int = 2) -> Path:
    interleaved = np.stack(channels, axis=1).reshape(-1)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(len(channels))
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(pcm_bytes(interleaved, width))
    return path


def write_riff(
    path: Path, data: bytes, *, tag: int = 1, channels: int = 1, rate: int = 16000, bits: int = 16
) -> Path:
    """A WAV with any format tag; tag 0xFFFE writes an extensible header with PCM inside."""
    align = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)
    if tag == 0xFFFE:
        guid = struct.pack("<H", 1) + b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        fmt += struct.pack("<HHI", 22, bits, 3) + guid
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"LIST" + struct.pack("<I", 3) + b"abc\x00"  # an odd-sized chunk to skip
    body += b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def replay(source: WavSource, timeout: float = 10.0) -> Collector:
    sink = Collector()
    source.start(sink.on_frame, sink.on_event)
    assert source.wait(timeout), "the source did not finish"
    return sink


def assert_contiguous(frames: list[Frame]) -> None:
    position = 0
    for frame in frames:
        assert frame.start_sample == position
        position += frame.samples


def test_mono_16k_is_delivered_whole_and_in_order(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "a.wav", [sine(440, 1.0, 16000)], 16000)
    source = WavSource(path, ("agent",))
    sink = replay(source)

    frames = sink.of("agent")
    assert len(sink.samples("agent")) == 16000
    assert {f.rate for f in frames} == {16000}
    assert frames[0].samples == 1600
    assert_contiguous(frames)
    assert [f.captured_ns for f in frames] == sorted(f.captured_ns for f in frames)
    assert sink.events == []
    assert source.describe() == "wav:a.wav (mono: agent)"


def test_stereo_splits_channels_to_speakers(tmp_path: Path) -> None:
    left, right = sine(440, 1.0, 16000), sine(1000, 1.0, 16000)
    path = write_wav(tmp_path / "call.wav", [left, right], 16000)
    sink = replay(WavSource(path, ("agent", "debtor")))

    assert dominant_hz(sink.samples("agent"), 16000) == pytest.approx(440, abs=2)
    assert dominant_hz(sink.samples("debtor"), 16000) == pytest.approx(1000, abs=2)
    assert_contiguous(sink.of("agent"))
    assert_contiguous(sink.of("debtor"))


@pytest.mark.parametrize("file_rate", [8000, 44100, 48000])
def test_other_rates_are_resampled_without_losing_samples(tmp_path: Path, file_rate: int) -> None:
    path = write_wav(tmp_path / "r.wav", [sine(700, 2.0, file_rate)], file_rate)
    sink = replay(WavSource(path, ("agent",), rate=16000))

    samples = sink.samples("agent")
    assert abs(len(samples) - 32000) <= 2  # the resampler's tail was flushed, not lost
    assert dominant_hz(samples, 16000) == pytest.approx(700, abs=2)
    assert {f.rate for f in sink.of("agent")} == {16000}
    assert_contiguous(sink.of("agent"))


@pytest.mark.parametrize(("width", "tag"), [(1, 1), (3, 1), (3, 0xFFFE), (4, 1)])
def test_integer_widths_read_like_16_bit(tmp_path: Path, width: int, tag: int) -> None:
    signal = sine(500, 0.5, 16000)
    reference = replay(WavSource(write_wav(tmp_path / "16.wav", [signal], 16000), ("a",)))
    path = write_riff(tmp_path / "w.wav", pcm_bytes(signal, width), tag=tag, bits=8 * width)
    sink = replay(WavSource(path, ("a",)))

    got, want = sink.samples("a").astype(int), reference.samples("a").astype(int)
    assert len(got) == len(want) == 8000
    tolerance = 400 if width == 1 else 2  # 8-bit: one step is 256 at 16 bits
    assert np.max(np.abs(got - want)) <= tolerance


@pytest.mark.parametrize(
    ("tag", "bits", "named"),
    [(3, 32, "32-bit float"), (7, 8, "µ-law"), (0x11, 4, "IMA ADPCM"), (0x1234, 16, "0x1234")],
)
def test_non_pcm_files_are_refused_with_a_sox_command(
    tmp_path: Path, tag: int, bits: int, named: str
) -> None:
    path = write_riff(tmp_path / "odd.wav", bytes(64), tag=tag, channels=2, rate=44100, bits=bits)
    with pytest.raises(AudioError) as error:
        WavSource(path, ("agent", "debtor"))
    message = str(error.value)
    assert named in message
    assert "stereo, 44100 Hz" in message
    assert f"sox {path} -r 16000 -c 2 -b 16 {tmp_path / 'odd-16k.wav'}" in message


def test_missing_and_non_wav_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="cannot read"):
        WavSource(tmp_path / "nope.wav", ("agent",))
    text = tmp_path / "notes.wav"
    text.write_text("hello, this is not audio at all")
    with pytest.raises(AudioError, match=r"not a readable WAV file.*sox"):
        WavSource(text, ("agent",))


def test_mono_file_cannot_carry_two_speakers(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "m.wav", [sine(440, 0.2, 16000)], 16000)
    with pytest.raises(AudioError, match=r"mono but 2 speakers .*agent, debtor"):
        WavSource(path, ("agent", "debtor"))


def test_stereo_file_with_one_speaker_is_mixed_down(tmp_path: Path) -> None:
    left, right = sine(440, 1.0, 16000, 0.6), np.zeros(16000)
    path = write_wav(tmp_path / "s.wav", [left, right], 16000)
    source = WavSource(path, ("agent",))
    sink = replay(source)

    samples = sink.samples("agent")
    assert len(samples) == 16000
    assert dominant_hz(samples, 16000) == pytest.approx(440, abs=2)
    assert np.max(np.abs(samples)) == pytest.approx(0.3 * 32767, rel=0.02)  # the mean of both
    assert "stereo mixed" in source.describe()


def test_truncated_data_chunk_delivers_what_is_there(tmp_path: Path) -> None:
    data = pcm_bytes(sine(440, 0.5, 16000), 2)
    path = write_riff(tmp_path / "t.wav", data)
    path.write_bytes(path.read_bytes()[:-1001])  # cut mid-sample, as a crashed recorder leaves it
    sink = replay(WavSource(path, ("agent",)))

    assert len(sink.samples("agent")) == (len(data) - 1001) // 2
    assert sink.events == []


def test_realtime_replay_takes_the_duration_of_the_audio(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "one.wav", [sine(440, 1.0, 16000)], 16000)

    began = time.monotonic()
    paced = replay(WavSource(path, ("agent",), realtime=True))
    paced_s = time.monotonic() - began
    began = time.monotonic()
    replay(WavSource(path, ("agent",), realtime=False))
    fast_s = time.monotonic() - began

    assert paced_s >= 0.9
    assert fast_s < 0.5
    arrivals = [f.captured_ns for f in paced.of("agent")]
    assert (arrivals[-1] - arrivals[0]) / 1e9 >= 0.8  # spread over the second, not bunched


def test_stop_mid_file_ends_promptly(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "long.wav", [sine(440, 10.0, 16000)], 16000)
    source = WavSource(path, ("agent",), realtime=True)
    sink = Collector()
    source.start(sink.on_frame, sink.on_event)
    assert sink.wait_for(lambda s: len(s.frames) >= 2)

    began = time.monotonic()
    source.stop()
    assert source.wait(2.0)
    assert time.monotonic() - began < 0.5
    assert len(sink.samples("agent")) < 16000 * 2
    assert sink.events == []


def test_a_slow_consumer_slows_the_replay_and_loses_nothing(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "b.wav", [sine(440, 1.0, 16000)], 16000)
    source = WavSource(path, ("agent",))
    release = threading.Event()
    taken: list[Frame] = []

    def slow(frame: Frame) -> None:
        release.wait(1.0)  # blocks only the first delivery: back-pressure, not loss
        taken.append(frame)

    source.start(slow, Collector().on_event)
    assert not source.wait(0.2)  # held up by the consumer
    release.set()
    assert source.wait(5.0)
    assert sum(f.samples for f in taken) == 16000
    assert source.overflows == 0


def test_a_consumer_failure_becomes_a_file_error_event(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "c.wav", [sine(440, 0.5, 16000)], 16000)
    sink = Collector()

    def broken(frame: Frame) -> None:
        raise RuntimeError("disk full")

    source = WavSource(path, ("agent",))
    source.start(broken, sink.on_event)
    assert source.wait(5.0)
    [error] = sink.errors()
    assert error.code == "file_error"
    assert error.fatal
    assert "disk full" in error.message


def test_probe_reports_the_header(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "p.wav", [sine(1, 0.1, 8000)] * 2, 8000, width=3)
    fmt = probe_wav(path)
    assert (fmt.channels, fmt.rate, fmt.bits, fmt.is_integer_pcm) == (2, 8000, 24, True)
    assert fmt.describe() == "24-bit PCM, stereo, 8000 Hz"
