"""The review queue as a table model: one row per flagged call, newest or most severe first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from agent_assist.store.records import CallSummary
from agent_assist.ui.review.names import (
    clock,
    review_state_name,
    severity_name,
    severity_of_rank,
)

Index = QModelIndex | QPersistentModelIndex

CRITICAL = QColor("#b00020")


class QueueModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._calls: list[CallSummary] = []
        self._names: Mapping[int, str] = {}

    def columns(self) -> tuple[str, ...]:
        return (
            self.tr("Started"),
            self.tr("Collector"),
            self.tr("Length"),
            self.tr("Flags"),
            self.tr("Critical"),
            self.tr("Most severe"),
            self.tr("Review"),
        )

    def set_names(self, names: Mapping[int, str]) -> None:
        """Collectors' display names by user id."""
        self.beginResetModel()
        self._names = dict(names)
        self.endResetModel()

    def set_calls(self, calls: list[CallSummary]) -> None:
        self.beginResetModel()
        self._calls = list(calls)
        self.endResetModel()

    def call(self, row: int) -> CallSummary:
        return self._calls[row]

    def row_of(self, call_id: str) -> int | None:
        return next((r for r, c in enumerate(self._calls) if c.id == call_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._calls)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self.columns())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        call = self._calls[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(call, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and call.critical_count:
            return CRITICAL
        return None

    def _cell(self, call: CallSummary, column: int) -> str:
        collector = "" if call.user_id is None else self._names.get(call.user_id, str(call.user_id))
        cells = (
            call.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            collector,
            "" if call.duration_ms is None else clock(call.duration_ms),
            str(call.flag_count),
            str(call.critical_count),
            severity_name(severity_of_rank(call.max_severity)),
            review_state_name(call.review_state),
        )
        return cells[column]
