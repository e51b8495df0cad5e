"""Starts and ends calls from the window and shows how they go: timer, status, level meters.

Starting a call opens devices, compiles the rule pack and reaches the database, so it
runs on a thread of its own and reports back by a queued signal; the meters poll the
running session's newest levels with a timer instead of a signal per audio frame.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal, Slot

from agent_assist.asr.model import LoadedModel
from agent_assist.errors import UserError
from agent_assist.events import AudioLevel, CallEnded, CallStarted, Event, SourceError, Speaker
from agent_assist.ui.background import emit_if_alive
from agent_assist.ui.event_bridge import EventBridge
from agent_assist.ui.views.call_controls import METER_STEPS, CallControls

log = logging.getLogger(__name__)

POLL_MS = 100  # meters and timer: 10 updates a second
METER_FLOOR_DBFS = -60.0  # quieter than this reads as silence on a meter


class Call(Protocol):
    """A started call as the window follows it (``app.call_session``, ``app.demo_session``)."""

    def events(self) -> Iterable[Event]: ...

    def stop(self) -> None: ...

    def levels(self) -> Mapping[Speaker, AudioLevel]: ...


Record = Callable[[Event], None]  # stores each event before it is shown
StartedCall = tuple[Call, Record | None]
StartCall = Callable[[], StartedCall]
StartLive = Callable[[LoadedModel], StartedCall]


def meter_value(dbfs: float) -> int:
    """A level on a meter's scale: the floor and below is empty, full scale is full."""
    share = (dbfs - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS
    return round(min(1.0, max(0.0, share)) * METER_STEPS)


def clock_text(ms: int) -> str:
    minutes, seconds = divmod(ms // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


class CallController(QObject):
    # From the thread that starts a call: what it started, or why it could not.
    _started = Signal(object)  # StartedCall
    _refused = Signal(object)  # the exception

    def __init__(
        self,
        controls: CallControls,
        bridge: EventBridge,
        *,
        start_demo: StartCall | None = None,
        start_live: StartLive | None = None,
        poll_ms: int = POLL_MS,
    ) -> None:
        super().__init__(controls)
        self.controls = controls
        self._bridge = bridge
        self._start_demo = start_demo
        self._start_live = start_live
        self._model: LoadedModel | None = None
        self._model_status = self.tr("No speech model loaded") if start_live else ""
        self._call: Call | None = None
        self._starting = False
        self._stop_asked = False  # End pressed: once is enough
        self._in_call = False  # between CallStarted and CallEnded
        self._demo = False
        self._failure: str | None = None  # the audio problem that ended the call
        self._clock = QElapsedTimer()
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self._tick)
        bridge.received.connect(self.on_event)
        self._started.connect(self._follow)
        self._refused.connect(self._not_started)
        controls.start_action.triggered.connect(self.start_live)
        controls.demo_action.triggered.connect(self.start_demo)
        controls.stop_action.triggered.connect(self.end_call)
        controls.status.setText(self._model_status)
        self._update_actions()

    @property
    def busy(self) -> bool:
        """A call is starting or running."""
        return self._starting or self._call is not None or self._in_call

    @Slot(object, str)
    def set_model(self, model: LoadedModel | None, status: str) -> None:
        """The speech model live calls use (None: none yet), and what to say about it."""
        self._model = model
        self._model_status = status
        if not self.busy:
            self.controls.status.setText(status)
        self._update_actions()

    @Slot()
    def start_live(self) -> None:
        start, model = self._start_live, self._model
        if start is None or model is None or self.busy:
            return
        self._demo = False
        self._launch(lambda: start(model))

    @Slot()
    def start_demo(self) -> None:
        if self._start_demo is None or self.busy:
            return
        self._demo = True
        self._launch(self._start_demo)

    @Slot()
    def end_call(self) -> None:
        if not self.busy:
            return
        self._stop_asked = True  # a call still starting is ended as soon as it runs
        if self._call is not None:
            self._call.stop()  # what was said is still decoded; CallEnded follows
        self._update_actions()

    @Slot(object)
    def on_event(self, event: Event) -> None:
        if isinstance(event, CallStarted):
            self._in_call = True
            self._failure = None
            self._clock.start()
            self._poll.start()
            self.controls.status.setText(
                self.tr("Demo call: a scripted dialogue is playing")
                if self._demo
                else self.tr("Listening")
            )
            self._update_actions()
        elif isinstance(event, SourceError):
            self._audio_problem(event)
        elif isinstance(event, CallEnded):
            self._ended()

    def _launch(self, start: StartCall) -> None:
        self._starting = True
        self._stop_asked = False
        self._failure = None
        self.controls.status.setText(self.tr("Starting the call…"))
        self._update_actions()

        def run() -> None:
            try:
                started = start()
            except Exception as exc:  # reported on the UI thread, never raised here
                emit_if_alive(self._refused, exc)
            else:
                if not emit_if_alive(self._started, started):
                    started[0].stop()  # the window is gone: nobody would end this call

        threading.Thread(target=run, name="call-start", daemon=True).start()

    @Slot(object)
    def _follow(self, started: StartedCall) -> None:
        call, record = started
        self._starting = False
        self._call = call
        self._bridge.pump(call.events(), record)
        if self._stop_asked:
            call.stop()
        self._update_actions()

    @Slot(object)
    def _not_started(self, error: Exception) -> None:
        self._starting = False
        if isinstance(error, UserError):
            self.controls.status.setText(str(error))
        else:
            log.error("a call could not start", exc_info=error)
            self.controls.status.setText(
                self.tr(
                    "The call could not start ({0}). Try again; if it fails again, restart."
                ).format(error)
            )
        self._update_actions()

    def _audio_problem(self, error: SourceError) -> None:
        if not error.fatal:  # audio dropped, the call goes on
            self.controls.status.setText(self.tr("Audio problem: {0}").format(error.message))
            return
        # That side's audio stopped: end the call (what was said is stored and still
        # decoded) and say what to do rather than follow half a call.
        self._failure = self.tr("{0} — the call was ended; start it again when that is fixed.")
        self._failure = self._failure.format(error.message)
        self.controls.status.setText(self._failure)
        self.end_call()

    def _ended(self) -> None:
        self._tick()  # the timer shows the call's full length
        self._poll.stop()
        self._in_call = False
        self._call = None
        self._stop_asked = False
        self.controls.collector_meter.setValue(0)
        self.controls.debtor_meter.setValue(0)
        self.controls.status.setText(self._failure or self.tr("Call ended"))
        self._update_actions()

    @Slot()
    def _tick(self) -> None:
        if self._clock.isValid():
            self.controls.timer.setText(clock_text(self._clock.elapsed()))
        if self._call is None:
            return
        levels = self._call.levels()
        for speaker, meter in (
            ("agent", self.controls.collector_meter),
            ("debtor", self.controls.debtor_meter),
        ):
            level = levels.get(speaker)
            meter.setValue(meter_value(level.rms_dbfs) if level is not None else 0)

    def _update_actions(self) -> None:
        idle = not self.busy
        c = self.controls
        c.start_action.setEnabled(idle and self._start_live is not None and self._model is not None)
        c.demo_action.setEnabled(idle and self._start_demo is not None)
        c.stop_action.setEnabled(not idle and not self._stop_asked)
