"""Speak into the running app: audio played into a PulseAudio sink comes out of
``agent-assist transcribe`` (a separate process, real Vosk model) as events,
while it is still being played."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import threading
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

from tests.support.pulse import PulseServer

pytestmark = [pytest.mark.real, pytest.mark.slow]


@dataclass
class Session:
    """What the test saw: (arrival time, event) pairs and when the speech played."""

    seen: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    play_start: float = 0.0
    play_end: float = 0.0

    def events(self) -> list[dict[str, Any]]:
        return [e for _, e in self.seen]


def _read_lines(stream: IO[str], out: queue.Queue[tuple[float, dict[str, Any]]]) -> None:
    for line in stream:
        out.put((time.monotonic(), json.loads(line)))


def _speak_and_listen(proc: subprocess.Popen[str], pulse: PulseServer, wav: Path) -> Session:
    assert proc.stdout is not None
    lines: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True)
    reader.start()
    s = Session()

    def until(done: Any, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not done():
            s.seen.append(lines.get(timeout=max(0.1, deadline - time.monotonic())))

    try:
        until(lambda: any(e["type"] == "audio_level" for e in s.events()), 30)  # audio flows
        s.play_start = time.monotonic()
        pulse.play(wav)
        s.play_end = time.monotonic()
        until(lambda: any(e["type"] == "final" and e["text"] for e in s.events()), 15)
    finally:
        proc.terminate()  # a termination request, as the desktop session would send
        proc.wait(timeout=30)
        reader.join(timeout=10)
    while not lines.empty():
        s.seen.append(lines.get())
    return s


def test_live_speech_becomes_events_at_real_time_pace(
    pulse: PulseServer, speech_wav: Path, tmp_path: Path
) -> None:
    exe = shutil.which("agent-assist", path=str(Path(sys.executable).parent))
    assert exe
    errors = tmp_path / "stderr.txt"
    with (
        errors.open("w") as stderr,
        subprocess.Popen(
            [exe, "transcribe", "--model", "ko", "--duration", "60", "--levels-ms", "200"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=pulse.client_env(),
        ) as proc,
    ):
        s = _speak_and_listen(proc, pulse, speech_wav)
    assert proc.returncode == 0, errors.read_text()
    assert "Traceback" not in errors.read_text()

    events = s.events()
    assert events[0]["type"] == "call_started"
    assert events[0]["speakers"] == ["agent"]
    # The termination request ended the call cleanly, after delivering what was said.
    assert events[-1]["type"] == "call_ended"
    assert events[-1]["reason"] == "stopped"

    partials = [t for t, e in s.seen if e["type"] == "partial" and e["text"]]
    assert partials, "no partial result while speaking"
    # Streaming, not batch: the first words show before the utterance is final (how soon
    # after the speech they show is a benchmark figure, not a test: bench pipeline).
    first_final = next(t for t, e in s.seen if e["type"] == "final" and e["text"])
    assert partials[0] < first_final

    # The utterance lies where it was played on the call's timeline. The timeline
    # starts at the first captured sample; the first level event anchors it.
    t_recv, level = next((t, e) for t, e in s.seen if e["type"] == "audio_level")
    origin = t_recv - level["t_ms"] / 1000
    with wave.open(str(speech_wav), "rb") as wav:
        spoken_ms = wav.getnframes() * 1000 / wav.getframerate()
    played_at_ms = (s.play_start - origin) * 1000
    final = next(e for e in events if e["type"] == "final" and e["text"])
    assert played_at_ms - 500 <= final["start_ms"] <= played_at_ms + spoken_ms
    assert any(e["type"] == "audio_level" and e["rms_dbfs"] > -60 for e in events)
