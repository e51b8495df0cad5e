"""The review report tab: a period, the four figures as charts over small tables, and the
export buttons. Layout only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from agent_assist.ui.review.views.bar_chart import BarChart


class ReportPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.since = QDateEdit()
        self.until = QDateEdit()
        for day in (self.since, self.until):
            day.setCalendarPopup(True)
            day.setDisplayFormat("yyyy-MM-dd")
        self.refresh = QPushButton(self.tr("Refresh"))
        self.export_csv = QPushButton(self.tr("Export CSV…"))
        self.export_pdf = QPushButton(self.tr("Export PDF…"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("From")))
        bar.addWidget(self.since)
        bar.addWidget(QLabel(self.tr("To")))
        bar.addWidget(self.until)
        bar.addWidget(self.refresh)
        bar.addStretch(1)
        bar.addWidget(self.export_csv)
        bar.addWidget(self.export_pdf)

        self.collectors_chart, self.collectors = BarChart(), _table()
        self.categories_chart, self.categories = BarChart(), _table()
        self.rules_chart, self.rules = BarChart(), _table()
        self.promises_chart, self.promises = BarChart(), _table()
        grid = QGridLayout()
        figures = (
            (self.collectors_chart, self.collectors),
            (self.categories_chart, self.categories),
            (self.rules_chart, self.rules),
            (self.promises_chart, self.promises),
        )
        for i, (chart, table) in enumerate(figures):
            row, column = divmod(i, 2)
            grid.addWidget(chart, row * 2, column)
            grid.addWidget(table, row * 2 + 1, column)
        column_layout = QVBoxLayout(self)
        column_layout.addLayout(bar)
        column_layout.addWidget(self.status)
        column_layout.addLayout(grid, 1)


def _table() -> QTableWidget:
    table = QTableWidget()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    return table
