"""Filling lines from a case: money per currency, visible placeholders, masking."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from agent_assist.messaging.render import BankDetails
from agent_assist.script_library import render_script
from tests.core.messaging.builders import EN_BANK, EN_CASE, ZH_BANK, ZH_CASE
from tests.core.script_library.builders import HEAD, bundled, load_text, script


def test_a_zh_line_is_filled_from_the_case() -> None:
    library = bundled("zh-CN")
    rendered = render_script(
        library.script("zh.amount.state"),
        library,
        ZH_CASE,
        agent_name="李明",
        bank=ZH_BANK,
        due_date=date(2026, 12, 5),
    )
    assert rendered.lines == (
        "截至今天，您的信用卡逾期45天，应还金额是¥3,200.50。",
        "请您在2026年12月5日之前还款，这样可以避免产生更多的逾期费用。",
    )
    assert rendered.missing == ()


def test_an_en_line_is_filled_with_dollars_and_a_month_name() -> None:
    library = bundled("en-US")
    rendered = render_script(
        library.script("en.reply.confirm_promise"),
        library,
        EN_CASE,
        agent_name="Sam Reed",
        bank=EN_BANK,
        due_date=date(2026, 12, 5),
    )
    assert rendered.lines[0] == (
        "Great, let me confirm. You'll pay $1,234.00 by December 5, 2026, is that right?"
    )
    assert rendered.lines[1].endswith("You can call 1-800-555-0199 with any questions.")


@pytest.mark.parametrize(
    ("currency", "amount", "expected"),
    [("CNY", "3200.5", "¥3,200.50"), ("USD", "1234", "$1,234.00"), ("EUR", "99.999", "EUR 100.00")],
)
def test_money_is_written_per_currency(
    tmp_path: Path, currency: str, amount: str, expected: str
) -> None:
    library = load_text(tmp_path, HEAD + script("s", line="金额{overdue_amount}，币种{currency}"))
    case = replace(ZH_CASE, currency=currency, overdue_amount=Decimal(amount))
    rendered = render_script(library.scripts[0], library, case, agent_name="李", bank=ZH_BANK)
    assert rendered.lines == (f"金额{expected}，币种{currency}",)


@pytest.mark.parametrize(
    ("language", "script_id", "placeholders", "missing"),
    [
        ("zh-CN", "zh.close.promise", ("【日期】", "【客服热线】"), ("due_date", "hotline")),
        ("en-US", "en.close.promise", ("[date]", "[hotline]"), ("due_date", "hotline")),
        ("en-US", "en.open.greeting", ("[name]", "[your name]", "[bank]"), None),
    ],
)
def test_a_missing_value_leaves_a_visible_placeholder(
    language: str, script_id: str, placeholders: tuple[str, ...], missing: tuple[str, ...] | None
) -> None:
    library = bundled(language)
    no_case = script_id == "en.open.greeting"
    rendered = render_script(
        library.script(script_id),
        library,
        None if no_case else (ZH_CASE if language == "zh-CN" else EN_CASE),
        agent_name=None,
        bank=BankDetails(name=None if no_case else "Bank", hotline="  "),
    )
    text = " ".join(rendered.lines)
    for placeholder in placeholders:
        assert placeholder in text
    assert "{" not in text
    assert rendered.missing == (missing or ("debtor_name", "agent_name", "bank_name"))


def test_a_personal_number_in_a_value_is_masked_but_the_hotline_is_not(tmp_path: Path) -> None:
    library = load_text(tmp_path, HEAD + script("s", line="{debtor_name}，请拨打{hotline}"))
    case = replace(ZH_CASE, debtor=replace(ZH_CASE.debtor, name="王芳13812345678"))
    bank = BankDetails("华信银行", "13912345678")  # even a mobile-like hotline is kept
    rendered = render_script(library.scripts[0], library, case, agent_name="李", bank=bank)
    (line,) = rendered.lines
    assert "13812345678" not in line
    assert line.startswith("王芳")
    assert line.endswith("请拨打13912345678")


def test_a_value_is_never_read_as_another_variable(tmp_path: Path) -> None:
    library = load_text(tmp_path, HEAD + script("s", line="{debtor_name}：{product}"))
    case = replace(ZH_CASE, debtor=replace(ZH_CASE.debtor, name="{product}"))
    rendered = render_script(library.scripts[0], library, case, agent_name="李", bank=ZH_BANK)
    assert rendered.lines == ("{product}：信用卡",)
