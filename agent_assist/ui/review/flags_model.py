"""A call's flags as a table model, in call order: the timeline a reviewer judges."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject
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
from agent_assist.ui.rows_model import RowsModel

CRITICAL = QColor("#b00020")
RETRACTED = QColor("#9e9e9e")

# A rule's explanation by rule id ("" when the rule is no longer in any pack).
Explain = Callable[[str], str]


class FlagsModel(RowsModel[FlagRecord]):
    def __init__(self, explain: Explain, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._explain = explain

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
        self.set_rows(sorted(flags, key=lambda f: f.t_ms))

    def flag(self, row: int) -> FlagRecord:
        return self.row(row)

    def set_verdict(self, flag_row_id: int, verdict: str) -> None:
        for row, flag in enumerate(self._rows):
            if flag.id == flag_row_id:
                self.replace_row(row, replace(flag, verdict=verdict))

    def foreground(self, flag: FlagRecord, column: int) -> QColor | None:
        if flag.state == "retracted":
            return RETRACTED
        return CRITICAL if flag.severity == "critical" else None

    def tooltip(self, flag: FlagRecord, column: int) -> str | None:
        # The whole explanation, however long.
        return f"{flag_state_name(flag.state)}\n{self._explain(flag.rule_id)}".strip()

    def cells(self, flag: FlagRecord) -> tuple[str, ...]:
        return (
            clock(flag.t_ms),
            flag_category_name(flag.category),
            severity_name(flag.severity),
            for_display(flag.span_text).text,  # Mandarin without Vosk's spaces
            verdict_name(flag.verdict),
            self._explain(flag.rule_id),
        )
