"""The team lead's review window: the queue beside the call being reviewed, and the live
floor in a tab of its own. Layout only."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QTabWidget

from agent_assist.ui.review.views.call_panel import CallPanel
from agent_assist.ui.review.views.floor_panel import FloorPanel
from agent_assist.ui.review.views.queue_panel import QueuePanel
from agent_assist.ui.review.views.report_panel import ReportPanel


class ReviewWindow(QMainWindow):
    closed = Signal()  # the window was closed: threads watching for it stop

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Agent Assist · Review"))
        self.resize(1400, 850)
        self.queue = QueuePanel()
        self.call = CallPanel()
        split = QSplitter()
        split.addWidget(self.queue)
        split.addWidget(self.call)
        split.setSizes([600, 800])
        self.floor = FloorPanel()
        self.report = ReportPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(split, self.tr("Review"))
        self.tabs.addTab(self.floor, self.tr("Live floor"))
        self.tabs.addTab(self.report, self.tr("Report"))
        self.setCentralWidget(self.tabs)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
