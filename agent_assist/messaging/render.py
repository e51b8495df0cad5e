"""Filling a template from a case, its promise and the bank's details.

Values are substituted in one pass, so a value can never be read as another
variable, and a template whose value is missing is refused (listing every
missing one) rather than sent with a literal ``{…}``. The finished text goes
through :func:`agent_assist.privacy.mask_text` as a last guard against a
personal number; the bank's own hotline is the one number let through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from agent_assist.errors import UserError
from agent_assist.messaging.templates import MessageLibrary, MessageTemplate
from agent_assist.privacy import mask_text
from agent_assist.store.records import CaseRecord, PromiseRecord

# Symbols a debtor reads at a glance; any other currency is written by its code.
CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "$"}
_VARIABLE = re.compile(r"\{([a-z_]+)\}")
# Stands in for the hotline while the text is masked: no digit, no letter, never typed.
_HOTLINE_SLOT = "\ufffc"


@dataclass(frozen=True, slots=True)
class BankDetails:
    """What the bank's settings give every message."""

    name: str | None = None
    hotline: str | None = None  # the bank's public service number, never a person's


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    template_id: str
    language: str
    case_id: int
    text: str  # masked


class RenderError(UserError):
    """A template that cannot be filled for this case."""


def format_amount(amount: Decimal, currency: str) -> str:
    """``¥1,234.00`` / ``$1,234.00``; ``EUR 1,234.00`` for a currency without a symbol here."""
    number = f"{amount.quantize(Decimal('0.01')):,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{currency} {number}"


def format_date(day: date, library: MessageLibrary) -> str:
    parts = {
        "year": str(day.year),
        "month": str(day.month),
        "day": str(day.day),
        "month_name": library.month_names[day.month - 1] if library.month_names else "",
    }
    return _VARIABLE.sub(lambda match: parts[match[1]], library.date_format)


def values_for(
    case: CaseRecord,
    library: MessageLibrary,
    bank: BankDetails,
    *,
    promise: PromiseRecord | None = None,
    due_date: date | None = None,
) -> dict[str, str | None]:
    """Every variable's value for this case (None when there is none)."""
    if promise is not None and promise.case_id != case.id:
        raise ValueError(f"promise {promise.id} belongs to case {promise.case_id}, not {case.id}")
    pending = promise if promise is not None and promise.status == "pending" else None
    return {
        "debtor_name": case.debtor.name.strip() or None,
        "product": case.product.strip() or None,
        "overdue_amount": format_amount(case.overdue_amount, case.currency),
        "currency": case.currency,
        "due_date": format_date(due_date, library) if due_date else None,
        "promise_amount": format_amount(pending.amount, pending.currency) if pending else None,
        "promise_date": format_date(pending.due_date, library) if pending else None,
        "bank_name": (bank.name or "").strip() or None,
        "hotline": (bank.hotline or "").strip() or None,
    }


_WHY_MISSING = {
    "debtor_name": "the debtor has no name on file",
    "product": "the case has no product",
    "due_date": "no pay-by date was given",
    "promise_amount": "the case has no pending promise to pay",
    "promise_date": "the case has no pending promise to pay",
    "bank_name": "the bank's name is not set",
    "hotline": "the bank's hotline is not set",
}


def render(
    template: MessageTemplate,
    library: MessageLibrary,
    case: CaseRecord,
    bank: BankDetails,
    *,
    promise: PromiseRecord | None = None,
    due_date: date | None = None,
) -> RenderedMessage:
    """The masked text of ``template`` for ``case``; raises :class:`RenderError`."""
    if template.language != library.language:
        raise ValueError(f"template {template.id} is not in the {library.language} library")
    values = values_for(case, library, bank, promise=promise, due_date=due_date)
    missing = [name for name in template.variables if not values.get(name)]
    if missing:
        reasons = "; ".join(f"{{{name}}}: {_WHY_MISSING.get(name, 'no value')}" for name in missing)
        raise RenderError(
            f"template {template.id} cannot be filled for case {case.external_ref}: {reasons}"
        )

    def fill(match: re.Match[str]) -> str:
        name = match[1]
        return _HOTLINE_SLOT if name == "hotline" else values[name] or ""

    text = mask_text(_VARIABLE.sub(fill, template.text), library.region)
    text = text.replace(_HOTLINE_SLOT, values["hotline"] or "")
    if "{" in text or "}" in text:  # a value brought a brace: never send anything like a slot
        raise RenderError(
            f"template {template.id} for case {case.external_ref} would send a brace; "
            "check the case's name and product for `{` or `}`"
        )
    return RenderedMessage(template.id, template.language, case.id, text)
