"""The whole import against a real store: SQLite and PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from sqlalchemy import select, text

from agent_assist.errors import AccessDenied
from agent_assist.importing import import_cases
from agent_assist.store.audit import read_audit
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.records import Actor
from agent_assist.store.tables import Case, Debtor
from tests.core.importing.conftest import SAMPLES, make_id

ZH, EN, BAD = SAMPLES / "cases_zh.csv", SAMPLES / "cases_en.csv", SAMPLES / "cases_bad.csv"


@dataclass(frozen=True)
class Stored:
    case: Case
    debtor: Debtor


def stored(db: Database) -> dict[str, Stored]:
    # Read the rows themselves (CaseRepository.get uses the deprecated Row.tuple()).
    with db.session() as session:
        rows = session.execute(select(Case, Debtor).join(Debtor, Debtor.id == Case.debtor_id))
        return {case.external_ref: Stored(case, debtor) for case, debtor in rows}


def user_id(db: Database, username: str) -> int:
    with db.session() as session:
        found: int = session.scalars(
            text("SELECT id FROM users WHERE username = :u"), {"u": username}
        ).one()
        return found


def test_a_chinese_list_is_imported(users: Database) -> None:
    report = import_cases(users, SYSTEM, ZH)
    assert report.summary() == "cases_zh.csv: 5 rows, 5 added, 0 changed, 0 skipped"
    assert report.ignored_columns == ("备注",)
    cases = stored(users)
    first, debtor = cases["HT-2026-0001"].case, cases["HT-2026-0001"].debtor
    assert (first.currency, Decimal(first.principal), Decimal(first.overdue_amount)) == (
        "CNY",
        Decimal("12000"),
        Decimal("12000"),
    )
    assert (first.days_past_due, first.stage, first.status) == (45, "M2", "active")
    assert first.assigned_user_id == user_id(users, "ann")
    assert debtor.phones == ["138****1111", "139****2222"]  # merged from both its cases
    assert debtor.national_id == "110***********1234"
    assert debtor.time_zone == "Asia/Shanghai"
    assert cases["HT-2026-0002"].debtor.id == debtor.id
    assert cases["HT-2026-0004"].case.status == "cease_requested"
    assert cases["HT-2026-0004"].case.assigned_user_id == user_id(users, "bob")
    assert cases["HT-2026-0004"].debtor.national_id is None
    last = cases["HT-2026-0005"]
    assert (last.case.stage, last.debtor.time_zone) == ("M0", "Asia/Hong_Kong")


def test_an_english_list_is_imported(users: Database) -> None:
    report = import_cases(users, SYSTEM, EN)
    assert (report.added, report.changed, report.errors) == (3, 0, ())
    cases = stored(users)
    assert cases["US-1001"].debtor.phones == ["(***) ***-0100", "+1 *** *** 0199"]
    third = cases["US-1003"]
    assert third.case.currency == "USD"  # from the $ of its amounts
    assert (third.debtor.time_zone, third.debtor.language) == ("America/New_York", "en-US")
    assert (third.case.stage, third.case.status) == ("M6+", "attorney_represented")


def test_every_bad_row_is_reported_and_nothing_is_written(users: Database) -> None:
    report = import_cases(users, SYSTEM, BAD)
    assert not report.written
    assert report.error_lines() == [
        'cases_bad.csv:2: overdue_amount "12,3a" is not an amount',
        'cases_bad.csv:3: national_id "110***********1235" fails the check digit (a typo? '
        "Excel keeps 15 digits of a number: store ID columns as text)",
        'cases_bad.csv:3: days_past_due "-3" is negative; days past due are 0 or more',
        'cases_bad.csv:4: time_zone "Mars/Olympus" is not a time zone; use an IANA name such '
        "as Asia/Shanghai",
        'cases_bad.csv:5: case_ref "B-001" is already on line 2',
        'cases_bad.csv:6: debtor_ref "D-01" has name "测试戊" here but "测试甲" on line 2',
        'cases_bad.csv:7: status "frozen" is not a status (active, disputed, cease_requested, '
        "attorney_represented, deceased, bankrupt, closed, or 正常, 争议, 要求停催 …)",
        'cases_bad.csv:8: assigned_to "carol" is not a user; check the spelling or add the '
        "user first",
        "cases_bad.csv:9: name is empty",
        'cases_bad.csv:11: phone "**ab" is not a phone number',
    ]
    assert (report.rows, report.bad_rows, report.valid_rows) == (11, 9, 2)
    assert stored(users) == {}
    assert read_audit(users, SYSTEM) == []


def test_skip_invalid_imports_the_good_rows(users: Database) -> None:
    report = import_cases(users, SYSTEM, BAD, skip_invalid=True)
    assert report.summary() == "cases_bad.csv: 11 rows, 2 added, 0 changed, 9 skipped"
    assert len(report.errors) == 10  # still listed
    assert sorted(stored(users)) == ["B-009", "B-011"]
    (entry,) = read_audit(users, SYSTEM)
    assert (entry.action, entry.target_id, entry.detail) == (
        "import",
        "cases_bad.csv",
        "2 added, 0 changed",
    )


def test_a_dry_run_checks_and_writes_nothing(users: Database) -> None:
    report = import_cases(users, SYSTEM, ZH, dry_run=True)
    assert report.summary() == "cases_zh.csv: 5 rows, 5 valid, 0 invalid"
    assert stored(users) == {}
    assert read_audit(users, SYSTEM) == []
    report = import_cases(users, SYSTEM, BAD, dry_run=True, skip_invalid=True)
    assert (report.written, report.bad_rows) == (False, 9)
    assert stored(users) == {}


def test_importing_again_changes_nothing_and_an_edit_changes_one(
    users: Database, tmp_path: Path
) -> None:
    assert import_cases(users, SYSTEM, ZH).added == 5
    again = import_cases(users, SYSTEM, ZH)
    assert (again.added, again.changed) == (0, 0)
    # The same list as Excel's GBK "CSV" export, with one amount paid down.
    edited = ZH.read_text(encoding="utf-8-sig").replace('"3,456.78"', "3000")
    path = tmp_path / "cases_zh.csv"
    path.write_bytes(edited.encode("gb18030"))
    report = import_cases(users, SYSTEM, path)
    assert report.summary() == "cases_zh.csv: 5 rows, 0 added, 1 changed, 0 skipped"
    assert Decimal(stored(users)["HT-2026-0002"].case.overdue_amount) == Decimal("3000")


def test_no_raw_national_id_or_phone_reaches_the_database(users: Database) -> None:
    import_cases(users, SYSTEM, ZH)
    import_cases(users, SYSTEM, EN)
    raw = [
        "110105198003151234",
        "440305198511200474",
        "32010219920229008X",
        "13800001111",
        "13900002222",
        "02155550000",
        "4155550100",
        "12125550199",
    ]
    with users.session() as session:
        dump = " ".join(
            str(value)
            for table in ("debtors", "cases", "audit_log")
            for row in session.execute(text(f"SELECT * FROM {table}"))
            for value in row
        )
    assert "138****1111" in dump
    packed = dump.translate(str.maketrans("", "", " -()+"))  # numbers without separators
    for number in raw:
        assert number not in packed


def test_an_excel_workbook_is_imported_with_row_numbers(users: Database, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "案件清单"
    sheet.append(["案件编号", "客户号", "姓名", "身份证号", "手机号", "产品", "本金", "逾期金额"])
    sheet["I1"] = "逾期天数"
    good_id = make_id("31010419900707211")
    sheet.append(["X-1", "K-1", "测试甲", good_id, "13800001111", "信用卡", 5000, 1234.5, 31])
    sheet.append(["X-2", "K-2", "测试乙", None, 13900002222, "车贷", 20000, "2万", 61.0])
    sheet.append(["X-3", "K-3", "测试丙", None, None, "车贷", 100, "abc", 3])
    path = tmp_path / "cases.xlsx"
    book.save(path)
    report = import_cases(users, SYSTEM, path, skip_invalid=True, sheet="案件清单")
    assert report.error_lines() == ['cases.xlsx:4: 逾期金额 "abc" is not an amount']
    assert (report.added, report.changed) == (2, 0)
    cases = stored(users)
    assert Decimal(cases["X-1"].case.overdue_amount) == Decimal("1234.50")
    assert cases["X-1"].debtor.national_id == "310***********" + good_id[-4:]
    assert (cases["X-2"].case.days_past_due, cases["X-2"].case.stage) == (61, "M3")
    assert cases["X-2"].debtor.phones == ["139****2222"]


def test_a_collector_may_not_import(users: Database) -> None:
    with pytest.raises(AccessDenied):
        import_cases(users, Actor(user_id=user_id(users, "ann"), role="collector"), ZH)
