"""Row checks without a database: every rule, its message and its line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agent_assist.importing.case_columns import map_columns
from agent_assist.importing.case_rows import RowChecker
from agent_assist.store.cases_repo import CaseInput
from tests.core.importing.conftest import make_id

HEADER = "case_ref,debtor_ref,name,national_id,phone,product,principal,overdue_amount,days_past_due"
ID = make_id("11010519800315123")
OTHER_ID = make_id("44030519851120047")


def check(*rows: list[str], header: str = HEADER) -> tuple[list[CaseInput], list[str]]:
    """Rows as lines 2, 3, …; returns the cases and 'line: message's."""
    columns = map_columns(header.split(","), "cases.csv")
    checker = RowChecker(columns, usernames=("ann",))
    for line, row in enumerate(rows, start=2):
        checker.add(line, row)
    return checker.cases(), [f"{e.line}: {e.message}" for e in checker.errors]


def good(case_ref: str = "C1", debtor_ref: str = "D1", **cells: str) -> list[str]:
    values = {
        "name": "测试甲",
        "national_id": ID,
        "phone": "13800001111",
        "product": "信用卡",
        "principal": "1000",
        "overdue_amount": "500",
        "days_past_due": "10",
    } | cells
    return [case_ref, debtor_ref, *values.values()]


def test_a_good_row_becomes_a_masked_case() -> None:
    cases, errors = check(good())
    assert errors == []
    assert cases == [
        CaseInput(
            case_ref="C1",
            debtor_ref="D1",
            name="测试甲",
            national_id="110***********" + ID[-4:],
            phones=("138****1111",),
            region=None,
            time_zone="Asia/Shanghai",
            segment=None,
            language="zh-CN",
            product="信用卡",
            currency="CNY",
            principal=Decimal("1000.00"),
            overdue_amount=Decimal("500.00"),
            days_past_due=10,
            stage="M1",
        )
    ]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"overdue_amount": "12,3a"}, 'overdue_amount "12,3a" is not an amount'),
        ({"principal": "-1"}, 'principal "-1" is negative; amounts are 0 or more'),
        ({"days_past_due": "ten"}, 'days_past_due "ten" is not a whole number of days'),
        ({"days_past_due": "-3"}, 'days_past_due "-3" is negative; days past due are 0 or more'),
        ({"national_id": ID[:-1] + "X"}, f'national_id "110***********{ID[-4:-1]}X" fails'),
        ({"phone": "13800001111;abc"}, 'phone "abc" is not a phone number'),
        ({"name": ""}, "name is empty"),
        ({"product": "x" * 65}, "product is longer than 64 characters"),
        ({"days_past_due": ""}, "days_past_due is empty"),
    ],
)
def test_each_bad_cell_is_reported_with_its_line(cells: dict[str, str], message: str) -> None:
    cases, errors = check(good("C1"), good("C2", **cells))
    assert [c.case_ref for c in cases] == ["C1"]
    assert len(errors) == 1
    assert errors[0].startswith(f"3: {message}")


OPTIONAL = ("language", "time_zone", "stage", "status", "currency", "assigned_to", "region")


def more(row: list[str], **optional: str) -> list[str]:
    return [*row, *(optional.get(name, "") for name in OPTIONAL)]


def test_optional_columns_are_checked_when_present() -> None:
    cases, errors = check(
        more(good()),
        more(good("C2", "D2"), language="en-US", currency="USD", region="CA"),
        more(good("C3", "D3"), time_zone="Asia/Nowhere"),
        more(good("C4", "D4"), stage="M3+"),
        more(good("C5", "D5"), status="frozen"),
        more(good("C6", "D6", principal="$5"), currency="CNY"),
        more(good("C7", "D7"), assigned_to="Ann"),
        more(good("C8", "D8"), language="klingon", assigned_to="carol"),
        more(
            good("C9", "D9", principal="¥9"),
            stage="M7",
            status="律师代理",
            assigned_to="ann",
            region="香港",
        ),
        header=",".join([HEADER, *OPTIONAL]),
    )
    assert errors == [
        "3: time_zone is needed for en-US debtors whose phone area does not tell it "
        "(there is no default; e.g. America/New_York)",
        '4: time_zone "Asia/Nowhere" is not a time zone; use an IANA name such as Asia/Shanghai',
        '5: stage "M3+" is not a stage (M0, M1 … M5, M6+)',
        '6: status "frozen" is not a status (active, disputed, cease_requested, '
        "attorney_represented, deceased, bankrupt, closed, or 正常, 争议, 要求停催 …)",
        '7: principal "$5" is in USD, not CNY',
        '8: assigned_to "Ann" is not a user; did you mean "ann"?',
        '9: language "klingon" is not a supported language (zh-CN, en-US)',
        '9: assigned_to "carol" is not a user; check the spelling or add the user first',
    ]
    (first, last) = cases
    assert (first.case_ref, first.stage, first.status) == (
        "C1",
        "M1",
        None,
    )  # None keeps the stored status
    assert (last.stage, last.status, last.assigned_username) == (
        "M6+",
        "attorney_represented",
        "ann",
    )
    assert (last.time_zone, last.currency, last.region) == ("Asia/Hong_Kong", "CNY", "香港")


def test_a_case_ref_appears_once() -> None:
    _, errors = check(good("C1"), good("C2"), good("C1"))
    assert errors == ['4: case_ref "C1" is already on line 2']


def test_one_debtor_has_one_name_and_id() -> None:
    _, errors = check(good("C1"), good("C2", name="测试乙"), good("C3", national_id=OTHER_ID))
    assert errors == [
        '3: debtor_ref "D1" has name "测试乙" here but "测试甲" on line 2',
        f'4: debtor_ref "D1" has national_id "440***********{OTHER_ID[-4:]}" here but '
        f'"110***********{ID[-4:]}" on line 2',
    ]


def test_a_debtors_phones_are_merged_across_rows() -> None:
    cases, errors = check(good("C1"), good("C2", phone="13900002222；13800001111"))
    assert errors == []
    assert [c.phones for c in cases] == [("138****1111", "139****2222")] * 2


def test_every_problem_of_a_row_is_reported() -> None:
    _, errors = check(good(name="", principal="x", days_past_due="-1"))
    assert errors == [
        "2: name is empty",
        '2: principal "x" is not an amount',
        '2: days_past_due "-1" is negative; days past due are 0 or more',
    ]


def test_a_us_debtor_without_a_zone_takes_the_zone_of_the_phone_area() -> None:
    (case,), errors = check(
        more(good(phone="(415) 555-2671"), language="en-US", currency="USD"),
        header=",".join([HEADER, *OPTIONAL]),
    )
    assert errors == []
    assert case.time_zone == "America/Los_Angeles"
    assert case.phones == ("(***) ***-2671",)
