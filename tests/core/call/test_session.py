import json

from agent_assist.call.session import CallSession
from agent_assist.events import (
    AudioLevel,
    CallEnded,
    CallStarted,
    Final,
    Partial,
    SourceError,
    to_dict,
)
from tests.support.fakes import ListSource, WordRecognizer, silent, voiced


def conversation() -> list:
    # agent speaks for 300 ms, then the debtor, each channel silent otherwise
    frames = []
    for i in range(8):
        s = i * 1600
        frames.append(voiced("agent", s) if i < 3 else silent("agent", s))
        frames.append(voiced("debtor", s) if 4 <= i < 7 else silent("debtor", s))
    return frames


def test_stream_starts_and_ends_once_with_both_speakers() -> None:
    source = ListSource(conversation(), ("agent", "debtor"))
    session = CallSession(source, WordRecognizer, model_name="fake", level_interval_ms=0)
    session.start()
    events = list(session.events(timeout=5))
    assert isinstance(events[0], CallStarted)
    assert events[0].speakers == ("agent", "debtor")
    assert isinstance(events[-1], CallEnded)
    assert events[-1].reason == "completed"
    assert sum(isinstance(e, CallEnded) for e in events) == 1
    finals = {e.speaker: e for e in events if isinstance(e, Final)}
    assert finals["agent"].start_ms == 0
    assert finals["debtor"].start_ms == 400
    assert events[-1].t_ms == 800
    for speaker in ("agent", "debtor"):
        kinds = [type(e) for e in events if getattr(e, "speaker", None) == speaker]
        assert kinds.index(Partial) < kinds.index(Final)


def test_levels_are_emitted_per_interval_and_kept_for_polling() -> None:
    source = ListSource(conversation(), ("agent", "debtor"))
    session = CallSession(source, WordRecognizer, model_name="fake", level_interval_ms=400)
    session.start()
    levels = [e for e in session.events(timeout=5) if isinstance(e, AudioLevel)]
    assert [lv.t_ms for lv in levels if lv.speaker == "agent"] == [100, 500]
    debtor = {lv.t_ms: lv.rms_dbfs for lv in levels if lv.speaker == "debtor"}
    assert debtor[100] == -96.0
    assert debtor[500] > -96.0
    latest = session.levels()
    assert latest["agent"].t_ms == latest["debtor"].t_ms == 800


def test_stop_ends_a_live_source_and_keeps_what_was_said() -> None:
    source = ListSource([voiced("agent", 0), voiced("agent", 1600)], ("agent",), hold_open=True)
    session = CallSession(source, WordRecognizer, model_name="fake")
    session.start()
    events = []
    for event in session.events(timeout=5):
        events.append(event)
        if isinstance(event, Partial) and event.text == "w0 w1":
            session.stop()
    assert isinstance(events[-1], CallEnded)
    assert events[-1].reason == "stopped"
    finals = [e for e in events if isinstance(e, Final)]
    assert [f.text for f in finals] == ["w0 w1"]


def test_fatal_source_error_ends_the_call_with_that_reason() -> None:
    lost = SourceError("device_lost", "headset unplugged", t_ms=100, speaker="agent", fatal=True)
    source = ListSource([voiced("agent", 0)], ("agent",), events=[lost])
    session = CallSession(source, WordRecognizer, model_name="fake")
    session.start()
    events = list(session.events(timeout=5))
    assert lost in events
    assert [e.text for e in events if isinstance(e, Final)] == ["w0"]
    assert isinstance(events[-1], CallEnded)
    assert events[-1].reason == "source_error"


def test_every_event_serialises_to_json() -> None:
    source = ListSource(conversation(), ("agent", "debtor"))
    session = CallSession(source, WordRecognizer, model_name="fake", level_interval_ms=100)
    session.start()
    for event in session.events(timeout=5):
        data = json.loads(json.dumps(to_dict(event)))
        assert data["type"] in {"call_started", "partial", "final", "audio_level", "call_ended"}
        assert "captured_ns" not in data
        assert isinstance(data["t_ms"], int)


class Echo:
    """Adds a note after every Final, and one before CallEnded."""

    def on_event(self, event):
        if isinstance(event, Final):
            return [SourceError("overflow", f"after {event.text}", event.t_ms)]
        if isinstance(event, CallEnded):
            return [SourceError("overflow", "closing", event.t_ms)]
        return []


class Broken:
    def on_event(self, event):
        raise RuntimeError("analyzer bug")


def test_analyzers_add_events_after_their_cause_and_before_the_end() -> None:
    source = ListSource([voiced("agent", 0), silent("agent", 1600)], ("agent",))
    session = CallSession(
        source, WordRecognizer, model_name="fake", level_interval_ms=0, analyzers=[Broken(), Echo()]
    )
    session.start()
    events = list(session.events(timeout=5))
    final_at = next(i for i, e in enumerate(events) if isinstance(e, Final))
    assert events[final_at + 1] == SourceError("overflow", "after w0", events[final_at].t_ms)
    assert isinstance(events[-1], CallEnded)
    assert events[-2].message == "closing"
