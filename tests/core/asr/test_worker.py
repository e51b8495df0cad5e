import queue
import threading

from agent_assist.asr.worker import RecognizerWorker
from agent_assist.events import Event, Final, Partial, SourceError
from tests.support.fakes import WordRecognizer, silent, voiced


def run_worker(frames, factory=WordRecognizer):
    events: queue.Queue[Event] = queue.Queue()
    worker = RecognizerWorker("agent", 16000, factory, events.put)
    worker.start()
    for frame in frames:
        assert worker.feed(frame, timeout=5)
    worker.close()
    assert worker.join(timeout=5)
    return list(events.queue), worker


def test_partials_precede_their_final_and_grow() -> None:
    frames = [
        voiced("agent", 0),
        voiced("agent", 1600),
        voiced("agent", 3200),
        silent("agent", 4800),
    ]
    events, _ = run_worker(frames)
    assert [type(e) for e in events] == [Partial, Partial, Partial, Final]
    assert [e.text for e in events] == ["w0", "w0 w1", "w0 w1 w2", "w0 w1 w2"]
    final = events[-1]
    assert isinstance(final, Final)
    assert (final.start_ms, final.end_ms) == (0, 300)
    assert all(e.utterance == 0 for e in events)


def test_close_flushes_the_utterance_in_progress() -> None:
    events, _ = run_worker([voiced("agent", 0), voiced("agent", 1600)])
    assert isinstance(events[-1], Final)
    assert events[-1].text == "w0 w1"


def test_gap_in_audio_keeps_word_times_on_the_call_timeline() -> None:
    # 1 s of audio was dropped upstream between the two frames.
    events, worker = run_worker([voiced("agent", 0), voiced("agent", 1600 + 16000)])
    final = events[-1]
    assert isinstance(final, Final)
    assert [w.start_ms for w in final.words][-1] == 1100
    assert worker.fed_ms == 1200


def test_utterances_are_numbered_and_silence_alone_emits_nothing() -> None:
    frames = [
        silent("agent", 0),
        voiced("agent", 1600),
        silent("agent", 3200),
        silent("agent", 4800),
        voiced("agent", 6400),
    ]
    events, _ = run_worker(frames)
    finals = [e for e in events if isinstance(e, Final)]
    assert [(f.utterance, f.text, f.start_ms) for f in finals] == [(0, "w0", 100), (1, "w0", 400)]


def test_recogniser_is_created_on_the_worker_thread() -> None:
    made: list[WordRecognizer] = []

    def factory(rate: int) -> WordRecognizer:
        made.append(WordRecognizer(rate))
        return made[-1]

    run_worker([voiced("agent", 0)], factory)
    assert made[0].thread == "asr-agent" != threading.current_thread().name


def test_a_failing_recogniser_reports_instead_of_dying_silently() -> None:
    class Broken(WordRecognizer):
        def AcceptWaveform(self, data: bytes) -> int:
            raise RuntimeError("decoder exploded")

    events, _ = run_worker([voiced("agent", 0)], Broken)
    assert len(events) == 1
    assert isinstance(events[0], SourceError)
    assert events[0].code == "recognizer_failed"
    assert events[0].fatal
    assert "decoder exploded" in events[0].message


def test_feed_times_out_when_the_queue_is_full() -> None:
    gate = threading.Event()

    class Slow(WordRecognizer):
        def AcceptWaveform(self, data: bytes) -> int:
            gate.wait(5)
            return super().AcceptWaveform(data)

    worker = RecognizerWorker("agent", 16000, Slow, lambda e: None, max_queued_frames=1)
    worker.start()
    assert worker.feed(voiced("agent", 0), timeout=1)
    assert worker.feed(voiced("agent", 1600), timeout=1)  # the worker holds the first
    assert not worker.feed(voiced("agent", 3200), timeout=0.05)
    gate.set()
    worker.close()
    assert worker.join(timeout=5)


def test_recogniser_is_replaced_between_utterances_and_times_stay_true() -> None:
    made: list[WordRecognizer] = []
    warmed = threading.Event()

    class Spare(WordRecognizer):
        def AcceptWaveform(self, data: bytes) -> int:
            result = super().AcceptWaveform(data)
            if not any(data):
                warmed.set()
            return result

    def factory(rate: int) -> WordRecognizer:
        made.append(WordRecognizer(rate) if not made else Spare(rate))
        return made[-1]

    events: queue.Queue[Event] = queue.Queue()
    worker = RecognizerWorker("agent", 16000, factory, events.put, recycle_after_ms=300)
    worker.start()

    def utterance(at: int) -> None:  # 200 ms of speech, then 100 ms of silence
        for frame in (voiced("agent", at), voiced("agent", at + 1600), silent("agent", at + 3200)):
            assert worker.feed(frame, timeout=5)

    utterance(0)  # due at its end: a spare is prepared in the background
    assert warmed.wait(5)
    for n in range(1, 4):
        utterance(n * 4800)
    worker.close()
    assert worker.join(timeout=5)
    finals = [e for e in events.queue if isinstance(e, Final)]
    assert len(made) >= 2
    assert made[1].samples > 4800  # the spare was warmed, then decoded real speech
    # every utterance keeps its place on the call's timeline across the swap
    assert [(f.start_ms, f.end_ms) for f in finals] == [
        (0, 200),
        (300, 500),
        (600, 800),
        (900, 1100),
    ]
    assert [f.utterance for f in finals] == [0, 1, 2, 3]


def test_no_replacement_before_it_is_due() -> None:
    made: list[WordRecognizer] = []

    def factory(rate: int) -> WordRecognizer:
        made.append(WordRecognizer(rate))
        return made[-1]

    run_worker([voiced("agent", 0), silent("agent", 1600), voiced("agent", 3200)], factory)
    assert len(made) == 1
