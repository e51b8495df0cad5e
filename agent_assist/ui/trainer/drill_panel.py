"""The trainer window's "Drills" tab: pick a scenario, read the brief, answer the debtor
line by line, watch the score, read the report; below, the drills one may see.
Layout only; ``drill_controller`` holds the behaviour."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)


class DrillPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scenarios = QComboBox()
        self.start = QPushButton(self.tr("Start drill"))
        self.score = QLabel()
        picker = QHBoxLayout()
        picker.addWidget(QLabel(self.tr("Scenario:")))
        picker.addWidget(self.scenarios, 1)
        picker.addWidget(self.start)
        picker.addWidget(self.score)
        self.brief = QLabel()
        self.brief.setWordWrap(True)
        self.brief.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lines = QListWidget()
        self.lines.setWordWrap(True)
        self.answer = QLineEdit()
        self.answer.setPlaceholderText(self.tr("Your answer to the debtor"))
        self.send = QPushButton(self.tr("Answer"))
        self.send.setDefault(True)
        self.stop = QPushButton(self.tr("End drill"))
        answering = QHBoxLayout()
        answering.addWidget(self.answer, 1)
        answering.addWidget(self.send)
        answering.addWidget(self.stop)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setPlaceholderText(self.tr("The report appears when the drill ends."))
        self.history = QTableView()
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.verticalHeader().setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)

        talk = QWidget()
        talk_column = QVBoxLayout(talk)
        talk_column.setContentsMargins(0, 0, 0, 0)
        talk_column.addWidget(self.brief)
        talk_column.addWidget(self.lines, 1)
        talk_column.addLayout(answering)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(talk)
        split.addWidget(self.report)
        split.addWidget(self.history)
        split.setStretchFactor(0, 3)
        column = QVBoxLayout(self)
        column.addLayout(picker)
        column.addWidget(split, 1)
        column.addWidget(self.status)
        self.set_answering(False)

    def set_answering(self, on: bool) -> None:
        """The answer box works while a drill waits for the trainee, the picker otherwise."""
        widgets: tuple[QWidget, ...] = (self.answer, self.send, self.stop)
        for widget in widgets:
            widget.setEnabled(on)
        self.scenarios.setEnabled(not on)
        self.start.setEnabled(not on)
