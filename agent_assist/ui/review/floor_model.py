"""The live floor as table models: calls in progress, and the newest critical flags."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from agent_assist.store.floor import FloorCall, FloorFlag
from agent_assist.ui.review.names import clock, flag_category_name
from agent_assist.ui.review.queue_model import CRITICAL
from agent_assist.ui.rows_model import RowsModel


class FloorCallsModel(RowsModel[FloorCall]):
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

    def foreground(self, row: FloorCall, column: int) -> QColor | None:
        return CRITICAL if row.critical_count > 0 else None


class CriticalFlagsModel(RowsModel[FloorFlag]):
    """The newest critical flags of the calls in progress, the newest first; a row's
    tooltip says why its rule flags."""

    def __init__(self, explain: Callable[[str], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._explain = explain

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

    def foreground(self, row: FloorFlag, column: int) -> QColor | None:
        return CRITICAL

    def tooltip(self, row: FloorFlag, column: int) -> str | None:
        return self._explain(row.rule_id) or None
