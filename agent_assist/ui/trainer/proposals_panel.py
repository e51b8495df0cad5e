"""The trainer's "Proposals" tab: examples proposed by team leads' verdicts (false
positives to stop flagging, missed breaches to start flagging), with Accept into rule… and
Dismiss. Layout only; ``proposals_controller`` holds the behaviour."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)


class ProposalsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(
            self.tr(
                "Flags team leads judged false positives propose examples the rule should "
                "not flag; breaches they noted as missed propose examples it should flag."
            )
        )
        self.heading.setWordWrap(True)
        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.accept = QPushButton(self.tr("Accept into rule…"))
        self.dismiss = QPushButton(self.tr("Dismiss"))
        self.refresh = QPushButton(self.tr("Refresh"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        actions.addWidget(self.refresh)
        actions.addWidget(self.dismiss)
        actions.addWidget(self.accept)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.table, 1)
        column.addLayout(actions)
