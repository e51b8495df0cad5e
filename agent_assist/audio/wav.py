"""WAV replay: a recorded call played into the pipeline, at real-time pace or as fast as taken.

A mono file carries one speaker; a stereo file carries two (left = first
speaker), or is mixed down when one speaker is asked for. Any integer PCM
width (8/16/24/32-bit) and any rate are accepted; the audio is resampled to
the recogniser's rate on the fly. The RIFF header is read here rather than by
the ``wave`` module so PCM with an extensible header (as sox writes 24-bit
files) is accepted and a refused file's format can be named exactly.
"""

from __future__ import annotations

import shlex
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from agent_assist.audio.convert import Int16Array, Resampler, demux, mix_down, to_int16
from agent_assist.audio.frames import EventSink, Frame, FrameSink
from agent_assist.audio.source import AudioSource
from agent_assist.errors import AudioError
from agent_assist.events import SourceError, Speaker

_PCM, _FLOAT, _EXTENSIBLE = 0x0001, 0x0003, 0xFFFE
_CODEC_NAMES = {
    0x0002: "MS ADPCM",
    0x0006: "A-law",
    0x0007: "µ-law",
    0x0011: "IMA ADPCM",
    0x0031: "GSM 6.10",
    0x0055: "MP3",
}
_UNBOUNDED = {0, 0xFFFFFFFF}  # data sizes written by streaming recorders: read to the end


@dataclass(frozen=True, slots=True)
class WavFormat:
    """What a WAV file's header says, and where its samples are."""

    tag: int  # the format tag (for an extensible header, its sub-format)
    channels: int
    rate: int
    bits: int
    block_align: int
    data_offset: int
    data_bytes: int | None  # None: up to the end of the file

    @property
    def is_integer_pcm(self) -> bool:
        return (
            self.tag == _PCM
            and self.bits in (8, 16, 24, 32)
            and self.channels > 0
            and self.block_align == self.channels * (self.bits // 8)
        )

    def describe(self) -> str:
        if self.tag == _PCM:
            kind = f"{self.bits}-bit PCM"
        elif self.tag == _FLOAT:
            kind = f"{self.bits}-bit float"
        else:
            kind = _CODEC_NAMES.get(self.tag, f"compressed (format 0x{self.tag:04x})")
        layout = {1: "mono", 2: "stereo"}.get(self.channels, f"{self.channels} channels")
        return f"{kind}, {layout}, {self.rate} Hz"


def probe_wav(path: Path) -> WavFormat:
    """Read a WAV header; :class:`AudioError` when the file is missing or not a WAV file."""
    try:
        with path.open("rb") as f:
            return _parse_header(f, path)
    except OSError as exc:
        raise AudioError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (struct.error, ValueError) as exc:
        raise AudioError(f"{path} is not a readable WAV file ({exc}); {_sox_hint(path)}") from exc


def _parse_header(f: BinaryIO, path: Path) -> WavFormat:
    riff, _, wave_id = struct.unpack("<4sI4s", f.read(12))
    if riff != b"RIFF" or wave_id != b"WAVE":
        raise ValueError("no RIFF/WAVE header")
    fmt: tuple[int, int, int, int, int] | None = None
    while True:
        header = f.read(8)
        if len(header) < 8:
            raise ValueError("no audio data chunk" if fmt else "no format chunk")
        chunk_id, size = struct.unpack("<4sI", header)
        if chunk_id == b"fmt ":
            body = f.read(size + size % 2)
            tag, channels, rate, _, block_align, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == _EXTENSIBLE and size >= 26:
                (tag,) = struct.unpack("<H", body[24:26])  # first bytes of the sub-format GUID
            fmt = (tag, channels, rate, bits, block_align)
        elif chunk_id == b"data":
            if fmt is None:
                raise ValueError("audio data before the format chunk")
            data_bytes = None if size in _UNBOUNDED else size
            return WavFormat(*fmt, data_offset=f.tell(), data_bytes=data_bytes)
        else:
            f.seek(size + size % 2, 1)  # chunks are padded to an even length


def _sox_hint(path: Path, channels: int = 1, rate: int = 16000) -> str:
    out = path.with_name(f"{path.stem}-{rate // 1000}k.wav")
    command = f"sox {shlex.quote(str(path))} -r {rate} -c {channels} -b 16 {shlex.quote(str(out))}"
    return f"convert it to 16-bit PCM with: {command}"


class WavSource(AudioSource):
    def __init__(
        self,
        path: Path | str,
        speakers: tuple[Speaker, ...],
        rate: int = 16000,
        realtime: bool = False,
        block_ms: int = 100,
    ) -> None:
        if not speakers or len(set(speakers)) != len(speakers):
            raise AudioError(f"speakers must be distinct labels, got {', '.join(speakers)}")
        self.path = Path(path)
        self.speakers = speakers
        self.rate = rate
        self.realtime = realtime
        self.format = fmt = probe_wav(self.path)
        if not fmt.is_integer_pcm:
            keep = 2 if fmt.channels == 2 else 1
            raise AudioError(
                f"{self.path} is {fmt.describe()}; only integer PCM WAV can be read: "
                f"{_sox_hint(self.path, keep, rate)}"
            )
        if fmt.channels != len(speakers) and len(speakers) != 1:
            layout = "mono" if fmt.channels == 1 else f"{fmt.channels}-channel"
            raise AudioError(
                f"{self.path} is {layout} but {len(speakers)} speakers were asked for "
                f"({', '.join(speakers)}); give one speaker, or use a recording with one channel "
                "per speaker (stereo: the first speaker on the left)"
            )
        self._mix = fmt.channels > 1 and len(speakers) == 1
        self._block_frames = max(1, fmt.rate * block_ms // 1000)
        self._stop = threading.Event()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._position = 0  # samples delivered per speaker, at ``rate``

    def describe(self) -> str:
        layout = {1: "mono", 2: "stereo"}.get(self.format.channels, f"{self.format.channels}ch")
        if self._mix:
            layout += " mixed"
        return f"wav:{self.path.name} ({layout}: {', '.join(self.speakers)})"

    def start(self, on_frame: FrameSink, on_event: EventSink) -> None:
        if self._thread is not None:
            raise RuntimeError("a source starts once")
        self._thread = threading.Thread(
            target=self._run, args=(on_frame, on_event), name=f"wav:{self.path.name}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is None:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        if not self._done.wait(timeout):
            return False
        if self._thread is not None:
            self._thread.join(timeout)
        return True

    @property
    def overflows(self) -> int:
        return 0  # a file waits for its consumer; nothing is ever dropped

    # --- reader thread -----------------------------------------------------

    def _run(self, on_frame: FrameSink, on_event: EventSink) -> None:
        try:
            self._replay(on_frame)
        except Exception as exc:  # a thread must not die with a traceback: report it
            on_event(
                SourceError(
                    code="file_error",
                    message=f"reading {self.path} failed: {exc}",
                    t_ms=self._position * 1000 // self.rate,
                    fatal=True,
                )
            )
        finally:
            self._done.set()

    def _replay(self, on_frame: FrameSink) -> None:
        fmt = self.format
        width = fmt.bits // 8
        channels = 1 if self._mix else fmt.channels
        resampler = Resampler(fmt.rate, self.rate, channels)
        remaining = fmt.data_bytes
        frames_read = 0
        start_ns = time.monotonic_ns()
        with self.path.open("rb") as f:
            f.seek(fmt.data_offset)
            while not self._stop.is_set():
                want = self._block_frames * fmt.block_align
                if remaining is not None:
                    want = min(want, remaining)
                raw = f.read(want)
                block = demux(to_int16(raw, width), fmt.channels)
                if len(block) == 0:
                    break
                if remaining is not None:
                    remaining -= len(raw)
                frames_read += len(block)
                if self.realtime:
                    # Due when its last sample would have been spoken: start + audio time so far.
                    due_ns = start_ns + frames_read * 1_000_000_000 // fmt.rate
                    if self._stop.wait(max(0.0, (due_ns - time.monotonic_ns()) / 1e9)):
                        break
                if self._mix:
                    block = mix_down(block)
                self._deliver(on_frame, resampler.process(block), time.monotonic_ns())
            # Samples still inside the resampler's filter belong to the call too.
            self._deliver(on_frame, resampler.flush(), time.monotonic_ns())

    def _deliver(self, on_frame: FrameSink, block: Int16Array, captured_ns: int) -> None:
        if len(block) == 0:
            return
        for column, speaker in enumerate(self.speakers):
            pcm = block[:, column].astype("<i2").tobytes()
            on_frame(Frame(speaker, pcm, self.rate, self._position, captured_ns))
        self._position += len(block)
