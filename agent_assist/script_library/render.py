"""Filling a script's lines from a case, so the collector reads them as they will say them.

Unlike a text message, a line is read aloud by a person: a missing value leaves a
visible placeholder (【金额】, [amount]) and is named in ``missing``, rather than
hiding the line. Money is written as the messages write it. The result goes through
:func:`agent_assist.privacy.mask_text` as a last guard against a personal number;
the bank's own hotline is the one number let through.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from agent_assist.messaging.render import BankDetails, format_amount
from agent_assist.privacy import mask_text
from agent_assist.script_library.model import Script, ScriptLibrary
from agent_assist.store.records import CaseRecord

_VARIABLE = re.compile(r"\{([a-z_]+)\}")
# Stands in for the hotline while the text is masked: no digit, no letter, never typed.
_HOTLINE_SLOT = "\ufffc"


@dataclass(frozen=True, slots=True)
class RenderedScript:
    script_id: str
    lines: tuple[str, ...]  # masked
    missing: tuple[str, ...]  # variables with no value, shown as placeholders


def format_date(day: date, library: ScriptLibrary) -> str:
    parts = {
        "year": str(day.year),
        "month": str(day.month),
        "day": str(day.day),
        "month_name": library.month_names[day.month - 1] if library.month_names else "",
    }
    return _VARIABLE.sub(lambda match: parts.get(match[1], match[0]), library.date_format)


def values_for(
    case: CaseRecord | None,
    library: ScriptLibrary,
    *,
    agent_name: str | None,
    bank: BankDetails,
    due_date: date | None = None,
) -> dict[str, str | None]:
    """Every variable's value (None when there is none; no case: only the caller's details)."""

    def clean(value: str | None) -> str | None:
        return (value or "").strip() or None

    return {
        "debtor_name": clean(case.debtor.name) if case else None,
        "overdue_amount": format_amount(case.overdue_amount, case.currency) if case else None,
        "currency": clean(case.currency) if case else None,
        "due_date": format_date(due_date, library) if due_date else None,
        "bank_name": clean(bank.name),
        "agent_name": clean(agent_name),
        "product": clean(case.product) if case else None,
        "days_past_due": str(case.days_past_due) if case else None,
        "hotline": clean(bank.hotline),
    }


def render_script(
    script: Script,
    library: ScriptLibrary,
    case: CaseRecord | None,
    *,
    agent_name: str | None,
    bank: BankDetails,
    due_date: date | None = None,
) -> RenderedScript:
    """The lines of ``script`` filled for ``case``; never raises for a missing value."""
    values = values_for(case, library, agent_name=agent_name, bank=bank, due_date=due_date)
    return fill_script(script, library, values)


def fill_script(
    script: Script, library: ScriptLibrary, values: Mapping[str, str | None]
) -> RenderedScript:
    """The lines of ``script`` filled with ``values`` (a variable without one: its
    placeholder), masked."""
    missing = tuple(name for name in script.variables if not values.get(name))

    def fill(match: re.Match[str]) -> str:
        name = match[1]
        value = values.get(name)
        if not value:
            return library.placeholder(name)
        return _HOTLINE_SLOT if name == "hotline" else value

    lines = []
    for line in script.lines:
        text = mask_text(_VARIABLE.sub(fill, line), library.region)  # one pass: no value re-read
        lines.append(text.replace(_HOTLINE_SLOT, values.get("hotline") or ""))
    return RenderedScript(script.id, tuple(lines), missing)
