"""Fills the main window from the core and follows the live call."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QListWidgetItem

from agent_assist.compliance.worklist import WorklistItem
from agent_assist.events import CallEnded, CallStarted, Event, Flag, RequirementMissed, ToneCue
from agent_assist.ui.event_bridge import EventBridge
from agent_assist.ui.transcript_model import TranscriptModel
from agent_assist.ui.views.main_window import MainWindow
from agent_assist.ui.worklist_model import WorklistModel

LoadWorklist = Callable[[], list[WorklistItem]]


class Call(Protocol):
    """A started call as the window follows it (see ``app.call_session``)."""

    def events(self) -> Iterable[Event]: ...

    def stop(self) -> None: ...


# Opens the wrap-up of a finished call for a case (call id, case id).
WrapUp = Callable[[str, int], None]

# Starts a call and returns it with the function that stores each event.
StartCall = Callable[[], tuple[Call, Callable[[Event], None] | None]]


class MainController(QObject):
    def __init__(
        self,
        window: MainWindow,
        load_worklist: LoadWorklist,
        start_demo: StartCall | None = None,
        wrap_up: WrapUp | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self._load_worklist = load_worklist
        self._start_demo = start_demo
        self._call: Call | None = None
        self._wrap_up = wrap_up
        self._call_id: str | None = None
        self._alerts: dict[str, QListWidgetItem] = {}
        self.worklist = WorklistModel(self)
        self.transcript = TranscriptModel(self)
        window.worklist.setModel(self.worklist)
        window.transcript.setModel(self.transcript)
        self.bridge = EventBridge(self)
        self.bridge.received.connect(self.on_event)
        window.refresh_action.triggered.connect(self.refresh)
        window.demo_action.triggered.connect(self.demo_call)
        window.demo_action.setEnabled(start_demo is not None)
        window.stop_action.triggered.connect(self.end_call)

    @Slot()
    def refresh(self) -> None:
        self.worklist.set_items(self._load_worklist())

    @Slot()
    def demo_call(self) -> None:
        if self._start_demo is None or self._call is not None:
            return
        call, record = self._start_demo()
        self._call = call
        self.follow(call.events(), record)

    def selected_case(self) -> int | None:
        """The worklist case the collector is calling (the selected row)."""
        rows = self.window.worklist.selectionModel().selectedRows()
        return self.worklist.item(rows[0].row()).case_id if rows else None

    @Slot()
    def end_call(self) -> None:
        if self._call is not None:
            self._call.stop()  # what was said is still decoded; CallEnded follows

    def follow(
        self, events: Iterable[Event], record: Callable[[Event], None] | None = None
    ) -> None:
        """Show a call as it happens (events from its session thread)."""
        self.window.stop_action.setEnabled(True)
        self.window.demo_action.setEnabled(False)
        self.bridge.pump(events, record)

    @Slot(object)
    def on_event(self, event: Event) -> None:
        self.transcript.on_event(event)
        self.window.transcript.scrollToBottom()
        if isinstance(event, Flag):
            if event.state == "retracted":
                self._retract(event)
            else:
                self._alert(event)
        elif isinstance(event, RequirementMissed | ToneCue):
            text = event.explanation if isinstance(event, RequirementMissed) else event.message
            self.window.alerts.insertItem(0, text)
        elif isinstance(event, CallStarted):
            self._call_id = event.call_id
        elif isinstance(event, CallEnded):
            self._call = None
            case_id = self.selected_case()
            if self._wrap_up is not None and self._call_id and case_id is not None:
                self._wrap_up(self._call_id, case_id)
            self.window.stop_action.setEnabled(False)
            self.window.demo_action.setEnabled(self._start_demo is not None)

    def _alert(self, flag: Flag) -> None:
        """One alert per flag: raised from a partial, updated when confirmed."""
        if flag.speaker == "agent" and flag.severity == "critical":
            self.window.banner.setText(f"{flag.category}: {flag.explanation}")
            self.window.banner.show()
        reply = f" — {flag.reply}" if flag.reply else ""
        text = f"[{flag.severity}] {flag.category}: {flag.explanation}{reply}"
        item = self._alerts.get(flag.flag_id)
        if item is None:
            item = QListWidgetItem(text)
            self._alerts[flag.flag_id] = item
            self.window.alerts.insertItem(0, item)
        else:
            item.setText(text)

    def _retract(self, flag: Flag) -> None:
        item = self._alerts.pop(flag.flag_id, None)
        if item is not None:
            self.window.alerts.takeItem(self.window.alerts.row(item))
