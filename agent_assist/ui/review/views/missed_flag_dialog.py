"""The review window's "Note a missed flag" dialog: the words on a transcript line that
should have been flagged, their category and a note, for the trainers to turn into a rule
example. Layout only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class MissedFlagDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Note a missed flag"))
        self.line = QLabel()  # whose line, and which
        self.line.setWordWrap(True)
        self.category = QComboBox()
        self.words = QPlainTextEdit()
        self.words.setMaximumHeight(80)
        self.words.setPlaceholderText(self.tr("The words that should have been flagged"))
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(80)
        self.note.setPlaceholderText(self.tr("Why, for the trainer (optional)"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("Words"), self.words)
        form.addRow(self.tr("Note"), self.note)
        column = QVBoxLayout(self)
        column.addWidget(self.line)
        column.addLayout(form)
        column.addWidget(self.status)
        column.addWidget(self.buttons)
