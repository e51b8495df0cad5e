from __future__ import annotations

from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from agent_assist.importing import CaseImportError
from agent_assist.importing.case_file import read_table
from tests.core.importing.conftest import SAMPLES, write_csv

ZH = '案件编号,客户号,姓名,本金\r\nHT-1,KH1,测试甲,"1,000"\r\n'


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_encodings_excel_writes(tmp_path: Path, encoding: str) -> None:
    table = read_table(write_csv(tmp_path / "cases.csv", ZH, encoding))
    assert table.headers == ["案件编号", "客户号", "姓名", "本金"]
    assert table.rows == [(2, ["HT-1", "KH1", "测试甲", "1,000"])]


def test_bytes_that_are_no_known_encoding_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(b"case_ref\n\x81\x20\xff\n")
    with pytest.raises(CaseImportError, match="neither UTF-8 nor GB18030"):
        read_table(path)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    # Amounts with thousands separators must not fool the sniffer in a ;-file.
    rows = [["case_ref", "name", "principal"], ["C1", "测试甲", '"1,234.56"'], ["C2", "乙", "7"]]
    text = "\n".join(delimiter.join(row) for row in rows) + "\n"
    table = read_table(write_csv(tmp_path / "cases.csv", text))
    assert table.headers == ["case_ref", "name", "principal"]
    assert table.rows[0] == (2, ["C1", "测试甲", "1,234.56"])


def test_line_numbers_are_physical_lines(tmp_path: Path) -> None:
    text = '\ncase_ref,note\nC1,"two\nlines"\n\n,\nC2,x\n'
    table = read_table(write_csv(tmp_path / "cases.csv", text))
    assert table.headers == ["case_ref", "note"]  # the blank first line is skipped
    assert table.rows == [(3, ["C1", "two\nlines"]), (7, ["C2", "x"])]


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CaseImportError, match="the file is empty"):
        read_table(write_csv(tmp_path / "cases.csv", "\n , \n"))


def test_excel_rows_keep_their_row_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "封面"
    sheet["A1"] = "not the cases"
    cases = book.create_sheet("案件")
    cases.append(["案件编号", "逾期天数", "本金", "身份证号"])
    cases.append(["HT-1", 30.0, 1234.56, "110105198003151234"])
    cases.append([])  # a blank row
    cases.append([10002, 7, 1000, None])
    path = tmp_path / "cases.xlsx"
    book.save(path)
    table = read_table(path, sheet="案件")
    assert table.headers == ["案件编号", "逾期天数", "本金", "身份证号"]
    assert table.rows == [
        (2, ["HT-1", "30", "1234.56", "110105198003151234"]),
        (4, ["10002", "7", "1000"]),  # trailing empty cells may be absent
    ]
    assert read_table(path).headers == ["not the cases"]  # the first sheet by default
    with pytest.raises(
        CaseImportError, match='no sheet named "Cases"; its sheets are: "封面", "案件"'
    ):
        read_table(path, sheet="Cases")


def test_a_broken_workbook_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(CaseImportError, match=r"save it as \.xlsx again"):
        read_table(path)


def test_unsupported_formats_name_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "cases.xls"
    path.write_bytes(b"")
    with pytest.raises(CaseImportError) as caught:
        read_table(path)
    assert "CSV (.csv, .tsv) and Excel (.xlsx)" in str(caught.value)


def test_a_missing_file_and_a_sheet_for_a_csv_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CaseImportError, match="no such file"):
        read_table(tmp_path / "nowhere.csv")
    with pytest.raises(CaseImportError, match="only Excel"):
        read_table(SAMPLES / "cases_zh.csv", sheet="Sheet1")
