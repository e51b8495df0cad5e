from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_assist.rules import normalize as normalize_module
from agent_assist.rules.model import Language
from agent_assist.rules.normalize import Normalized, normalize, normalize_text


def _pieces(original: str, norm: Normalized) -> list[str]:
    """The original text behind each normalised word."""
    return [original.__getitem__(slice(*norm.original_span(s, e))) for s, e in norm.words]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们 会 去 你 单位", "我们会去你单位"),  # Vosk's spaces go
        ("我們會去您單位", "我们会去您单位"),  # traditional → simplified
        ("三天之内，还清！", "3天之内还清"),  # punctuation goes
        ("３天", "3天"),  # NFKC
        ("三十天 两万三 一百零五", "30天23000105"),
        ("一天 两天 一次", "1天2天1次"),  # 一/两 before a counter are numbers
        ("等一下 一点 一定 万一 唯一 一起", "等一下一点一定万一唯一一起"),  # …elsewhere words
        ("下午 两点 一点半", "下午2点1点半"),  # 两点 is a time (as 三点 is), 一点 alone is not
        ("万一 一下", "万一一下"),  # a word boundary between numerals is not one number
        ("五 万 块", "50000块"),  # …but one next to a unit is
        ("5万 3.5万", "5000035000"),
        ("1,000元", "1000元"),
        ("APP 下载 Credit Card", "app下载credit card"),  # Latin words keep one space
    ],
)
def test_chinese(text: str, expected: str) -> None:
    assert normalize(text, "zh").text == expected


def test_chinese_word_boundaries_come_from_the_spaces() -> None:
    text = "我们 会 去 你 单位"
    norm = normalize(text, "zh")

    assert _pieces(text, norm) == ["我们", "会", "去", "你", "单位"]


def test_chinese_map_back_per_character() -> None:
    text = "三天內，還清"
    norm = normalize(text, "zh")

    assert norm.text == "3天内还清"
    assert [text[s:e] for s, e in zip(norm.starts, norm.ends, strict=True)] == list("三天內還清")
    assert text.__getitem__(slice(*norm.original_span(0, len(norm.text)))) == text


def test_a_number_maps_to_all_of_its_numerals() -> None:
    text = "两万三千块"
    norm = normalize(text, "zh")

    assert norm.text == "23000块"
    assert {(s, e) for s, e in zip(norm.starts[:5], norm.ends[:5], strict=True)} == {(0, 4)}


def test_punctuation_starts_a_clause() -> None:
    assert normalize("不会。我们去", "zh").clauses == (0, 0, 1, 1, 1)
    assert normalize("no, we will", "en").clauses == (0, 0) + (1,) * 8
    assert normalize("不会 我们 去", "zh").clauses == (0,) * 5  # Vosk prints no punctuation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We WON'T sue you", "we will not sue you"),
        ("we will not sue you", "we will not sue you"),
        ("I can't, I cannot", "i can not i can not"),
        ("I'll pay. Don't worry!", "i will pay do not worry"),
        ("we're here, I'm sure", "we are here i am sure"),
        ("it's John's", "it s john s"),  # 's is ambiguous: kept as a word
        ("you’ve got it", "you have got it"),  # typographic apostrophe
        ("O'Brien  o'clock", "o brien o clock"),
        ("pay $1,000 or 5.5 percent", "pay 1000 or 5.5 percent"),
        ("twenty five dollars", "25 dollars"),  # number words are digits (see test_numerals)
        ("follow-up -- now", "follow up now"),
        ("  ", ""),
    ],
)
def test_english(text: str, expected: str) -> None:
    assert normalize(text, "en").text == expected


def test_english_words_map_back() -> None:
    text = "Don't  call, we won't."
    norm = normalize(text, "en")

    assert norm.text == "do not call we will not"
    assert _pieces(text, norm) == ["Do", "n't", "call", "we", "won't", "won't"]


def test_english_per_character_map() -> None:
    text = "Sue YOU"
    norm = normalize(text, "en")

    assert [text[s:e] for s, e in zip(norm.starts, norm.ends, strict=True)] == list("Sue YOU")


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("我們会去一二两三十万點 ,.，。'’!?aBcＡ１2 \u0301İﬁ①")),
        max_size=30,
    ),
    language=st.sampled_from(["zh", "en"]),
)
def test_map_is_always_well_formed(text: str, language: Language) -> None:
    norm = normalize(text, language)

    assert len(norm.starts) == len(norm.ends) == len(norm.clauses) == len(norm.text)
    assert all(0 <= s < e <= len(text) for s, e in zip(norm.starts, norm.ends, strict=True))
    assert list(norm.starts) == sorted(norm.starts)
    assert list(norm.clauses) == sorted(norm.clauses)
    assert all(0 <= s < e <= len(norm.text) for s, e in norm.words)
    assert normalize(norm.text, language).text == norm.text  # idempotent
    assert normalize_text(text, language) == norm.text


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(
        st.text(
            alphabet=st.sampled_from(list("我們会去一二两三十万天下点還款")), min_size=1, max_size=4
        ),
        max_size=12,
    )
)
def test_chinese_fast_path_agrees_with_the_general_one(words: list[str]) -> None:
    text = " ".join(words)  # how Vosk prints
    fast = normalize(text, "zh")
    general = normalize_module._normalize_zh(text, fast=False)

    assert (fast.text, fast.starts, fast.ends) == (general.text, general.starts, general.ends)
    assert (fast.words, fast.clauses) == (general.words, general.clauses)
    assert normalize_text(text, "zh") == fast.text


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(["we", "won't", "sue", "you", "don't", "it's", "gonna", "o'clock", "5"]),
        max_size=12,
    )
)
def test_english_fast_path_agrees_with_the_general_one(words: list[str]) -> None:
    text = " ".join(words)
    fast = normalize(text, "en")
    general = normalize_module._normalize_en(text, fast=False)

    assert (fast.text, fast.starts, fast.ends) == (general.text, general.starts, general.ends)
    assert (fast.words, fast.clauses) == (general.words, general.clauses)
    assert normalize_text(text, "en") == fast.text
