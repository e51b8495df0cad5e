"""The trainer window's "Drills" tab: pick a scenario, read the brief, answer the debtor
line by line (typed, or spoken when "Answer by voice" is on; "Speak the debtor's lines"
says the debtor's), watch the score, read the report; below, the drills one may see.
Layout only; ``drill_controller`` holds the behaviour."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
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
        self.speak = QCheckBox(self.tr("Speak the debtor's lines"))
        self.by_voice = QCheckBox(self.tr("Answer by voice"))
        self.voices = _row(self.speak, self.by_voice)  # off while a drill runs
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
        answering = _row(self.answer, self.send, self.stop)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setPlaceholderText(self.tr("The report appears when the drill ends."))
        self.history = _history_table()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.kept = self._kept_label()

        talk = QWidget()
        talk_column = QVBoxLayout(talk)
        talk_column.setContentsMargins(0, 0, 0, 0)
        talk_column.addWidget(self.brief)
        talk_column.addWidget(self.lines, 1)
        talk_column.addWidget(answering)
        talk_column.addWidget(self.kept)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(talk)
        split.addWidget(self.report)
        split.addWidget(self.history)
        split.setStretchFactor(0, 3)
        column = QVBoxLayout(self)
        column.addLayout(picker)
        column.addWidget(self.voices)
        column.addWidget(split, 1)
        column.addWidget(self.status)
        self.set_answering(False)

    def _kept_label(self) -> QLabel:
        """Shown while the drill's writes wait on this computer for the database."""
        label = QLabel(
            self.tr(
                "The database is not answering; this drill is kept on this computer and "
                "saved when it answers."
            )
        )
        label.setWordWrap(True)
        label.setStyleSheet("color:#8a6d00")
        label.setVisible(False)
        return label

    def set_answering(self, on: bool) -> None:
        """The answer box works while a drill waits for the trainee, the picker otherwise."""
        widgets: tuple[QWidget, ...] = (self.answer, self.send, self.stop)
        for widget in widgets:
            widget.setEnabled(on)
        self._picking(not on)

    def set_listening(self, on: bool) -> None:
        """A spoken drill under way: only "End drill" works (the answers are heard)."""
        self.answer.setEnabled(False)
        self.send.setEnabled(False)
        self.stop.setEnabled(on)
        self._picking(not on)

    def _picking(self, on: bool) -> None:
        self.scenarios.setEnabled(on)
        self.start.setEnabled(on)
        self.voices.setEnabled(on)


def _row(first: QWidget, *widgets: QWidget) -> QWidget:
    """Widgets side by side, the first stretching (a check box: the space after it)."""
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    stretches = isinstance(first, QLineEdit)
    line.addWidget(first, 1 if stretches else 0)
    for widget in widgets:
        line.addWidget(widget)
    if not stretches:
        line.addStretch(1)
    return row


def _history_table() -> QTableView:
    table = QTableView()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table
