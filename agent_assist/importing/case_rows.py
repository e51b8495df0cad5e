"""Checking the rows of a case list and turning the good ones into masked ``CaseInput``s.

Every problem of every row is collected (not only the first), each with the
row's line. Checks across rows: a case_ref appears once; the rows of one
debtor_ref agree on who the debtor is (name, ID, region, segment, language,
time zone), since one stored debtor cannot hold two answers and a re-import
would flip between them; the phones of those rows are merged. National IDs and
phones are masked here, so raw numbers never reach the store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from agent_assist.importing import case_values as v
from agent_assist.importing.case_columns import ColumnMap
from agent_assist.importing.report import RowError
from agent_assist.privacy import PersonalKind, mask_value
from agent_assist.store.cases_repo import CaseInput

T = TypeVar("T")

DEFAULT_LANGUAGE = "zh-CN"
DEFAULT_CURRENCY = "CNY"
_PHONE_REGIONS = {"zh-CN": "CN", "en-US": "US"}  # where numbers without a country code are from


@dataclass(frozen=True, slots=True)
class _Debtor:
    name: str  # "" when missing or bad: the row is then dropped
    national_id: str | None  # validated, not yet masked
    region: str | None
    segment: str | None
    language: str
    time_zone: str  # as name


@dataclass(frozen=True, slots=True)
class _Case:
    product: str
    currency: str
    principal: Decimal
    overdue_amount: Decimal
    days_past_due: int
    stage: str
    status: str | None
    assigned_username: str | None


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    case_ref: str
    debtor_ref: str
    debtor: _Debtor
    phones: tuple[str, ...]
    case: _Case


class _Cells:
    """One row's cells, read column by column; problems go to the shared list."""

    def __init__(
        self, columns: ColumnMap, line: int, cells: Sequence[str], errors: list[RowError]
    ) -> None:
        self.columns, self.line, self.cells, self.errors = columns, line, cells, errors

    def fail(self, message: str) -> None:
        self.errors.append(RowError(self.line, message))

    def text(self, name: str, max_len: int, *, required: bool = False, fold: bool = False) -> str:
        raw = self.columns.cell(self.cells, name)
        raw = v.fold(raw) if fold else raw
        if required and not raw:
            self.fail(f"{self.columns.label(name)} is empty")
        elif len(raw) > max_len:
            self.fail(f"{self.columns.label(name)} is longer than {max_len} characters")
        return raw

    def parse(
        self,
        name: str,
        parser: Callable[[str], T],
        *,
        required: bool = False,
        personal: PersonalKind | None = None,
    ) -> T | None:
        raw = self.columns.cell(self.cells, name)
        if not raw:
            if required:
                self.fail(f"{self.columns.label(name)} is empty")
            return None
        try:
            return parser(raw)
        except v.BadValue as exc:
            shown = raw if exc.value is None else exc.value
            if personal is not None:
                shown = mask_value(shown, personal)  # error output is personal data too
            self.fail(f'{self.columns.label(name)} "{shown}" {exc.reason}')
            return None


class RowChecker:
    def __init__(self, columns: ColumnMap, usernames: Collection[str] = ()) -> None:
        self.columns = columns
        self.usernames = set(usernames)
        self.errors: list[RowError] = []
        self.rows = 0
        self._good: list[_Row] = []
        self._case_lines: dict[str, int] = {}
        self._debtors: dict[str, tuple[int, _Debtor]] = {}

    def add(self, line: int, cells: Sequence[str]) -> None:
        self.rows += 1
        before = len(self.errors)
        c = _Cells(self.columns, line, cells, self.errors)
        case_ref = c.text("case_ref", 64, required=True, fold=True)
        debtor_ref = c.text("debtor_ref", 64, required=True, fold=True)
        debtor = self._debtor(c)
        if debtor_ref and len(self.errors) == before:
            self._same_debtor(c, debtor_ref, debtor)
        if case_ref:
            first = self._case_lines.setdefault(case_ref, line)
            if first != line:
                c.fail(f'{self.columns.label("case_ref")} "{case_ref}" is already on line {first}')
        phones = c.parse("phone", v.parse_phones, personal="phone") or ()
        debtor = self._zone_from_phones(c, debtor, phones)
        case = self._case(c)
        if len(self.errors) == before:
            self._good.append(_Row(line, case_ref, debtor_ref, debtor, phones, case))

    def cases(self) -> list[CaseInput]:
        """The good rows, masked, each debtor with the phones of all its rows."""
        phones: dict[str, list[str]] = {}
        for row in self._good:
            known = phones.setdefault(row.debtor_ref, [])
            known += [p for p in row.phones if p not in known]
        return [_case_input(row, tuple(phones[row.debtor_ref])) for row in self._good]

    def _debtor(self, c: _Cells) -> _Debtor:
        # Read in column order, so a row's messages come in the order of its cells.
        name = c.text("name", 100, required=True)
        national_id = c.parse("national_id", v.parse_national_id, personal="national_id")
        region = c.text("region", 64) or None
        segment = c.text("segment", 32) or None
        language = c.parse("language", v.parse_language) or DEFAULT_LANGUAGE
        zone = c.parse("time_zone", v.parse_time_zone)
        if zone is None and not c.columns.cell(c.cells, "time_zone"):
            zone = v.default_time_zone(region, language)
        return _Debtor(name, national_id, region, segment, language, zone or "")

    def _zone_from_phones(self, c: _Cells, debtor: _Debtor, phones: tuple[str, ...]) -> _Debtor:
        """Last resort for the debtor's local time: the area of their phone number."""
        if debtor.time_zone or c.columns.cell(c.cells, "time_zone"):
            return debtor
        zone = v.zone_from_phones(phones, debtor.language)
        if zone is None:
            c.fail(
                f"{c.columns.label('time_zone')} is needed for {debtor.language} debtors "
                "whose phone area does not tell it (there is no default; e.g. America/New_York)"
            )
            return debtor
        return dataclasses.replace(debtor, time_zone=zone)

    def _same_debtor(self, c: _Cells, debtor_ref: str, debtor: _Debtor) -> None:
        first_line, first = self._debtors.setdefault(debtor_ref, (c.line, debtor))
        for name in ("name", "national_id", "region", "segment", "language", "time_zone"):
            here, there = getattr(debtor, name), getattr(first, name)
            if here != there:
                if name == "national_id":
                    here, there = (mask_value(x, "national_id") if x else x for x in (here, there))
                c.fail(
                    f'{self.columns.label("debtor_ref")} "{debtor_ref}" has '
                    f"{self.columns.label(name)} {_show(here)} here but {_show(there)} "
                    f"on line {first_line}"
                )

    def _case(self, c: _Cells) -> _Case:
        product = c.text("product", 64, required=True)
        principal = c.parse("principal", v.parse_amount, required=True)
        overdue = c.parse("overdue_amount", v.parse_amount, required=True)
        days = c.parse("days_past_due", v.parse_days, required=True)
        stage = c.parse("stage", v.parse_stage)
        assigned = c.text("assigned_to", 64) or None
        if assigned and assigned not in self.usernames:
            c.fail(f'{c.columns.label("assigned_to")} "{assigned}" {self._no_user(assigned)}')
        # Placeholders where a value was bad: the row is dropped anyway.
        return _Case(
            product=product,
            currency=self._currency(c, principal, overdue),
            principal=principal[0] if principal else Decimal(0),
            overdue_amount=overdue[0] if overdue else Decimal(0),
            days_past_due=days or 0,
            stage=stage or v.stage_for_days(days or 0),
            status=c.parse("status", v.parse_status) or None,
            assigned_username=assigned,
        )

    def _currency(
        self,
        c: _Cells,
        principal: tuple[Decimal, str | None] | None,
        overdue: tuple[Decimal, str | None] | None,
    ) -> str:
        currency = c.parse("currency", v.parse_currency)
        for name, amount in (("principal", principal), ("overdue_amount", overdue)):
            symbol = amount[1] if amount else None
            if symbol is None:
                continue
            if currency is not None and symbol != currency:
                raw = c.columns.cell(c.cells, name)
                c.fail(f'{c.columns.label(name)} "{raw}" is in {symbol}, not {currency}')
            currency = currency or symbol
        return currency or DEFAULT_CURRENCY

    def _no_user(self, username: str) -> str:
        near = sorted(u for u in self.usernames if u.casefold() == username.casefold())
        if near:
            return f'is not a user; did you mean "{near[0]}"?'
        return "is not a user; check the spelling or add the user first"


def _show(value: str | None) -> str:
    return f'"{value}"' if value else "nothing"


def _case_input(row: _Row, phones: tuple[str, ...]) -> CaseInput:
    d, case = row.debtor, row.case
    region_code = _PHONE_REGIONS.get(d.language, "CN")
    return CaseInput(
        case_ref=row.case_ref,
        debtor_ref=row.debtor_ref,
        name=d.name,
        national_id=mask_value(d.national_id, "national_id") if d.national_id else None,
        phones=tuple(mask_value(p, "phone", region_code) for p in phones),
        region=d.region,
        time_zone=d.time_zone,
        segment=d.segment,
        language=d.language,
        product=case.product,
        currency=case.currency,
        principal=case.principal,
        overdue_amount=case.overdue_amount,
        days_past_due=case.days_past_due,
        stage=case.stage,
        status=case.status,
        assigned_username=case.assigned_username,
    )
