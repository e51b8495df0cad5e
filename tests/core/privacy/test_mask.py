"""mask_text and mask_value: what stays readable, and what is never touched."""

from __future__ import annotations

import pytest

from agent_assist.privacy import PersonalKind, mask_text, mask_value
from tests.core.privacy.factories import (
    bad_national_id,
    bank_card,
    grouped,
    id_ending_in_x,
    national_id,
    say_en,
    say_zh,
)

ID = national_id()  # 110101199003074573
ID_X = id_ending_in_x()  # 11010119900307002X
CARD = bank_card()  # 6222021234567890128
MOBILE = "13812345678"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"我的身份证号是{ID}", "我的身份证号是110***********4573"),
        (f"身份证{ID_X}", "身份证110***********002X"),
        ("老身份证110101900307457", "老身份证110********7457"),
        (f"卡号{CARD}", "卡号***************0128"),
        (f"卡号 {grouped(CARD)} 对", "卡号 **** **** **** ***0 128 对"),
        (f"我的手机号是{MOBILE}谢谢", "我的手机号是138****5678谢谢"),
        ("手机 138-1234-5678", "手机 138-****-5678"),
        ("+86 138 1234 5678", "+86 138 **** 5678"),
        ("0086 13812345678", "0086 138****5678"),
        ("电话010-12345678", "电话***-****5678"),
        ("+1 415 555 2671", "+1 *** *** 2671"),
        (f"身份证 {ID} 手机 {MOBILE}", "身份证 110***********4573 手机 138****5678"),
        # spoken: one * per digit word, the spaces stay
        (f"手机 {say_zh(MOBILE)} 对", "手机 一 三 八 * * * * 五 六 七 八 对"),
        (f"号码是{say_zh(MOBILE, '')}吗", "号码是一三八****五六七八吗"),
        (f"身份证 {say_zh(ID)}", "身份证 一 一 零 * * * * * * * * * * * 四 五 七 三"),
        (f"卡号 {say_zh(CARD)}", "卡号 * * * * * * * * * * * * * * * 零 一 二 八"),
        (f"it is {say_en(MOBILE)} ok", "it is one three eight * * * * five six seven eight ok"),
    ],
)
def test_mask_text_in_china(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("call (415) 555-2671 now", "call (***) ***-2671 now"),
        ("415-555-2671", "***-***-2671"),
        ("+1 415 555 2671", "+1 *** *** 2671"),
        ("four one five five five five two six seven one", "* * * * * * two six seven one"),
        # "double five" is one word: masked whole when either five is
        ("four one five double five five two six seven one", "* * * * * two six seven one"),
        (f"the card is {grouped(CARD)}", "the card is **** **** **** ***0 128"),
    ],
)
def test_mask_text_in_the_us(text: str, masked: str) -> None:
    assert mask_text(text, "US") == masked


@pytest.mark.parametrize(
    "text",
    [
        "您尾号5678的卡",
        "三千块",
        "我 下 个 月 十五 号 还 三千五百 块",
        "$1,250.00",
        "15号",
        "2024-05-06",
        "利率 3.5%",
        "案件号 A2024-0815",
        bad_national_id(),
        "110101199003074578",
        "twenty five dollars on the fifteenth",
        "您好，请问是张先生吗？",
        "",
    ],
)
def test_mask_text_leaves_everything_else_alone(text: str) -> None:
    assert mask_text(text) == text


def test_text_without_digits_comes_back_as_is() -> None:
    text = "您好，我是某某银行的客服，请问您方便说话吗？"
    assert mask_text(text) is text


@pytest.mark.parametrize(
    "text",
    [
        f"身份证 {ID} 手机 {MOBILE} 卡号 {grouped(CARD)}",
        f"手机 {say_zh(MOBILE)} 身份证 {say_zh(ID)}",
        f"it is {say_en(MOBILE)}",
        "+86 138 1234 5678, +1 415 555 2671",
    ],
)
def test_masking_twice_changes_nothing(text: str) -> None:
    once = mask_text(text)
    assert once != text
    assert mask_text(once) == once


@pytest.mark.parametrize(
    ("value", "kind", "masked"),
    [
        (ID, "national_id", "110***********4573"),
        (ID_X.lower(), "national_id", "110***********002x"),
        ("110101199003074578", "national_id", "110***********4578"),  # bad checksum: still an ID
        ("110101 19900307 4578", "national_id", "110*** ******** 4578"),
        (CARD, "bank_card", "***************0128"),
        ("6222-0212-3456-7890", "bank_card", "****-****-****-7890"),  # fails Luhn: still a card
        (MOBILE, "phone", "138****5678"),
        ("138-1234-5678", "phone", "138-****-5678"),
        ("+86 138 1234 5678", "phone", "+86 138 **** 5678"),
        ("+1 (415) 555-2671", "phone", "+1 (***) ***-2671"),
        ("010-12345678", "phone", "***-****5678"),
        # short values show less, never all of it
        ("12345", "phone", "****5"),
        ("1234", "bank_card", "****"),
        ("12345678", "national_id", "****5678"),
        ("n/a", "phone", "n/a"),
        ("", "national_id", ""),
    ],
)
def test_mask_value(value: str, kind: PersonalKind, masked: str) -> None:
    assert mask_value(value, kind) == masked
    assert mask_value(masked, kind) == masked


def test_mask_value_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        mask_value(MOBILE, "passport")  # type: ignore[arg-type]
