"""``agent-assist import cases`` end to end, on a SQLite file named by AGENT_ASSIST_DB_URL."""

from __future__ import annotations

from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from sqlalchemy import func, select

from agent_assist import cli
from agent_assist.cli import import_cmd
from agent_assist.store.database import open_database
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from agent_assist.store.tables import Case
from tests.core.importing.conftest import SAMPLES, write_csv

ZH, BAD = str(SAMPLES / "cases_zh.csv"), str(SAMPLES / "cases_bad.csv")


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'agent-assist.db'}"
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    if import_cmd not in cli._COMMAND_MODULES:  # until the command is registered there
        monkeypatch.setattr(cli, "_COMMAND_MODULES", (*cli._COMMAND_MODULES, import_cmd))
    db = open_database(url)
    PeopleRepository(db).add_user(SYSTEM, "ann", "Ann", "collector")
    PeopleRepository(db).add_user(SYSTEM, "bob", "Bob", "collector")
    db.close()
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    code = cli.main(["import", "cases", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out.splitlines(), err.splitlines()


def case_count(url: str) -> int:
    db = open_database(url)
    try:
        with db.session() as session:
            return session.scalar(select(func.count()).select_from(Case)) or 0
    finally:
        db.close()


def test_import_then_import_again(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, ZH) == (
        0,
        ["cases_zh.csv: 5 rows, 5 added, 0 changed, 0 skipped"],
        ["cases_zh.csv: note: ignored columns: 备注"],
    )
    code, out, _ = run(capsys, ZH)
    assert (code, out) == (0, ["cases_zh.csv: 5 rows, 0 added, 0 changed, 0 skipped"])
    assert case_count(db_url) == 5


def test_bad_rows_stop_the_import(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, BAD)
    assert (code, out) == (2, [])
    assert err[0] == 'cases_bad.csv:2: overdue_amount "12,3a" is not an amount'
    assert err[-2] == 'cases_bad.csv:11: phone "**ab" is not a phone number'
    assert err[-1] == (
        "agent-assist: cases_bad.csv: 9 of 11 rows have errors, nothing was imported; "
        "fix them, or import the other 2 with --skip-invalid"
    )
    assert len(err) == 11
    assert case_count(db_url) == 0


def test_skip_invalid(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, BAD, "--skip-invalid")
    assert (code, out) == (0, ["cases_bad.csv: 11 rows, 2 added, 0 changed, 9 skipped"])
    assert len(err) == 10
    assert case_count(db_url) == 2


def test_dry_run(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, ZH, "--dry-run")
    assert (code, out) == (
        0,
        ["cases_zh.csv: 5 rows, 5 valid, 0 invalid (dry run: nothing written)"],
    )
    code, out, err = run(capsys, BAD, "--dry-run")
    assert (code, out) == (
        2,
        ["cases_bad.csv: 11 rows, 2 valid, 9 invalid (dry run: nothing written)"],
    )
    assert len(err) == 10
    assert case_count(db_url) == 0


def test_an_excel_sheet(db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.create_sheet("Cases")
    sheet.append(["case_ref", "debtor_ref", "name", "product", "principal", "overdue_amount"])
    sheet["G1"] = "days_past_due"
    sheet.append(["E-1", "D-1", "Test Person", "card", 100, 50, 3])
    path = tmp_path / "list.xlsx"
    book.save(path)
    assert run(capsys, str(path), "--sheet", "Cases") == (
        0,
        ["list.xlsx: 1 row, 1 added, 0 changed, 0 skipped"],
        [],
    )


def test_file_problems_are_one_line(
    db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old = tmp_path / "cases.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    code, out, err = run(capsys, str(old))
    assert (code, out, len(err)) == (2, [], 1)
    assert err[0].startswith("agent-assist: cases.xls: cannot import .xls; the supported formats")

    partial = write_csv(tmp_path / "cases.csv", "案件编号,姓名\nHT-1,测试甲\n", "gb18030")
    code, _, err = run(capsys, str(partial))
    assert (code, len(err)) == (2, 1)
    assert err[0].startswith("agent-assist: cases.csv: missing required columns: debtor_ref")
