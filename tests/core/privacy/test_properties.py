"""Properties of masking over generated call text, with real numbers mixed in."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_assist.privacy import find_personal_numbers, mask_text, mask_value
from tests.core.privacy.factories import bank_card, grouped, national_id, say_en, say_zh

AREAS = ("110101", "110102", "110105", "310101", "310104", "120101")  # valid 1950-2009
CARD_BINS = ("622202", "622848", "621700", "411111", "550000")
MOBILE_PREFIXES = ("130", "135", "138", "139", "150", "158", "186", "188", "199")


@st.composite
def ids(draw: st.DrawFn) -> str:
    birth = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2009, 12, 31)))
    seq = f"{draw(st.integers(0, 999)):03d}"
    return national_id(draw(st.sampled_from(AREAS)), birth.strftime("%Y%m%d"), seq)


@st.composite
def cards(draw: st.DrawFn) -> str:
    length = draw(st.integers(16, 19))
    rest = draw(st.text("0123456789", min_size=length - 7, max_size=length - 7))
    return bank_card(draw(st.sampled_from(CARD_BINS)) + rest)


mobiles = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(MOBILE_PREFIXES),
    st.text("0123456789", min_size=8, max_size=8),
)
numbers = st.one_of(ids(), cards(), mobiles)

# Typed pieces of a collection call: amounts, dates, case numbers, punctuation.
NOISE = (
    "您好", "尾号", "卡号", "身份证", "手机", "还款", "三千五百块", "十五 号", "元", "，", "。",
    "2024-05-06", "$1,250.00", "3.5%", "10:30", "A2024-0815", "15号", " ", "-", ".", "+", "(", ")",
    "X", "x", "*",
)  # fmt: skip
noise = st.one_of(
    st.sampled_from(NOISE),
    st.text("0123456789 -.+()年月号零一二三四五六七八九十百千万幺两", max_size=12),
)


@st.composite
def typed(draw: st.DrawFn) -> str:
    """Typed text (no digit words): digits and Chinese numerals, which mask one for one."""
    pieces = draw(st.lists(st.one_of(noise, numbers, numbers.map(grouped)), max_size=6))
    return "".join(pieces)


@st.composite
def spoken(draw: st.DrawFn) -> str:
    said = st.one_of(numbers.map(say_zh), numbers.map(say_en), numbers.map(lambda n: say_zh(n, "")))
    words = st.sampled_from(
        ["我 的", "号码 是", "对", "统一", "一下", "no one", "twenty five", "oh"]
    )
    return " ".join(draw(st.lists(st.one_of(said, words), min_size=1, max_size=5)))


@settings(max_examples=300, deadline=None)
@given(typed())
def test_typed_text_keeps_its_length_and_only_digits_change(text: str) -> None:
    masked = mask_text(text)
    assert len(masked) == len(text)
    for before, after in zip(text, masked, strict=True):
        assert after == before or (
            after == "*" and re.fullmatch(r"[\d零一二三四五六七八九幺两]", before)
        )


@settings(max_examples=300, deadline=None)
@given(st.one_of(typed(), spoken()))
def test_nothing_detectable_is_left_and_masking_again_changes_nothing(text: str) -> None:
    masked = mask_text(text)
    assert find_personal_numbers(masked) == []
    assert mask_text(masked) == masked


@settings(max_examples=200, deadline=None)
@given(numbers, noise, noise)
def test_a_number_between_words_never_survives(number: str, before: str, after: str) -> None:
    for shown in (number, grouped(number)):
        masked = mask_text(f"{before}客户{shown}号码{after}")
        assert number not in masked.replace(" ", "")
        assert masked.count("*") >= len(number) - 7  # at most 7 digits stay readable


@settings(max_examples=200, deadline=None)
@given(numbers)
def test_spoken_numbers_never_survive(number: str) -> None:
    for said in (say_zh(number), say_zh(number, ""), say_en(number)):
        masked = mask_text(f"号码 是 {said} 对")
        assert masked != f"号码 是 {said} 对"
        assert find_personal_numbers(masked) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.sampled_from(["national_id", "bank_card", "phone"]))
def test_mask_value_keeps_the_shape_and_is_idempotent(value: str, kind: str) -> None:
    masked = mask_value(value, kind)  # type: ignore[arg-type]
    assert len(masked) == len(value)
    assert mask_value(masked, kind) == masked  # type: ignore[arg-type]
    digits = sum(ch.isdecimal() or ch == "*" for ch in value)  # "*" counts as masked
    assert sum(ch.isdecimal() for ch in masked) <= max(0, min(7, digits - 4))


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=("Nd",)), max_size=60))
def test_text_without_digits_is_unchanged(text: str) -> None:
    if not re.search("[零〇洞幺一二两兩三四五六七八九]", text):
        assert mask_text(text) == text
