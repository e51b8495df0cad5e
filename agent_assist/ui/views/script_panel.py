"""The suggested-script panel: what to say now, one row per line. Layout only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListWidget, QVBoxLayout, QWidget


class ScriptPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Suggested script"))
        self.title.setStyleSheet("font-weight:bold")
        # Why these scripts: the stage, or the cue the debtor just gave.
        self.context = QLabel()
        self.context.setWordWrap(True)
        # A script's title row, then its lines; one click on a line marks it said.
        self.lines = QListWidget()
        self.lines.setWordWrap(True)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.lines.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.context)
        column.addWidget(self.lines)
