"""find_personal_numbers: which numbers count, where they are, and what is left alone."""

from __future__ import annotations

import pytest
from stdnum.cn import ric

from agent_assist.privacy import PersonalNumber, find_personal_numbers, is_national_id
from tests.core.privacy.factories import (
    bad_card,
    bad_national_id,
    bank_card,
    grouped,
    id_ending_in_x,
    national_id,
    old_national_id,
    say_en,
    say_zh,
)

ID = national_id()
ID_X = id_ending_in_x()
OLD_ID = old_national_id()
CARD = bank_card()  # 19 digits
CARD16 = bank_card("622848001234567")
MOBILE = "13812345678"


def _found(text: str, region: str = "CN") -> list[tuple[str, str]]:
    return [(text[n.start : n.end], n.kind) for n in find_personal_numbers(text, region)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"我的身份证号是{ID}", [(ID, "national_id")]),
        (f"身份证 {ID_X} 对吧", [(ID_X, "national_id")]),
        (f"{ID_X[:-1]}x", [(f"{ID_X[:-1]}x", "national_id")]),
        (
            f"证件号{ID[:6]} {ID[6:14]} {ID[14:]}。",
            [(f"{ID[:6]} {ID[6:14]} {ID[14:]}", "national_id")],
        ),
        (f"老身份证{OLD_ID}", [(OLD_ID, "national_id")]),
        (f"卡号{CARD}", [(CARD, "bank_card")]),
        (f"卡号 {grouped(CARD)} 对", [(grouped(CARD), "bank_card")]),
        (f"card {grouped(CARD16, sep='-')}", [(grouped(CARD16, sep="-"), "bank_card")]),
        (f"我的手机号是{MOBILE}谢谢", [(MOBILE, "phone")]),
        ("手机 138 1234 5678", [("138 1234 5678", "phone")]),
        ("手机 138-1234-5678", [("138-1234-5678", "phone")]),
        ("电话：１３８１２３４５６７８", [("１３８１２３４５６７８", "phone")]),
        ("电话010-12345678", [("010-12345678", "phone")]),
        ("公司 0755-86013388 转", [("0755-86013388", "phone")]),
        ("+1 415 555 2671", [("+1 415 555 2671", "phone")]),
        # its 13 digits pass Luhn too: a tie in length goes to the phone
        ("+86 138 1234 5678", [("+86 138 1234 5678", "phone")]),
        (f"身份证 {ID} 手机 {MOBILE}", [(ID, "national_id"), (MOBILE, "phone")]),
        (f"卡号{CARD}，手机{MOBILE}", [(CARD, "bank_card"), (MOBILE, "phone")]),
        (f"{ID} {MOBILE}", [(ID, "national_id"), (MOBILE, "phone")]),  # one run, two numbers
    ],
)
def test_typed_numbers(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call (415) 555-2671 now", [("(415) 555-2671", "phone")]),
        ("415-555-2671", [("415-555-2671", "phone")]),
        ("+1 415 555 2671", [("+1 415 555 2671", "phone")]),
        ("+86 138 1234 5678", [("+86 138 1234 5678", "phone")]),
        (f"my card is {grouped(CARD16)}", [(grouped(CARD16), "bank_card")]),
        # without +86 a Chinese mobile is not a US number
        (MOBILE, []),
    ],
)
def test_typed_numbers_in_the_us(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text, "US") == expected


@pytest.mark.parametrize(
    ("text", "expected", "region"),
    [
        (f"手机 {say_zh(MOBILE)} 对", [(say_zh(MOBILE), "phone")], "CN"),
        (f"号码是{say_zh(MOBILE, '')}吗", [(say_zh(MOBILE, ""), "phone")], "CN"),
        ("幺 三 八 幺 二 三 四 五 六 七 八", [("幺 三 八 幺 二 三 四 五 六 七 八", "phone")], "CN"),
        (
            "座机 零 幺 零 六 五 五 二 九 九 八 八",
            [("零 幺 零 六 五 五 二 九 九 八 八", "phone")],
            "CN",
        ),
        (f"身份证 {say_zh(ID)}", [(say_zh(ID), "national_id")], "CN"),
        (f"身份证 {say_zh(ID_X[:-1])} 叉 对", [(f"{say_zh(ID_X[:-1])} 叉", "national_id")], "CN"),
        (f"{say_en(ID_X[:-1])} x", [(f"{say_en(ID_X[:-1])} x", "national_id")], "CN"),
        (f"{say_zh(MOBILE)} 叉", [(say_zh(MOBILE), "phone")], "CN"),
        (f"卡号 {say_zh(CARD)}", [(say_zh(CARD), "bank_card")], "CN"),
        # 统一's 一 is the word's, 一下's too
        (f"统一 {say_zh(MOBILE)} 一下", [(say_zh(MOBILE), "phone")], "CN"),
        (f"it is {say_en(MOBILE)} ok", [(say_en(MOBILE), "phone")], "CN"),
        (f"no one {say_en(MOBILE)}", [(say_en(MOBILE), "phone")], "CN"),
        (f"my ID is {say_en(ID)}", [(say_en(ID), "national_id")], "CN"),
        ("four one five five five five two six seven one", None, "US"),
        ("four one five double five five two six seven one", None, "US"),
        ("four one five, five five five, two six seven one", None, "US"),
        ("Four One Five - Five Five Five - Two Six Seven One", None, "US"),
        ("one four one five five five five two six seven one", None, "US"),
        ("oh one oh six five five two nine nine eight eight", None, "CN"),
    ],
)
def test_spoken_numbers(text: str, expected: list[tuple[str, str]] | None, region: str) -> None:
    # None: the whole text is one phone number
    assert _found(text, region) == (expected if expected is not None else [(text, "phone")])


@pytest.mark.parametrize(
    "text",
    [
        bad_national_id(),  # 18 digits, bad ID checksum and bad Luhn
        "110101199003074578",
        bad_card(),
        f"卡号 {grouped(bad_card())}",
        say_zh(bad_national_id()),
        "1381234567",  # a digit short
        "您尾号5678的卡",
        "三千块",
        "我 下 个 月 十五 号 还 三千五百 块",
        "一万零五百",
        "twenty five dollars on the fifteenth",
        "one hundred twenty three thousand four hundred fifty six",
        "$1,250.00",
        "还款 12,000.50 元",
        "15号",
        "2024-05-06",
        "二 零 二 四 年 五 月 六 号",
        "10:30 到 11:45",
        "利率 3.5%",
        "案件号 A2024-0815",
        "订单 20240506",
        "您好，请问是张先生吗？",
        "",
    ],
)
def test_left_alone(text: str) -> None:
    assert find_personal_numbers(text) == []


def test_spans_are_in_the_original_text() -> None:
    text = f"您好 手机 {say_zh(MOBILE)} 身份证{ID}"
    start = text.index("一")
    assert find_personal_numbers(text) == [
        PersonalNumber(start, start + len(say_zh(MOBILE)), "phone"),
        PersonalNumber(text.index(ID), len(text), "national_id"),
    ]


def test_an_id_is_reported_once_not_as_a_phone_or_card_too() -> None:
    for text in (ID, say_zh(ID), grouped(ID, 6)):
        assert [n.kind for n in find_personal_numbers(text)] == ["national_id"]


def test_old_ids_need_a_real_birth_date_and_place() -> None:
    assert is_national_id(old_national_id())
    assert not is_national_id(old_national_id(birth="901332"))
    assert not is_national_id(old_national_id(area="000000"))
    assert is_national_id(ID_X.lower())


def test_a_place_code_without_a_county_is_not_an_id() -> None:
    # stdnum raises KeyError for these; the detector must just say no
    body = "13000119900307457"
    assert not is_national_id(body + ric.calc_check_digit(body + "0"))
    assert not is_national_id("130001900307457")
