"""One call under review: its transcript, its flags as a timeline, the verdict buttons, a
coaching note and "Mark reviewed". Layout only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_assist.ui.views.transcript_view import TranscriptView


class CallPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self.tr("Open a call from the queue (Enter)."))
        self.heading.setWordWrap(True)
        self.transcript = TranscriptView()
        self.flags = QTableView()
        self.flags.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.flags.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.flags.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.flags.horizontalHeader().setStretchLastSection(True)
        self.flags.verticalHeader().setVisible(False)

        # The keys work wherever the focus is, but not while a note is typed.
        self.upheld = QPushButton(self.tr("1 · Valid breach"))
        self.upheld.setShortcut(QKeySequence("1"))
        self.false_positive = QPushButton(self.tr("2 · False positive"))
        self.false_positive.setShortcut(QKeySequence("2"))
        self.needs_coaching = QPushButton(self.tr("3 · Needs coaching"))
        self.needs_coaching.setShortcut(QKeySequence("3"))
        verdicts = QHBoxLayout()
        for button in (self.upheld, self.false_positive, self.needs_coaching):
            verdicts.addWidget(button)
        # Listening to the seconds around the flag, when the call was recorded.
        self.play = QPushButton(self.tr("L · Listen"))
        self.play.setShortcut(QKeySequence("L"))
        self.play.setToolTip(self.tr("Play the call's audio around the selected flag"))
        verdicts.addSpacing(12)
        verdicts.addWidget(self.play)

        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(
            self.tr("A coaching note for the collector, or the review's summary")
        )
        self.note.setMaximumHeight(90)
        self.send_note = QPushButton(self.tr("Send coaching note"))
        self.mark_reviewed = QPushButton(self.tr("Mark reviewed"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        actions.addWidget(self.send_note)
        actions.addWidget(self.mark_reviewed)

        timeline = QWidget()
        below = QVBoxLayout(timeline)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.flags, 1)
        below.addLayout(verdicts)
        below.addWidget(self.note)
        below.addLayout(actions)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.transcript)
        split.addWidget(timeline)
        split.setSizes([420, 320])
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(split, 1)
        column.addLayout(self._learning_row())

    def _learning_row(self) -> QHBoxLayout:
        """The learning loop: words on the selected transcript line that no rule flagged."""
        self.transcript.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.note_missed = QPushButton(self.tr("M · Note a missed flag…"))
        self.note_missed.setShortcut(QKeySequence("M"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.note_missed)
        return row
