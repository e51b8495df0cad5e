"""Reading a case list into rows of text: CSV (UTF-8 or GB18030, sniffed delimiter) or .xlsx.

Every row keeps the number the user sees in their editor: the physical line a
CSV record starts on, or the Excel row number. Blank rows are dropped, and
the first non-blank row is the header.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path

from agent_assist.importing.report import CaseImportError

CSV_SUFFIXES = (".csv", ".tsv")
EXCEL_SUFFIXES = (".xlsx",)
DELIMITERS = ",;\t"


@dataclass(frozen=True, slots=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line or row number, cells)


def read_table(path: Path, sheet: str | None = None) -> Table:
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + EXCEL_SUFFIXES:
        raise CaseImportError(
            f"{path.name}: cannot import {suffix or 'a file without an extension'}; "
            "the supported formats are CSV (.csv, .tsv) and Excel (.xlsx). "
            "Save other spreadsheets (.xls, .ods) as .xlsx or CSV first"
        )
    if not path.is_file():
        raise CaseImportError(f"{path}: no such file; check the name and folder")
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet)
    if sheet is not None:
        raise CaseImportError(f"{path.name}: only Excel (.xlsx) files have sheets to choose")
    return _read_csv(path)


def _table(records: Iterable[tuple[int, list[str]]], name: str) -> Table:
    rows = [(line, cells) for line, cells in records if any(cells)]
    if not rows:
        raise CaseImportError(f"{name}: the file is empty; its first row must name the columns")
    return Table(rows[0][1], rows[1:])


# ---- CSV -----------------------------------------------------------------------------


def _read_csv(path: Path) -> Table:
    try:
        text = _decode(path.read_bytes(), path.name)
    except OSError as exc:
        raise CaseImportError(f"{path.name}: cannot read the file ({exc.strerror})") from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, [cell.strip() for cell in cells]))
            start = reader.line_num + 1  # a quoted cell may span lines
    except csv.Error as exc:
        raise CaseImportError(
            f"{path.name}:{reader.line_num}: {exc}; check the quotes around this line"
        ) from exc
    return _table(records, path.name)


def _decode(data: bytes, name: str) -> str:
    # Excel's "CSV UTF-8" adds a BOM, its plain "CSV" on a Chinese Windows is
    # GBK (GB18030 is its superset); "Unicode Text" is UTF-16 with a BOM.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CaseImportError(
        f'{name}: the text is neither UTF-8 nor GB18030; save it as "CSV UTF-8" and try again'
    )


def _delimiter(text: str) -> str:
    # Whole lines only: a line cut short confuses the sniffer.
    sample = "".join(islice(io.StringIO(text, newline=""), 50))
    header = next((line for line in sample.splitlines() if line.strip()), "")
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    # The sniffer can be fooled by amounts like "1,234.56" in a ;-file; the
    # header row never holds a delimiter inside a name.
    if sniffed and sniffed in header:
        return sniffed
    return max(DELIMITERS, key=header.count)


# ---- Excel ---------------------------------------------------------------------------


def _read_excel(path: Path, sheet: str | None) -> Table:
    import openpyxl  # type: ignore[import-untyped]  # no stubs; imported only when needed
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it ignores; none matter for values.
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
            raise CaseImportError(
                f"{path.name}: cannot read this Excel file ({exc}); "
                "open it in Excel and save it as .xlsx again"
            ) from exc
        try:
            sheets = {ws.title: ws for ws in book.worksheets}
            if not sheets:
                raise CaseImportError(f"{path.name}: the workbook has no worksheet")
            if sheet is None:
                chosen = book.worksheets[0]
            elif sheet in sheets:
                chosen = sheets[sheet]
            else:
                raise CaseImportError(
                    f'{path.name}: no sheet named "{sheet}"; its sheets are: '
                    + ", ".join(f'"{name}"' for name in sheets)
                )
            chosen.reset_dimensions()  # some writers record a wrong size; read every row
            records = [
                (number, [_cell_text(value) for value in values])
                for number, values in enumerate(chosen.iter_rows(min_row=1, values_only=True), 1)
            ]
        finally:
            book.close()
    return _table(records, path.name)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Whole numbers come back as floats (30.0 days, a numeric case number).
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()
