"""The collector's main window: worklist, live transcript, alerts. Layout only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_assist.ui.views.alerts_panel import AlertBanner, AlertsPanel
from agent_assist.ui.views.call_controls import CallControls
from agent_assist.ui.views.model_panel import ModelPanel
from agent_assist.ui.views.profile_panel import ProfilePanel
from agent_assist.ui.views.script_panel import ScriptPanel
from agent_assist.ui.views.transcript_view import TranscriptView


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Agent Assist"))
        self.resize(1280, 800)

        # Settings live in the menu bar, apart from the call controls.
        self.settings_action = QAction(self.tr("Settings…"), self)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.model_action = QAction(self.tr("Speech model…"), self)
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.settings_action)
        file_menu.addAction(self.model_action)

        # Across the top: start and end calls, the timer, the status line, the level meters.
        self.call_controls = CallControls()
        self.start_action = self.call_controls.start_action
        self.stop_action = self.call_controls.stop_action
        self.demo_action = self.call_controls.demo_action

        self.refresh_action = QAction(self.tr("Refresh worklist"), self)
        self.worklist = QTableView()
        self.worklist.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.worklist.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.worklist.horizontalHeader().setStretchLastSection(True)
        self.worklist.setWordWrap(False)  # one line per case: the list stays scannable
        cases = _titled(self.tr("Worklist"), self.worklist, self.refresh_action)

        # A collector line crossed: a banner that cannot be missed, until acknowledged.
        self.banner = AlertBanner()
        self.transcript = TranscriptView()
        center = QWidget()
        column = QVBoxLayout(center)
        column.setContentsMargins(0, 0, 0, 0)
        # Shown while no speech model can be loaded: download one or choose a folder.
        self.model_panel = ModelPanel()
        column.addWidget(self.model_panel)
        column.addWidget(self.banner)
        column.addWidget(self.transcript)

        self.alerts = AlertsPanel()
        self.profile = ProfilePanel()
        self.scripts = ScriptPanel()
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.profile)
        side.addWidget(self.scripts)
        side.addWidget(self.alerts)
        side.setSizes([300, 250, 250])  # the alerts need room for a few cards

        splitter = QSplitter()
        splitter.addWidget(cases)
        splitter.addWidget(center)
        splitter.addWidget(side)
        splitter.setSizes([380, 520, 380])
        root = QWidget()
        rows = QVBoxLayout(root)
        rows.setContentsMargins(4, 4, 4, 4)
        rows.addWidget(self.call_controls)
        rows.addWidget(splitter, 1)
        self.setCentralWidget(root)


def _titled(title: str, body: QWidget, action: QAction) -> QWidget:
    """``body`` under a bold title with ``action``'s button beside the title."""
    label = QLabel(title)
    label.setStyleSheet("font-weight:bold")
    button = QToolButton()
    button.setDefaultAction(action)
    header = QHBoxLayout()
    header.addWidget(label, 1)
    header.addWidget(button)
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.addLayout(header)
    column.addWidget(body)
    return holder
