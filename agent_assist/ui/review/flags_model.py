"""A call's flags as a table model, in call order: the timeline a reviewer judges."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from agent_assist.asr.display import for_display
from agent_assist.store.records import FlagRecord
from agent_assist.ui.review.names import (
    clock,
    flag_category_name,
    flag_state_name,
    severity_name,
    verdict_name,
)

Index = QModelIndex | QPersistentModelIndex

CRITICAL = QColor("#b00020")
RETRACTED = QColor("#9e9e9e")

# A rule's explanation by rule id ("" when the rule is no longer in any pack).
Explain = Callable[[str], str]


class FlagsModel(QAbstractTableModel):
    def __init__(self, explain: Explain, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._explain = explain
        self._flags: list[FlagRecord] = []

    def columns(self) -> tuple[str, ...]:
        return (
            self.tr("Time"),
            self.tr("Category"),
            self.tr("Severity"),
            self.tr("Words"),
            self.tr("Verdict"),
            self.tr("Why"),
        )

    def set_flags(self, flags: tuple[FlagRecord, ...]) -> None:
        self.beginResetModel()
        self._flags = sorted(flags, key=lambda f: f.t_ms)
        self.endResetModel()

    def flag(self, row: int) -> FlagRecord:
        return self._flags[row]

    def set_verdict(self, flag_row_id: int, verdict: str) -> None:
        for row, flag in enumerate(self._flags):
            if flag.id == flag_row_id:
                self._flags[row] = replace(flag, verdict=verdict)
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._flags)

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
        flag = self._flags[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(flag, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            if flag.state == "retracted":
                return RETRACTED
            return CRITICAL if flag.severity == "critical" else None
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole explanation, however long
            return f"{flag_state_name(flag.state)}\n{self._explain(flag.rule_id)}".strip()
        return None

    def _cell(self, flag: FlagRecord, column: int) -> str:
        cells = (
            clock(flag.t_ms),
            flag_category_name(flag.category),
            severity_name(flag.severity),
            for_display(flag.span_text).text,  # Mandarin without Vosk's spaces
            verdict_name(flag.verdict),
            self._explain(flag.rule_id),
        )
        return cells[column]
