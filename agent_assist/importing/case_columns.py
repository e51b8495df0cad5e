"""The columns of a case list and how a file's header row maps onto them.

Headers match whatever the bank's export calls them: English or Chinese,
any case, spaces, underscores or hyphens, full-width characters, a ``*``
marking a required column in a template, or a unit in brackets ("本金（元）").
``docs/case-import.md`` documents the same table (a test keeps them in step).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from agent_assist.importing.report import CaseImportError


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # the field, and its English header
    chinese: tuple[str, ...]
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("case_ref", ("案件编号", "合同号"), required=True),
    Column("debtor_ref", ("客户号", "客户编号"), required=True),
    Column("name", ("姓名", "客户姓名"), required=True),
    Column("national_id", ("身份证号", "证件号码")),
    Column("phone", ("手机号", "电话")),
    Column("region", ("地区", "省份")),
    Column("time_zone", ("时区",)),
    Column("segment", ("客群", "客户分层")),
    Column("language", ("语言",)),
    Column("product", ("产品",), required=True),
    Column("currency", ("币种",)),
    Column("principal", ("本金",), required=True),
    Column("overdue_amount", ("逾期金额", "欠款金额"), required=True),
    Column("days_past_due", ("逾期天数",), required=True),
    Column("stage", ("阶段", "账龄")),
    Column("status", ("状态",)),
    Column("assigned_to", ("催收员", "分配给")),
)

_UNIT = re.compile(r"\([^()]*\)$")
_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_header(text: str) -> str:
    """The form headers are compared in: "Case Ref", "CASE_REF", "ｃａｓｅ＿ｒｅｆ" → "caseref"."""
    text = unicodedata.normalize("NFKC", text).strip().strip("*").strip()
    text = _UNIT.sub("", text)
    return _SEPARATORS.sub("", text).casefold()


_BY_SPELLING: dict[str, str] = {
    normalise_header(spelling): column.name
    for column in COLUMNS
    for spelling in (column.name, *column.chinese)
}


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Where each known column is in the file, and what the file calls it."""

    positions: dict[str, int]
    labels: dict[str, str]
    ignored: tuple[str, ...]

    def has(self, name: str) -> bool:
        return name in self.positions

    def cell(self, cells: Sequence[str], name: str) -> str:
        at = self.positions.get(name)
        return cells[at] if at is not None and at < len(cells) else ""

    def label(self, name: str) -> str:
        """The header as the file wrote it, so messages name the user's own column."""
        return self.labels.get(name, name)


def map_columns(headers: Sequence[str], source: str) -> ColumnMap:
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for at, header in enumerate(headers):
        if not header.strip():
            continue  # an unnamed column: nothing to report
        name = _BY_SPELLING.get(normalise_header(header))
        if name is None:
            ignored.append(header.strip())
        elif name in positions:
            raise CaseImportError(
                f'{source}: columns "{labels[name]}" and "{header.strip()}" both mean {name}; '
                "keep one of them"
            )
        else:
            positions[name] = at
            labels[name] = header.strip()
    missing = [c for c in COLUMNS if c.required and c.name not in positions]
    if missing:
        spelled = "; ".join(f"{c.name} (or {', '.join(c.chinese)})" for c in missing)
        raise CaseImportError(
            f"{source}: missing required column{'s' if len(missing) > 1 else ''}: {spelled}. "
            "Add them to the header row (docs/case-import.md lists every column)"
        )
    return ColumnMap(positions, labels, tuple(ignored))
