"""The review queue as a table model: one row per flagged call, newest or most severe first."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from agent_assist.store.records import CallSummary
from agent_assist.ui.review.names import (
    clock,
    review_state_name,
    severity_name,
    severity_of_rank,
)
from agent_assist.ui.rows_model import RowsModel

CRITICAL = QColor("#b00020")


class QueueModel(RowsModel[CallSummary]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
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
        self.set_rows(calls)

    def call(self, row: int) -> CallSummary:
        return self.row(row)

    def row_of(self, call_id: str) -> int | None:
        return next((r for r, c in enumerate(self._rows) if c.id == call_id), None)

    def foreground(self, row: CallSummary, column: int) -> QColor | None:
        return CRITICAL if row.critical_count else None

    def cells(self, call: CallSummary) -> tuple[str, ...]:
        collector = "" if call.user_id is None else self._names.get(call.user_id, str(call.user_id))
        return (
            call.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            collector,
            "" if call.duration_ms is None else clock(call.duration_ms),
            str(call.flag_count),
            str(call.critical_count),
            severity_name(severity_of_rank(call.max_severity)),
            review_state_name(call.review_state),
        )
