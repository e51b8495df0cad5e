"""The live floor as table models: calls in progress, and the newest critical flags."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from agent_assist.store.floor import FloorCall, FloorFlag
from agent_assist.ui.review.names import clock, flag_category_name
from agent_assist.ui.review.queue_model import CRITICAL

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


class _Rows(QAbstractTableModel, Generic[Row]):
    """Read-only rows replaced as a whole with each snapshot."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[Row, ...] = ()

    def columns(self) -> tuple[str, ...]:
        raise NotImplementedError

    def cells(self, row: Row) -> tuple[str, ...]:
        raise NotImplementedError

    def alarming(self, row: Row) -> bool:
        return False

    def set_rows(self, rows: tuple[Row, ...]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row(self, at: int) -> Row:
        return self._rows[at]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

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
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(row)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and self.alarming(row):
            return CRITICAL
        return None


class FloorCallsModel(_Rows[FloorCall]):
    """One row per call in progress, the newest first."""

    def columns(self) -> tuple[str, ...]:
        return (self.tr("Collector"), self.tr("Since"), self.tr("Flags"), self.tr("Critical"))

    def cells(self, row: FloorCall) -> tuple[str, ...]:
        return (
            row.collector,
            row.started_at.astimezone().strftime("%H:%M"),
            str(row.flag_count),
            str(row.critical_count),
        )

    def alarming(self, row: FloorCall) -> bool:
        return row.critical_count > 0


class CriticalFlagsModel(_Rows[FloorFlag]):
    """The newest critical flags of the calls in progress, the newest first; a row's
    tooltip says why its rule flags."""

    def __init__(self, explain: Callable[[str], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._explain = explain

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            return self._explain(self.row(index.row()).rule_id) or None
        return super().data(index, role)

    def columns(self) -> tuple[str, ...]:
        return (
            self.tr("At"),
            self.tr("Collector"),
            self.tr("In the call"),
            self.tr("Category"),
            self.tr("Words"),
        )

    def cells(self, row: FloorFlag) -> tuple[str, ...]:
        return (
            row.at.astimezone().strftime("%H:%M:%S"),
            row.collector,
            clock(row.t_ms),
            flag_category_name(row.category),
            row.text,
        )

    def alarming(self, row: FloorFlag) -> bool:
        return True
