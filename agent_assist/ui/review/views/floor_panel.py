"""The live floor: the team's calls in progress above their newest critical flags.
Layout only."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget


class FloorPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.calls = _table()
        self.critical = _table()
        column = QVBoxLayout(self)
        column.addWidget(self.status)
        column.addWidget(QLabel(self.tr("Calls in progress")))
        column.addWidget(self.calls, 1)
        column.addWidget(QLabel(self.tr("Critical flags, newest first")))
        column.addWidget(self.critical, 1)


def _table() -> QTableView:
    table = QTableView()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    return table
