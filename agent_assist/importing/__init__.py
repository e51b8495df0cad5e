"""Importing a bank's case list (CSV or Excel) into the store.

``import_cases`` reads the file (:mod:`.case_file`), maps its header row onto
the documented columns (:mod:`.case_columns`, ``docs/case-import.md``), checks
every row (:mod:`.case_values`, :mod:`.case_rows`), masks national IDs and
phones, and hands the cases to ``CaseRepository.upsert_many``.
"""

from agent_assist.importing.case_columns import COLUMNS, Column
from agent_assist.importing.case_import import import_cases
from agent_assist.importing.report import CaseImportError, ImportReport, RowError

__all__ = ["COLUMNS", "CaseImportError", "Column", "ImportReport", "RowError", "import_cases"]
