"""The review queue: filters, the count of matching calls, the calls a page at a time.
Layout only."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# A date edit at this date means "any date" (shown as its special value text).
NO_DATE = QDate(2000, 1, 1)


class QueuePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.team = QComboBox()
        self.collector = QComboBox()
        self.category = QComboBox()
        self.min_severity = QComboBox()
        self.flag_state = QComboBox()
        self.verdict = QComboBox()
        self.review_state = QComboBox()
        self.order = QComboBox()
        self.since = self._date_edit()
        self.until = self._date_edit()

        filters = QFormLayout()
        filters.addRow(self.tr("Team"), self.team)
        filters.addRow(self.tr("Collector"), self.collector)
        filters.addRow(self.tr("Category"), self.category)
        filters.addRow(self.tr("At least"), self.min_severity)
        filters.addRow(self.tr("Flag state"), self.flag_state)
        filters.addRow(self.tr("Verdict"), self.verdict)
        filters.addRow(self.tr("Review"), self.review_state)
        dates = QHBoxLayout()
        dates.addWidget(self.since)
        dates.addWidget(QLabel(self.tr("to")))
        dates.addWidget(self.until)
        filters.addRow(self.tr("From"), dates)
        filters.addRow(self.tr("Sort"), self.order)

        self.refresh_action = QAction(self.tr("Refresh"), self)
        self.previous_page_action = QAction(self.tr("Previous page"), self)
        self.next_page_action = QAction(self.tr("Next page"), self)
        self.count = QLabel()
        self.page = QLabel()
        paging = QHBoxLayout()
        paging.addWidget(self.count, 1)
        for action in (self.previous_page_action, self.next_page_action, self.refresh_action):
            button = QToolButton()
            button.setDefaultAction(action)
            paging.addWidget(button)
        paging.addWidget(self.page)

        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)

        column = QVBoxLayout(self)
        column.addLayout(filters)
        column.addLayout(paging)
        column.addWidget(self.table, 1)

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(self.tr("any"))
        edit.setDate(NO_DATE)
        return edit
