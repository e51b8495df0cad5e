"""The worklist as a table model: priority order, may-I-call-now, why first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from agent_assist.compliance.worklist import WorklistItem

Index = QModelIndex | QPersistentModelIndex


class WorklistModel(QAbstractTableModel):
    COLUMNS = ("Case", "Segment", "Score", "Call now", "Why first")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[WorklistItem] = []

    def set_items(self, items: list[WorklistItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> WorklistItem:
        return self._items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(item, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3 and not item.callable_now:
            return "\n".join(r.message for r in item.verdict.reasons)
        return None

    def _cell(self, item: WorklistItem, column: int) -> str:
        p = item.priority
        cells = (
            p.history.case_ref,
            p.segment,
            f"{p.score:.2f}",
            self.tr("yes") if item.callable_now else self.tr("no"),
            "; ".join(r.text for r in p.reasons),
        )
        return cells[column]
