"""The team lead's review window: the queue beside the call being reviewed. Layout only."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QSplitter

from agent_assist.ui.review.views.call_panel import CallPanel
from agent_assist.ui.review.views.queue_panel import QueuePanel


class ReviewWindow(QMainWindow):
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
        self.setCentralWidget(split)
