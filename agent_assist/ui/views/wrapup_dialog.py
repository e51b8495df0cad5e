"""After a call: outcome, notes and the case updates the call proposes. Layout only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class WrapUpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Wrap up the call"))
        self.setMinimumWidth(480)

        self.outcome = QComboBox()
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr("What was agreed, what to do next"))

        # A status change the debtor's words call for: the collector confirms it.
        self.status_check = QCheckBox()
        self.status_evidence = _evidence_label()

        # A promise to pay, prefilled from what the debtor said.
        self.promise_check = QCheckBox(self.tr("Record a promise to pay"))
        self.promise_amount = QLineEdit()
        self.promise_amount.setPlaceholderText(self.tr("Amount, e.g. 500 or 1250.50"))
        self.promise_due = QDateEdit()
        self.promise_due.setCalendarPopup(True)
        self.promise_due.setDisplayFormat("yyyy-MM-dd")
        self.promise_evidence = _evidence_label()
        promise_row = QHBoxLayout()
        promise_row.addWidget(self.promise_amount, 2)
        promise_row.addWidget(QLabel(self.tr("due")))
        promise_row.addWidget(self.promise_due, 1)

        # Why Save did nothing: shown in the dialog, never as a traceback.
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#b00020;font-weight:bold")
        self.error.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert isinstance(save, QPushButton)
        self.save_button: QPushButton = save
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Outcome"), self.outcome)
        form.addRow(self.status_check)
        form.addRow(self.status_evidence)
        form.addRow(self.promise_check)
        form.addRow(promise_row)
        form.addRow(self.promise_evidence)
        form.addRow(self.tr("Notes"), self.notes)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addWidget(self.buttons)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()


def _evidence_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color:#555;font-style:italic")
    label.hide()
    return label
