from __future__ import annotations

import re
from pathlib import Path

import pytest

from agent_assist.importing import COLUMNS, CaseImportError
from agent_assist.importing.case_columns import map_columns, normalise_header

REQUIRED_EN = [
    "case_ref",
    "debtor_ref",
    "name",
    "product",
    "principal",
    "overdue_amount",
    "days_past_due",
]
REQUIRED_ZH = ["案件编号", "客户号", "姓名", "产品", "本金", "逾期金额", "逾期天数"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("case_ref", "caseref"),
        ("Case Ref", "caseref"),
        ("CASE-REF", "caseref"),
        ("ｃａｓｅ＿ｒｅｆ", "caseref"),  # full-width letters and underscore
        ("  Overdue　Amount ", "overdueamount"),  # ideographic space
        ("*案件编号", "案件编号"),  # a template's required marker
        ("本金（元）", "本金"),  # a unit in full-width brackets
    ],
)
def test_headers_are_compared_without_case_spacing_or_width(header: str, expected: str) -> None:
    assert normalise_header(header) == expected


def test_english_headers_map() -> None:
    columns = map_columns(REQUIRED_EN, "cases.csv")
    assert columns.positions == {name: i for i, name in enumerate(REQUIRED_EN)}
    assert columns.ignored == ()


def test_chinese_headers_map_and_keep_their_labels() -> None:
    columns = map_columns(REQUIRED_ZH, "cases.csv")
    assert list(columns.positions) == REQUIRED_EN
    assert columns.label("overdue_amount") == "逾期金额"  # messages use the file's words
    assert columns.label("stage") == "stage"  # absent: its own name


def test_mixed_full_width_and_alternative_spellings_map() -> None:
    headers = [
        "合同号",
        "Debtor Ref",
        "客户姓名",
        "ＰＲＯＤＵＣＴ",
        "本金(元)",
        "欠款金额",
        "*逾期天数",
    ]
    headers += ["证件号码", "电话", "账龄", "分配给", "Time_Zone"]
    columns = map_columns(headers, "cases.csv")
    assert list(columns.positions) == [
        *REQUIRED_EN,
        "national_id",
        "phone",
        "stage",
        "assigned_to",
        "time_zone",
    ]


def test_unknown_and_unnamed_columns_are_ignored() -> None:
    columns = map_columns([*REQUIRED_EN, "备注", "", "Branch"], "cases.csv")
    assert columns.ignored == ("备注", "Branch")
    assert columns.cell(["a"], "debtor_ref") == ""  # a short row reads as empty cells


def test_missing_required_columns_are_named_with_their_spellings() -> None:
    with pytest.raises(CaseImportError) as caught:
        map_columns(["案件编号", "姓名", "产品", "本金", "逾期天数"], "cases.csv")
    message = str(caught.value)
    assert message.startswith("cases.csv: missing required columns: ")
    assert "debtor_ref (or 客户号, 客户编号)" in message
    assert "overdue_amount (or 逾期金额, 欠款金额)" in message
    assert "case_ref" not in message


def test_two_columns_for_one_field_are_refused() -> None:
    with pytest.raises(CaseImportError, match='"手机号" and "电话" both mean phone'):
        map_columns([*REQUIRED_EN, "手机号", "电话"], "cases.csv")


def test_the_documented_table_matches_the_code() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "case-import.md").read_text(encoding="utf-8")
    rows = {
        cells[0]: cells
        for line in doc.splitlines()
        if line.startswith("| ") and not line.startswith("| column")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert list(rows) == [c.name for c in COLUMNS]
    for column in COLUMNS:
        _, english, chinese, required = rows[column.name][:4]
        assert english == f"`{column.name}`"
        assert re.split(r",\s*", chinese) == list(column.chinese)
        assert required == ("yes" if column.required else "no")
