"""Import a bank's case list: read, check every row, then upsert in one transaction."""

from __future__ import annotations

from pathlib import Path

from agent_assist.importing.case_columns import map_columns
from agent_assist.importing.case_file import read_table
from agent_assist.importing.case_rows import RowChecker
from agent_assist.importing.report import ImportReport
from agent_assist.store.access import require_role
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.database import Database
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.store.records import Actor

AUDIT_SOURCE_LEN = 64  # the audit log's target_id column


def import_cases(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    sheet: str | None = None,
) -> ImportReport:
    """Check ``path`` and import it unless a row is bad (or, with ``skip_invalid``, its good rows).

    File-wide problems (format, encoding, missing columns) raise
    :class:`~agent_assist.importing.report.CaseImportError`; row problems are
    in the report. With ``dry_run`` nothing is written.
    """
    require_role(actor, "admin", "team_lead", to="import cases")
    table = read_table(path, sheet)
    columns = map_columns(table.headers, path.name)
    usernames: list[str] = []
    if columns.has("assigned_to"):  # one query for the whole file
        usernames = [user.username for user in PeopleRepository(db).team_members(actor)]
    checker = RowChecker(columns, usernames)
    for line, cells in table.rows:
        checker.add(line, cells)
    write = not dry_run and (skip_invalid or not checker.errors)
    added = changed = 0
    cases = checker.cases()
    if write and cases:
        added, changed = CaseRepository(db).upsert_many(
            actor, cases, source=path.name[:AUDIT_SOURCE_LEN]
        )
    return ImportReport(
        source=path.name,
        rows=checker.rows,
        errors=tuple(checker.errors),
        ignored_columns=columns.ignored,
        written=write,
        added=added,
        changed=changed,
    )
