"""Fills the main window from the core and follows the live call."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import QMessageBox

from agent_assist.compliance.worklist import WorklistItem
from agent_assist.errors import UserError
from agent_assist.events import CallEnded, CallStarted, Event
from agent_assist.ui.background import in_background
from agent_assist.ui.controllers.call_controller import CallController, StartCall, StartLive
from agent_assist.ui.event_bridge import EventBridge
from agent_assist.ui.transcript_model import TranscriptModel
from agent_assist.ui.views.main_window import MainWindow
from agent_assist.ui.worklist_model import WorklistModel

LoadWorklist = Callable[[], list[WorklistItem]]

CLOSE_WAIT_S = 15.0  # the workers flush the utterance in progress; a slow disk or server

# Opens the wrap-up of a finished call for a case (call id, case id).
WrapUp = Callable[[str, int], None]


log = logging.getLogger(__name__)


class MainController(QObject):
    # From the thread that reads the worklist: its items, or why it could not.
    worklist_loaded = Signal(object)  # list[WorklistItem]
    _worklist_failed = Signal(object)  # the exception

    def __init__(
        self,
        window: MainWindow,
        load_worklist: LoadWorklist,
        start_demo: StartCall | None = None,
        wrap_up: WrapUp | None = None,
        start_live: StartLive | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self._load_worklist = load_worklist
        self._wrap_up = wrap_up
        self._call_id: str | None = None
        self.worklist = WorklistModel(self)
        self.transcript = TranscriptModel(self)
        window.worklist.setModel(self.worklist)
        window.transcript.setModel(self.transcript)
        self.bridge = EventBridge(self)
        self.bridge.received.connect(self.on_event)
        self.calls = CallController(
            window.call_controls, self.bridge, start_demo=start_demo, start_live=start_live
        )
        window.refresh_action.triggered.connect(self.refresh)
        self.worklist_loaded.connect(self._show_worklist)
        self._worklist_failed.connect(self._worklist_problem)
        self._loading = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Closing the window during a call ends the call first (asked once): what was
        said is decoded and stored before the window goes."""
        if watched is self.window and event.type() == QEvent.Type.Close and self.calls.busy:
            answer = QMessageBox.question(
                self.window,
                self.tr("A call is in progress"),
                self.tr("End the call and close Agent Assist? Everything said so far is kept."),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return True
            self.calls.end_call()
            self.bridge.wait(CLOSE_WAIT_S)  # its end is stored once the bridge is through
        return False

    @Slot()
    def refresh(self) -> None:
        """Read the worklist again, off the UI thread (a compliance check per case and a
        team's database away over the network take their time); shown when it arrives."""
        if self._loading:
            return
        self._loading = True
        self.window.refresh_action.setEnabled(False)
        self.window.statusBar().showMessage(self.tr("Loading the worklist…"))

        in_background("worklist", self._load_worklist, self.worklist_loaded, self._worklist_failed)

    @Slot(object)
    def _show_worklist(self, items: list[WorklistItem]) -> None:
        selected = self.selected_case()
        self.worklist.set_items(items)
        self.window.worklist.resizeColumnsToContents()
        self._loading = False
        self.window.refresh_action.setEnabled(True)
        self.window.statusBar().showMessage(self.tr("{n} cases").format(n=len(items)), 5000)
        rows = [r for r in range(len(items)) if items[r].case_id == selected]
        if rows:  # the case being worked stays selected after a refresh
            self.window.worklist.selectRow(rows[0])

    @Slot(object)
    def _worklist_problem(self, error: Exception) -> None:
        self._loading = False
        self.window.refresh_action.setEnabled(True)
        if isinstance(error, UserError):
            self.window.statusBar().showMessage(str(error))
            return
        log.error("the worklist could not be read", exc_info=error)
        self.window.statusBar().showMessage(
            self.tr("The worklist could not be read ({0}); try Refresh.").format(error)
        )

    def selected_case(self) -> int | None:
        """The worklist case the collector is calling (the selected row)."""
        rows = self.window.worklist.selectionModel().selectedRows()
        return self.worklist.item(rows[0].row()).case_id if rows else None

    @Slot(object)
    def on_event(self, event: Event) -> None:
        self.transcript.on_event(event)
        if isinstance(event, CallStarted):
            self._call_id = event.call_id
        elif isinstance(event, CallEnded):
            case_id = self.selected_case()
            if self._wrap_up is not None and self._call_id and case_id is not None:
                self._wrap_up(self._call_id, case_id)
