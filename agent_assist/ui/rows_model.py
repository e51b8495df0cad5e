"""A read-only table model over a list of immutable rows: each concrete model names its
columns and how a row reads; the Qt plumbing (counts, header, roles) lives here once.

A row's cells are read once and kept until the rows change or the model is reset: a view
asks for each cell several times (size hints, paint), and formatting dates and names
again each time made a page of the review queue take tens of milliseconds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


class RowsModel(QAbstractTableModel, Generic[Row]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._columns: tuple[str, ...] | None = None
        self._cells: dict[int, tuple[str, ...]] = {}
        # Any reset (new rows, or what cells() depends on) reads the cells afresh.
        self.modelAboutToBeReset.connect(self._forget)

    def _forget(self) -> None:
        self._columns = None
        self._cells.clear()

    # What a concrete model says.
    def columns(self) -> tuple[str, ...]:
        raise NotImplementedError

    def cells(self, row: Row) -> tuple[str, ...]:
        raise NotImplementedError

    def foreground(self, row: Row, column: int) -> QColor | None:
        return None

    def tooltip(self, row: Row, column: int) -> str | None:
        return None

    # The rows.
    def set_rows(self, rows: Iterable[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, at: int) -> Row:
        return self._rows[at]

    def replace_row(self, at: int, row: Row) -> None:
        self._rows[at] = row
        self._cells.pop(at, None)
        self.dataChanged.emit(self.index(at, 0), self.index(at, self.columnCount() - 1))

    # Qt's side.
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._headers())

    def _headers(self) -> tuple[str, ...]:
        if self._columns is None:
            self._columns = self.columns()
        return self._columns

    def _row_cells(self, at: int) -> tuple[str, ...]:
        cells = self._cells.get(at)
        if cells is None:
            cells = self._cells[at] = self.cells(self._rows[at])
        return cells

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        at, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._row_cells(at)[column]
        row = self._rows[at]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        return None
