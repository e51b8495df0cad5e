from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from agent_assist.importing import case_values as v
from tests.core.importing.conftest import make_id


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("1,234.56", "1234.56", None),
        ("1234.5", "1234.50", None),
        ("¥1,234", "1234.00", "CNY"),
        ("￥1,234", "1234.00", "CNY"),  # full-width yen sign
        ("$1,234", "1234.00", "USD"),
        ("1.2万", "12000.00", None),
        ("3.5万元", "35000.00", "CNY"),
        ("RMB 800", "800.00", "CNY"),
        ("１２３４．５", "1234.50", None),  # full-width digits
        ("0", "0.00", None),
    ],
)
def test_amounts(text: str, amount: str, currency: str | None) -> None:
    assert v.parse_amount(text) == (Decimal(amount), currency)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12,3a", "is not an amount"),
        ("1,23", "is not an amount"),  # not a thousands group
        ("12.3.4", "is not an amount"),
        ("$100元", "is not an amount"),
        ("-5", "is negative"),
        ("1.005", "has more than 2 decimal places"),
        ("1000000000000", "is too large"),
    ],
)
def test_bad_amounts(text: str, reason: str) -> None:
    with pytest.raises(v.BadValue, match=reason):
        v.parse_amount(text)


def test_days_past_due() -> None:
    assert v.parse_days("45") == 45
    assert v.parse_days("１,２００天") == 1200
    for text, reason in [("-3", "is negative"), ("4.5", "whole number"), ("99999", "100 years")]:
        with pytest.raises(v.BadValue, match=reason):
            v.parse_days(text)


@pytest.mark.parametrize(
    ("days", "stage"),
    [(0, "M0"), (1, "M1"), (30, "M1"), (31, "M2"), (90, "M3"), (150, "M5"), (151, "M6+")],
)
def test_stage_from_days_past_due(days: int, stage: str) -> None:
    assert v.stage_for_days(days) == stage


def test_stages_given() -> None:
    assert [v.parse_stage(s) for s in ("m1", "Ｍ３", "M6", "M6+", "M9")] == [
        "M1",
        "M3",
        "M6+",
        "M6+",
        "M6+",
    ]
    for bad in ("M3+", "Q1", "3"):
        with pytest.raises(v.BadValue, match="is not a stage"):
            v.parse_stage(bad)


def test_statuses_in_english_and_chinese() -> None:
    assert v.parse_status("Cease Requested") == "cease_requested"
    assert v.parse_status("律师代理") == "attorney_represented"
    assert v.parse_status("结清") == "closed"
    with pytest.raises(v.BadValue, match="is not a status"):
        v.parse_status("frozen")


def test_languages_currencies_and_zones() -> None:
    assert [v.parse_language(s) for s in ("zh_CN", "中文", "EN-us", "English")] == [
        "zh-CN",
        "zh-CN",
        "en-US",
        "en-US",
    ]
    assert [v.parse_currency(s) for s in ("usd", "人民币")] == ["USD", "CNY"]
    assert v.parse_time_zone("america/new_york") == "America/New_York"
    bad: list[tuple[Callable[[str], object], str]] = [
        (v.parse_language, "fr-FR"),
        (v.parse_currency, "dollars"),
        (v.parse_time_zone, "UTC+8"),
    ]
    for parser, text in bad:
        with pytest.raises(v.BadValue):
            parser(text)


def test_default_time_zones() -> None:
    assert v.default_time_zone(None, "zh-CN") == "Asia/Shanghai"
    assert v.default_time_zone("香港特别行政区", "zh-CN") == "Asia/Hong_Kong"
    assert v.default_time_zone("Taiwan", "zh-CN") == "Asia/Taipei"
    assert v.default_time_zone("CA", "en-US") is None  # the US has several zones


def test_national_ids() -> None:
    good = make_id("11010519800315123")
    assert v.parse_national_id(f" {good.lower()} ") == good.upper()
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    cases = [
        (wrong_check, "fails the check digit"),
        (good[:15], "is not 18 characters"),
        (make_id("11010519801345123"), "impossible birth date"),  # month 13
        ("1101051980031512AB", "17 digits"),
    ]
    for text, reason in cases:
        with pytest.raises(v.BadValue, match=reason):
            v.parse_national_id(text)


def test_phones_split_on_ascii_and_full_width_separators() -> None:
    text = "13800001111；139 0000 2222，+1 (415) 555-0100; 13800001111"
    assert v.parse_phones(text) == ("13800001111", "139 0000 2222", "+1 (415) 555-0100")
    with pytest.raises(v.BadValue) as caught:
        v.parse_phones("13800001111;call me")
    assert caught.value.value == "call me"  # the message names the bad number only
