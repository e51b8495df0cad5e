"""The real decoder: the Korean Vosk model on synthetic speech.

Vosk's text is not repeatable within one process and the model does not know
the language spoken, so these tests assert structure and timing, never words.
"""

from __future__ import annotations

import itertools
import threading
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from agent_assist import app
from agent_assist.asr.model import DecoderSettings, LoadedModel, RecognizerSettings, load_model
from agent_assist.asr.worker import Recognizer, RecognizerFactory, vosk_recognizer_factory
from agent_assist.events import CallEnded, CallStarted, Event, Final, Partial

pytestmark = [pytest.mark.real, pytest.mark.slow]


def wav_ms(path: Path) -> int:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() * 1000 // wav.getframerate()


def run_call(
    model: LoadedModel, wav: Path, settings: RecognizerSettings | None = None, **kw: object
) -> list[Event]:
    settings = settings or RecognizerSettings()
    speakers = ("agent", "debtor") if wav.name == "call.wav" else ("agent",)
    source = app.file_source(wav, speakers, model.sample_rate, realtime=bool(kw.get("realtime")))
    session = app.call_session(source, model, settings, level_interval_ms=0)
    session.start()
    return list(session.events(timeout=60))


@dataclass
class Spans:
    """When each recogniser was inside Vosk's AcceptWaveform: (thread, start, end)."""

    spans: list[tuple[str, float, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def of(self, thread: str) -> list[tuple[float, float]]:
        return [(a, b) for name, a, b in self.spans if name == thread]


class Timed:
    """A real recogniser whose AcceptWaveform calls are timed."""

    def __init__(self, rec: Recognizer, spans: Spans) -> None:
        self.rec = rec
        self.spans = spans

    def AcceptWaveform(self, data: bytes) -> int:
        t0 = time.perf_counter()
        ok = self.rec.AcceptWaveform(data)
        with self.spans.lock:
            self.spans.spans.append((threading.current_thread().name, t0, time.perf_counter()))
        return ok

    def PartialResult(self) -> str:
        return self.rec.PartialResult()

    def Result(self) -> str:
        return self.rec.Result()

    def FinalResult(self) -> str:
        return self.rec.FinalResult()


@dataclass(frozen=True)
class DecodedCall:
    events: list[Event]
    spans: Spans


@pytest.fixture(scope="module")
def stereo_call(korean_model: LoadedModel, call_wav: Path) -> DecodedCall:
    """The stereo call decoded once through the app's session, its recognisers timed on the
    way: the decode takes seconds, and the tests below only read what it gave."""
    spans = Spans()

    def timed_factory(model: LoadedModel, settings: RecognizerSettings) -> RecognizerFactory:
        inner = vosk_recognizer_factory(model, settings)
        return lambda rate: Timed(inner(rate), spans)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app, "vosk_recognizer_factory", timed_factory)
        events = run_call(korean_model, call_wav)
    assert spans.spans, "the session built its recognisers through the app's factory"
    return DecodedCall(events, spans)


def test_two_speaker_call_structure(stereo_call: DecodedCall, call_wav: Path) -> None:
    events = stereo_call.events
    assert isinstance(events[0], CallStarted)
    assert isinstance(events[-1], CallEnded)
    assert events[-1].reason == "completed"
    duration = wav_ms(call_wav)
    assert abs(events[-1].t_ms - duration) <= 100
    for speaker in ("agent", "debtor"):
        mine = [e for e in events if isinstance(e, Partial | Final) and e.speaker == speaker]
        finals = [e for e in mine if isinstance(e, Final) and e.text]
        assert finals, f"no final result for {speaker}"
        for final in finals:
            # every Final is preceded by Partials of the same utterance
            before = mine[: mine.index(final)]
            assert any(isinstance(p, Partial) and p.utterance == final.utterance for p in before)
            starts = [w.start_ms for w in final.words]
            assert starts == sorted(starts)
            assert all(w.start_ms <= w.end_ms for w in final.words)
            assert all(w.conf is not None and 0 <= w.conf <= 1 for w in final.words)
            assert 0 <= final.start_ms <= final.end_ms <= duration
        utterances = [f.utterance for f in finals]
        assert utterances == sorted(set(utterances))
        # utterances of one speaker do not overlap in time
        for a, b in itertools.pairwise(finals):
            assert a.end_ms <= b.start_ms + 1


def test_each_speaker_is_heard_on_its_own_channel(stereo_call: DecodedCall) -> None:
    # In the synthetic call the agent talks first, then the debtor: their first
    # words must come in that order, proving the channels are not mixed.
    first = {}
    for e in stereo_call.events:
        if isinstance(e, Final) and e.words and e.speaker not in first:
            first[e.speaker] = e.words[0].start_ms
    assert first["agent"] < first["debtor"]


def test_alternatives_result_shape(korean_model: LoadedModel, mono_wav: Path) -> None:
    events = run_call(korean_model, mono_wav, RecognizerSettings(max_alternatives=3))
    finals = [e for e in events if isinstance(e, Final) and e.text]
    assert finals
    for final in finals:
        assert 1 <= len(final.alternatives) <= 3
        assert final.text == final.alternatives[0].text
        assert final.confidence is None


def test_partial_words_give_partials_word_times(korean_model: LoadedModel, mono_wav: Path) -> None:
    events = run_call(korean_model, mono_wav, RecognizerSettings(partial_words=True))
    partials = [e for e in events if isinstance(e, Partial) and e.text]
    assert partials
    assert all(len(p.words) == len(p.text.split()) for p in partials)


def test_two_speakers_decode_in_parallel(stereo_call: DecodedCall) -> None:
    """Both recognisers are inside Vosk at the same moment: the GIL is released."""
    agent = stereo_call.spans.of("asr-agent")
    debtor = stereo_call.spans.of("asr-debtor")
    overlap = sum(max(0.0, min(b1, b2) - max(a1, a2)) for a1, b1 in agent for a2, b2 in debtor)
    assert overlap > 0.05, f"recognisers overlapped only {overlap:.3f} s"


def test_stop_mid_stream_is_clean_and_keeps_finals(
    korean_model: LoadedModel, call_wav: Path, no_stray_threads: None
) -> None:
    source = app.file_source(call_wav, ("agent", "debtor"), korean_model.sample_rate, True)
    session = app.call_session(source, korean_model, RecognizerSettings(), level_interval_ms=0)
    session.start()
    events: list[Event] = []
    stopped = False
    for event in session.events(timeout=30):
        events.append(event)
        if isinstance(event, Final) and event.text and not stopped:
            session.stop()
            stopped = True
    assert isinstance(events[-1], CallEnded)
    assert events[-1].reason == "stopped"
    assert events[-1].t_ms < wav_ms(call_wav) - 500
    first_final = next(e for e in events if isinstance(e, Final) and e.text)
    assert first_final in events  # what was final before stop is still there
    # every utterance that showed a partial is closed by a final
    for speaker in ("agent", "debtor"):
        shown = {e.utterance for e in events if isinstance(e, Partial) and e.speaker == speaker}
        closed = {e.utterance for e in events if isinstance(e, Final) and e.speaker == speaker}
        assert shown <= closed
    assert session.wait(5)


def test_endpoint_settings_change_utterance_segmentation(
    korean_model_path: Path, call_wav: Path, tmp_path: Path
) -> None:
    eager = load_model(
        korean_model_path, DecoderSettings(silence_s=0.1, long_silence_s=0.2), tmp_path
    )
    patient = load_model(
        korean_model_path, DecoderSettings(silence_s=3.0, long_silence_s=4.0), tmp_path
    )
    assert eager.path == patient.path == korean_model_path
    counts = []
    for model in (eager, patient):
        finals = [e for e in run_call(model, call_wav) if isinstance(e, Final) and e.text]
        counts.append(len(finals))
    assert counts[0] > counts[1]
