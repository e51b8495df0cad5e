"""The worklist as a table model: priority order, may-I-call-now, why first."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from agent_assist.compliance import check
from agent_assist.compliance.worklist import WorklistItem
from agent_assist.ui.display_names import segment_name
from agent_assist.ui.rows_model import RowsModel

CALL_COLUMN = 1  # next to the case: the first thing a collector checks

# The compliance state a collector reads at a glance; the tooltip gives every reason.
CALLABLE, OUTSIDE_HOURS, CAP_REACHED, HOLIDAY, BLOCKED = (
    "callable",
    "outside_hours",
    "cap_reached",
    "holiday",
    "blocked",
)
_STATE_OF_CODE = {
    check.OUTSIDE_HOURS: OUTSIDE_HOURS,
    check.DAILY_CAP: CAP_REACHED,
    check.ROLLING_CAP: CAP_REACHED,
    check.AFTER_CONVERSATION: CAP_REACHED,
    check.HOLIDAY: HOLIDAY,
    check.CALENDAR_UNKNOWN: HOLIDAY,
}
# When several rules block, the one waiting cannot fix is named first.
_PRECEDENCE = (BLOCKED, HOLIDAY, CAP_REACHED, OUTSIDE_HOURS)
_COLOURS = {
    CALLABLE: QColor("#1b5e20"),
    OUTSIDE_HOURS: QColor("#8d6e00"),
    CAP_REACHED: QColor("#8d6e00"),
    HOLIDAY: QColor("#8d6e00"),
    BLOCKED: QColor("#b00020"),
}


def call_state(item: WorklistItem) -> str:
    if item.callable_now:
        return CALLABLE
    states = {_STATE_OF_CODE.get(reason.code, BLOCKED) for reason in item.verdict.reasons}
    return next(state for state in _PRECEDENCE if state in states)


def _label(state: str) -> str:
    labels = {
        CALLABLE: QCoreApplication.translate("WorklistModel", "Callable now"),
        OUTSIDE_HOURS: QCoreApplication.translate("WorklistModel", "Outside hours"),
        CAP_REACHED: QCoreApplication.translate("WorklistModel", "Cap reached"),
        HOLIDAY: QCoreApplication.translate("WorklistModel", "Holiday"),
        BLOCKED: QCoreApplication.translate("WorklistModel", "Blocked"),
    }
    return labels[state]


class WorklistModel(RowsModel[WorklistItem]):
    def columns(self) -> tuple[str, ...]:
        return (
            self.tr("Case"),
            self.tr("Call now"),
            self.tr("Segment"),
            self.tr("Score"),
            self.tr("Why first"),
        )

    def set_items(self, items: list[WorklistItem]) -> None:
        self.set_rows(items)

    def item(self, row: int) -> WorklistItem:
        return self.row(row)

    def cells(self, item: WorklistItem) -> tuple[str, ...]:
        p = item.priority
        due = self.tr(" · promise due") if item.promises_due else ""
        return (
            p.history.case_ref + due,
            _label(call_state(item)),
            segment_name(p.segment),
            f"{p.score:.2f}",
            "; ".join(r.text for r in p.reasons),
        )

    def foreground(self, item: WorklistItem, column: int) -> QColor | None:
        return _COLOURS[call_state(item)] if column == CALL_COLUMN else None

    def tooltip(self, item: WorklistItem, column: int) -> str | None:
        if column != CALL_COLUMN or item.callable_now:
            return None
        return self._why_not(item)

    def _why_not(self, item: WorklistItem) -> str:
        lines = [reason.message for reason in item.verdict.reasons]
        when = item.verdict.next_allowed
        if when is not None:
            local = when.astimezone(item.verdict.local_time.tzinfo)
            stamp = local.strftime("%Y-%m-%d %H:%M")
            lines.append(self.tr("Next allowed: {when} (debtor's time)").format(when=stamp))
        return "\n".join(lines)
