"""The trainer's window: one tab per task (the editor first). Layout only; a tab is added
with :meth:`TrainerWindow.add_tab`, and whoever holds unsaved work adds a close guard."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from agent_assist.ui.trainer.views.editor_panel import EditorPanel

# Asked before the window closes: False keeps it open (e.g. the user cancelled saving).
CloseGuard = Callable[[], bool]


class TrainerWindow(QMainWindow):
    closed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Agent Assist · Trainer"))
        self.resize(1500, 900)
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
        self.editor = EditorPanel()
        self.add_tab(self.editor, self.tr("Editor"))
        self._guards: list[CloseGuard] = []

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Add a tab after the others; returns its index."""
        return self.tabs.addTab(widget, title)

    def add_close_guard(self, guard: CloseGuard) -> None:
        self._guards.append(guard)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not all(guard() for guard in self._guards):
            event.ignore()
            return
        self.closed.emit()
        super().closeEvent(event)
