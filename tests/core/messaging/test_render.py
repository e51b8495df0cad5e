from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_assist.messaging.render import BankDetails, RenderError, format_amount, render
from agent_assist.messaging.templates import load_library
from tests.core.messaging.builders import (
    EN_BANK,
    EN_CASE,
    LIBRARY_HEAD,
    ZH_BANK,
    ZH_CASE,
    libraries,
    promise,
    write_library,
)


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("1234", "CNY", "¥1,234.00"),
        ("1234", "USD", "$1,234.00"),
        ("3200.5", "CNY", "¥3,200.50"),
        ("0.125", "USD", "$0.12"),  # banker's rounding, as Decimal quantizes
        ("1234567.891", "USD", "$1,234,567.89"),
        ("12", "EUR", "EUR 12.00"),
    ],
)
def test_amounts_are_written_per_currency(amount: str, currency: str, shown: str) -> None:
    assert format_amount(Decimal(amount), currency) == shown


def test_a_chinese_reminder() -> None:
    library = libraries()["zh-CN"]
    template = library.template("zh.sms.mid.reminder")

    message = render(template, library, ZH_CASE, ZH_BANK, due_date=date(2026, 12, 1))

    assert message.text == (
        "【华信银行】尊敬的王芳，您的信用卡欠款¥3,200.50仍未归还，逾期记录将按规定报送征信系统。"
        "请于2026年12月1日前还款；如还款有困难，请致电400-820-8888与我们协商。"
    )
    assert (message.template_id, message.language, message.case_id) == (
        "zh.sms.mid.reminder",
        "zh-CN",
        ZH_CASE.id,
    )


def test_an_english_promise_confirmation() -> None:
    library = libraries()["en-US"]
    template = library.template("en.sms.promise_confirmation")

    message = render(template, library, EN_CASE, EN_BANK, promise=promise(EN_CASE, "250.5"))

    assert message.text == (
        "Northwind Bank: Thank you, Maria Lopez. This confirms your promise to pay $250.50 on "
        "your credit card account by December 5, 2026. Questions? Call 1-800-555-0199. This is "
        "an attempt to collect a debt. Reply STOP to opt out of texts."
    )


def test_every_missing_value_is_named_and_nothing_is_rendered() -> None:
    library = libraries()["zh-CN"]
    template = library.template("zh.sms.promise_confirmation")
    kept = promise(ZH_CASE, status="kept")  # only a pending promise is confirmed

    with pytest.raises(RenderError) as caught:
        render(template, library, ZH_CASE, BankDetails(name=" "), promise=kept)

    assert str(caught.value) == (
        "template zh.sms.promise_confirmation cannot be filled for case L-7: "
        "{bank_name}: the bank's name is not set; "
        "{promise_date}: the case has no pending promise to pay; "
        "{promise_amount}: the case has no pending promise to pay; "
        "{hotline}: the bank's hotline is not set"
    )


def test_a_missing_pay_by_date_is_an_error() -> None:
    library = libraries()["en-US"]

    with pytest.raises(RenderError, match=r"\{due_date\}: no pay-by date was given"):
        render(library.template("en.sms.early.reminder"), library, EN_CASE, EN_BANK)


def test_personal_numbers_are_masked_but_the_banks_hotline_is_kept() -> None:
    library = libraries()["zh-CN"]
    template = library.template("zh.sms.payment_thanks")
    case = replace(ZH_CASE, product="信用卡6222021234567890128 联系人13812345678")

    message = render(template, library, case, ZH_BANK)

    assert "6222021234567890128" not in message.text
    assert "13812345678" not in message.text
    assert "信用卡" + "*" * 15 + "0128 联系人138****5678" in message.text
    assert message.text.endswith("请致电400-820-8888。")


def test_a_value_cannot_smuggle_in_a_variable(tmp_path: Path) -> None:
    library = libraries()["en-US"]
    template = library.template("en.sms.payment_thanks")
    case = replace(EN_CASE, debtor=replace(EN_CASE.debtor, name="{hotline}"))

    with pytest.raises(RenderError, match="would send a brace"):
        render(template, library, case, EN_BANK)


def test_dates_follow_the_librarys_format(tmp_path: Path) -> None:
    head = LIBRARY_HEAD.replace('"{year}年{month}月{day}日"', '"{day}.{month}.{year}"')
    text = head + '  - {id: d, stage: mid, purpose: reminder, text: "bis {due_date}"}\n'
    library = load_library(write_library(tmp_path, text))

    message = render(library.templates[0], library, ZH_CASE, ZH_BANK, due_date=date(2027, 1, 9))

    assert message.text == "bis 9.1.2027"


names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1)


@given(
    name=names.filter(lambda s: s.strip() and not set(s) & set("{}")),
    cents=st.integers(min_value=0, max_value=10**12),
)
def test_rendered_text_never_holds_a_slot_and_always_the_amount(name: str, cents: int) -> None:
    library = libraries()["en-US"]
    template = library.template("en.sms.repayment_plan")
    amount = Decimal(cents) / 100
    case = replace(EN_CASE, overdue_amount=amount, debtor=replace(EN_CASE.debtor, name=name))

    message = render(template, library, case, EN_BANK, due_date=date(2026, 12, 1))

    assert "{" not in message.text
    assert "}" not in message.text
    assert f"${amount:,.2f}" in message.text
