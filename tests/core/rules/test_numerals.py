from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_assist.rules import normalize as normalize_module
from agent_assist.rules import numerals
from agent_assist.rules.matcher import compile_pack
from agent_assist.rules.model import Language
from agent_assist.rules.normalize import normalize, normalize_text
from tests.support.rule_builders import pack, rule


def _original(text: str, language: Language, value: str) -> str:
    """The original text behind the normalised ``value`` (a number)."""
    norm = normalize(text, language)
    start = norm.text.index(value)
    return text.__getitem__(slice(*norm.original_span(start, start + len(value))))


# --- Chinese --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 十 starts a number, with or without Vosk's space before the counter
        ("十五号", "15号"),
        ("十五 号", "15号"),
        ("我 下 个 月 十五 号 还 三千二百", "我下个月15号还3200"),
        ("十 号", "10号"),
        ("二十 号 三十五 块", "20号35块"),
        # spelled digit by digit (hotlines, phone numbers), spaced or not
        ("一 二 三 七 八", "12378"),
        ("三 一 五", "315"),
        ("打 一 一 零", "打110"),
        ("幺 二 三 七 八", "12378"),
        ("一二三七八", "12378"),
        ("请拨打一二三七八，谢谢", "请拨打12378谢谢"),
        ("二零二五 年", "2025年"),
        ("零 零 七", "007"),
        # amounts through cn2an
        ("一万五", "15000"),
        ("两千", "2000"),
        ("三千 五百", "3500"),
        ("五 万 块", "50000块"),
        ("三十 多 岁", "30多岁"),
        ("晚上 十一 点", "晚上11点"),
        ("欠了两万八一直不还", "欠了28000一直不还"),  # a word 一直 follows: not 28001直
        ("三百 一直", "300一直"),
        # 一/两/幺 and a lone 十 are numbers before a counter…
        ("一天 两 个 一 次", "1天2个1次"),
        ("两 小时 一 星期", "2小时1星期"),
        ("下午 两点 一点半 一点钟", "下午2点1点半1点钟"),
        # …and words elsewhere
        ("等 一下 一点 一定 一起 一直 一样", "等一下一点一定一起一直一样"),
        ("唯一 统一 万一 千万 百分之", "唯一统一万一千万百分之"),
        ("十分 感谢", "十分感谢"),
        ("几十 块 十几 个 几十万", "几十块十几个几十万"),
        ("万一 一下", "万一一下"),
        ("一 一", "一一"),
        ("一 一 一", "一一一"),  # only 一/两/幺: one by one, not a number
        # a word that only ends or starts with a numeral stays out of a digit string
        ("统一 三 五 七", "统一357"),
        ("三 五 一下", "35一下"),
        ("唯一 一 个", "唯一1个"),
        # digits and spaced digits already
        ("15号 1,000元", "15号1000元"),
    ],
)
def test_chinese(text: str, expected: str) -> None:
    assert normalize(text, "zh").text == expected
    assert normalize_text(text, "zh") == expected


@pytest.mark.parametrize(
    ("text", "value", "original"),
    [
        ("十五 号", "15", "十五"),
        ("我 下 个 月 十五 号 还 三千二百", "3200", "三千二百"),
        ("一 二 三 七 八", "12378", "一 二 三 七 八"),  # the spaces inside too
        ("请 打 一 一 零", "110", "一 一 零"),
        ("三千 五百 块", "3500", "三千 五百"),
        ("拨打一二三七八，谢谢", "12378", "一二三七八"),
    ],
)
def test_chinese_number_maps_to_the_whole_run(text: str, value: str, original: str) -> None:
    assert _original(text, "zh", value) == original


def test_each_digit_maps_to_the_whole_run() -> None:
    text = "打 一 一 零 吧"
    norm = normalize(text, "zh")

    assert norm.text == "打110吧"
    assert [(s, e) for s, e in zip(norm.starts, norm.ends, strict=True)] == [
        (0, 1),
        (2, 7),
        (2, 7),
        (2, 7),
        (8, 9),
    ]


def test_chinese_numbers_directly() -> None:
    # Vosk's "一 二 三" with its spaces removed: words start at 0, 1 and 2.
    assert numerals.chinese_numbers("一二三", [0, 1, 2]) == [(0, 3, "123")]
    assert numerals.chinese_numbers("统一三五", [0, 2, 3]) == [(2, 3, "3"), (3, 4, "5")]
    assert numerals.chinese_numbers("我们", [0]) == []


# --- English --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fifty dollars on the fifteenth", "50 dollars on the 15th"),
        ("50 dollars on the 15th", "50 dollars on the 15th"),
        ("one hundred and fifty", "150"),
        ("a hundred", "100"),
        ("a thousand dollars", "1000 dollars"),
        ("twenty five", "25"),
        ("twenty-five", "25"),
        ("Twenty-Five Dollars!", "25 dollars"),
        ("three thousand two hundred", "3200"),
        ("two million three hundred thousand", "2300000"),
        ("zero or nineteen", "0 or 19"),
        ("i paid one", "i paid 1"),
        ("i have two kids", "i have 2 kids"),
        ("three point five percent", "3.5 percent"),
        # ordinals, as whole words
        ("first", "1st"),
        ("the first time", "the 1st time"),
        ("the thirty-first", "the 31st"),
        ("on the thirty first of may", "on the 31st of may"),
        ("the second of may", "the 2nd of may"),
        ("your second payment", "your 2nd payment"),
        ("the twelfth", "the 12th"),
        # three or more single digits are one string
        ("call nine one one", "call 911"),
        ("case number four four seven", "case number 447"),
        ("zero one nine", "019"),
        ("twenty one two three", "21 2 3"),  # 21 is not said digit by digit
        ("one two", "1 2"),
        ("one, two, three", "1 2 3"),  # a clause break parts numbers
        # words, not numbers
        ("no one called", "no one called"),
        ("one of them", "one of them"),
        ("the one i want", "the one i want"),
        ("someone anyone everyone", "someone anyone everyone"),
        ("wait a second", "wait a second"),
        ("one second", "1 second"),
        ("ones and tens", "ones and tens"),
        ("at five o'clock", "at 5 o clock"),
        ("a billion", "a billion"),
        ("once", "once"),
        ("and point", "and point"),
        # contractions and numbers together
        ("I won't pay fifty", "i will not pay 50"),
    ],
)
def test_english(text: str, expected: str) -> None:
    assert normalize(text, "en").text == expected
    assert normalize_text(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "value", "original"),
    [
        ("pay one hundred and fifty dollars", "150", "one hundred and fifty"),
        ("a hundred dollars", "100", "a hundred"),
        ("Twenty-Five Dollars", "25", "Twenty-Five"),
        ("on the fifteenth", "15th", "fifteenth"),
        ("call nine one one", "911", "nine one one"),
        ("We’ll pay fifty", "50", "fifty"),  # the general path (not plain ASCII)
    ],
)
def test_english_number_maps_to_the_whole_run(text: str, value: str, original: str) -> None:
    assert _original(text, "en", value) == original


def test_english_numbers_directly() -> None:
    words = ["twenty", "five", "and", "no", "one"]
    apart = [True, False, False, False, False]

    assert numerals.english_numbers(words, apart) == [(0, 2, "25")]
    assert numerals.english_numbers(["twenty", "five"], [True, True]) == [
        (0, 1, "20"),
        (1, 2, "5"),
    ]
    assert numerals.english_numbers(["we", "will"], [True, False]) == []


# --- matching -------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "patterns", "texts"),
    [
        ("zh", ("十五 号 还",), ("我 十五 号 还", "我15号还", "我十五号还")),
        ("zh", ("15号还",), ("我 十五 号 还", "我十五号还")),
        ("zh", ("打 12378",), ("再 骚扰 我 就 打 一 二 三 七 八", "再骚扰我就打12378")),
        ("zh", ("打 幺 二 三 七 八",), ("我 就 打 一 二 三 七 八", "我就打12378")),
        ("en", ("50 dollars on the 15th",), ("fifty dollars on the fifteenth",)),
        ("en", ("fifty dollars on the fifteenth",), ("I can pay 50 dollars on the 15th",)),
        ("en", ("a hundred times",), ("we will call you 100 times",)),
    ],
)
def test_rules_in_either_form_match_both(
    language: Language, patterns: tuple[str, ...], texts: tuple[str, ...]
) -> None:
    compiled = compile_pack(pack(language, rule("r", *patterns)))

    for text in texts:
        assert [m.rule_id for m in compiled.match(text, "agent")] == ["r"], text


@pytest.mark.parametrize(
    ("language", "pattern", "text", "shown"),
    [
        ("zh", "15号", "我 十五 号 还", "十五 号"),
        ("zh", "打 110", "我 就 打 一 一 零 了", "打 一 一 零"),
        ("en", "50 dollars", "I can pay fifty dollars", "fifty dollars"),
        ("en", "the 15th", "on the Fifteenth, OK?", "the Fifteenth"),
    ],
)
def test_a_match_shows_what_was_said(
    language: Language, pattern: str, text: str, shown: str
) -> None:
    compiled = compile_pack(pack(language, rule("r", pattern)))

    assert [m.matched_text for m in compiled.match(text, "agent")] == [shown]


def test_fixed_expressions_do_not_match_the_number() -> None:
    compiled = compile_pack(pack("en", rule("r", "1 called")))

    assert compiled.match("no one called", "agent") == []
    assert [m.matched_text for m in compiled.match("one called", "agent")] == ["one called"]


# --- properties -----------------------------------------------------------

_ZH_WORDS = [*"零一二两三四五六七八九幺十百千万几号天点下定个统唯分半", "，", "钟"]
_EN_SAMPLE = (
    "a the no one of two three second first fifteenth hundred thousand million and point "
    "nine seven twenty thirty-first dollars on wait ones o'clock won't , ."
)
_EN_WORDS = _EN_SAMPLE.split()


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet=st.sampled_from(_ZH_WORDS), min_size=1, max_size=3), max_size=10
    )
)
def test_chinese_numbers_are_stable(words: list[str]) -> None:
    text = " ".join(words)  # how Vosk prints
    norm = normalize(text, "zh")
    general = normalize_module._normalize_zh(text, fast=False)

    assert normalize(norm.text, "zh").text == norm.text  # idempotent
    assert normalize_text(text, "zh") == norm.text
    assert (general.text, general.starts, general.ends) == (norm.text, norm.starts, norm.ends)
    assert all(0 <= s < e <= len(text) for s, e in zip(norm.starts, norm.ends, strict=True))


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(_EN_WORDS), max_size=12))
def test_english_numbers_are_stable(words: list[str]) -> None:
    text = " ".join(words)
    norm = normalize(text, "en")
    general = normalize_module._normalize_en(text, fast=False)

    assert normalize(norm.text, "en").text == norm.text  # idempotent
    assert normalize_text(text, "en") == norm.text
    assert (general.text, general.starts, general.ends) == (norm.text, norm.starts, norm.ends)
    assert (general.words, general.clauses) == (norm.words, norm.clauses)
