"""The collector's main window: worklist, live transcript, alerts. Layout only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QListWidget,
    QMainWindow,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from agent_assist.ui.views.profile_panel import ProfilePanel
from agent_assist.ui.views.script_panel import ScriptPanel


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Agent Assist"))
        self.resize(1280, 800)

        toolbar = QToolBar(self.tr("Call"), self)
        self.addToolBar(toolbar)
        self.refresh_action = QAction(self.tr("Refresh worklist"), self)
        self.demo_action = QAction(self.tr("Demo call"), self)
        self.stop_action = QAction(self.tr("End call"), self)
        self.stop_action.setEnabled(False)
        toolbar.addAction(self.refresh_action)
        toolbar.addAction(self.demo_action)
        toolbar.addAction(self.stop_action)

        self.worklist = QTableView()
        self.worklist.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.worklist.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.worklist.horizontalHeader().setStretchLastSection(True)

        # A collector line crossed: a banner that cannot be missed.
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#b00020;color:white;padding:8px;font-weight:bold")
        self.banner.hide()
        self.transcript = QListView()
        self.transcript.setUniformItemSizes(False)
        self.transcript.setWordWrap(True)
        center = QWidget()
        column = QVBoxLayout(center)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner)
        column.addWidget(self.transcript)

        self.alerts = QListWidget()
        self.alerts.setWordWrap(True)
        self.profile = ProfilePanel()
        self.scripts = ScriptPanel()
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.profile)
        side.addWidget(self.scripts)
        side.addWidget(self.alerts)

        splitter = QSplitter()
        splitter.addWidget(self.worklist)
        splitter.addWidget(center)
        splitter.addWidget(side)
        splitter.setSizes([380, 520, 380])
        self.setCentralWidget(splitter)
