"""What an import found and did, in values the CLI (and later the UI) can show."""

from __future__ import annotations

from dataclasses import dataclass

from agent_assist.errors import UserError


class CaseImportError(UserError):
    """The file as a whole cannot be imported (unreadable, wrong format, missing columns)."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in one row; ``line`` is what the user sees (CSV line, Excel row)."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    source: str  # the file's name, as it prefixes every message
    rows: int  # data rows, blank ones not counted
    errors: tuple[RowError, ...]
    ignored_columns: tuple[str, ...]
    written: bool
    added: int = 0
    changed: int = 0

    @property
    def bad_rows(self) -> int:
        return len({e.line for e in self.errors})

    @property
    def valid_rows(self) -> int:
        return self.rows - self.bad_rows

    def error_lines(self) -> list[str]:
        """``cases.csv:14: overdue_amount "12,3a" is not an amount``, in file order."""
        ordered = sorted(self.errors, key=lambda e: e.line)  # stable: a row's errors keep order
        return [f"{self.source}:{e.line}: {e.message}" for e in ordered]

    def summary(self) -> str:
        """``cases.csv: 200 rows, 198 added, 2 changed, 0 skipped`` (valid/invalid if unwritten)."""
        rows = f"{self.rows} row{'' if self.rows == 1 else 's'}"
        if not self.written:
            return f"{self.source}: {rows}, {self.valid_rows} valid, {self.bad_rows} invalid"
        return (
            f"{self.source}: {rows}, {self.added} added, {self.changed} changed, "
            f"{self.bad_rows} skipped"
        )
