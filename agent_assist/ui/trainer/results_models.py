"""Tables of the try box (the rules a sentence fires, and those an exclusion cancelled) and
of the examples run (failures first)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from agent_assist.rules.explain import Cancelled, ExampleResult, Fired
from agent_assist.ui.display_names import category_name
from agent_assist.ui.rows_model import RowsModel

FAILED = QColor("#b00020")
CANCELLED = QColor("#9e9e9e")


class FiredModel(RowsModel[Fired | Cancelled]):
    def columns(self) -> tuple[str, ...]:
        return (
            self.tr("Rule"),
            self.tr("Category"),
            self.tr("Span"),
            self.tr("Kind"),
            self.tr("Why"),
        )

    def cells(self, row: Fired | Cancelled) -> tuple[str, ...]:
        span = f"{row.start}–{row.end} «{row.matched_text}»"
        if isinstance(row, Cancelled):
            kind = self.tr("{kind}, cancelled").format(kind=match_kind_name(row.kind))
            why = self.tr("cancelled by {exclusion}; pattern {pattern}").format(
                exclusion=row.exclusion, pattern=row.pattern
            )
        else:
            kind = match_kind_name(row.kind)
            why = self.tr("pattern {pattern}: {explanation}").format(
                pattern=row.pattern, explanation=row.explanation
            )
        return (row.rule_id, category_name(row.category), span, kind, why)

    def foreground(self, row: Fired | Cancelled, column: int) -> QColor | None:
        return CANCELLED if isinstance(row, Cancelled) else None

    def tooltip(self, row: Fired | Cancelled, column: int) -> str | None:
        return self.cells(row)[4]


class ExamplesModel(RowsModel[ExampleResult]):
    def columns(self) -> tuple[str, ...]:
        return (self.tr("Result"), self.tr("Rule"), self.tr("Expected"), self.tr("Example"))

    def set_results(self, results: list[ExampleResult]) -> None:
        # Failures first, each group in the pack's order.
        self.set_rows(sorted(results, key=lambda r: r.passed))

    def cells(self, row: ExampleResult) -> tuple[str, ...]:
        return (
            self.tr("pass") if row.passed else self.tr("FAIL"),
            row.rule_id,
            self.tr("should flag") if row.expected == "should_flag" else self.tr("should not flag"),
            row.text,
        )

    def foreground(self, row: ExampleResult, column: int) -> QColor | None:
        return None if row.passed else FAILED


def match_kind_name(kind: str) -> str:
    names = {
        "exact": QCoreApplication.translate("Trainer", "exact"),
        "homophone": QCoreApplication.translate("Trainer", "homophone"),
        "fuzzy": QCoreApplication.translate("Trainer", "sounds alike"),
    }
    return names.get(kind, kind)
