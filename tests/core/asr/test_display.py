from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_assist.asr.display import for_display
from agent_assist.rules.matcher import compile_pack
from tests.support.rule_builders import pack, rule


@pytest.mark.parametrize(
    ("printed", "shown"),
    [
        ("我 明天 去 你 单位 闹", "我明天去你单位闹"),
        ("我 的 iPhone 坏 了", "我的 iPhone 坏了"),
        ("还 500 块", "还 500 块"),
        ("下 个 月 15 号 还 3000", "下个月 15 号还 3000"),
        ("今日 は いい 天気 です ね", "今日はいい天気ですね"),
        ("好 ， 我 知道 了 。", "好，我知道了。"),
        ("我  知道", "我知道"),  # a run of spaces goes whole
        ("넌 지시 할 수 없다", "넌 지시 할 수 없다"),  # Korean is written with spaces
        ("I will call you back tomorrow", "I will call you back tomorrow"),
        (" 我 ", " 我 "),
        ("", ""),
    ],
)
def test_spaces_go_only_between_two_chinese_or_japanese_characters(
    printed: str, shown: str
) -> None:
    assert for_display(printed).text == shown


def test_every_printed_offset_maps_to_where_it_is_shown() -> None:
    shown = for_display("我 的 iPhone 坏 了")
    assert shown.text == "我的 iPhone 坏了"
    # 我 ␣ 的 ␣ i P h o n e ␣ 坏 ␣ 了 (end)
    assert shown.offsets == (0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11, 12)


def test_a_span_lands_on_the_same_characters_once_spaces_are_dropped() -> None:
    shown = for_display("我 明天 去 你 单位 闹")
    assert shown.text[slice(*shown.span(2, 4))] == "明天"
    assert shown.text[slice(*shown.span(5, 13))] == "去你单位闹"  # spaces inside the span go
    assert shown.text[slice(*shown.span(1, 5))] == "明天"  # a span starting at a dropped space
    assert shown.span(-3, 99) == (0, len(shown.text))  # clamped, never an IndexError


def test_english_is_untouched_and_maps_one_to_one() -> None:
    printed = "you said you would pay 500 by Friday"
    shown = for_display(printed)
    assert shown.text == printed
    assert shown.offsets == tuple(range(len(printed) + 1))
    assert shown.span(9, 12) == (9, 12)


def test_a_matched_flag_span_is_shown_on_the_words_that_matched() -> None:
    """The matcher's offsets index the text as Vosk printed it (what a Flag carries)."""
    matcher = compile_pack(pack("zh", rule("zh.visit", "去 … [你|您] … [单位|公司]")))
    printed = "我 明天 去 你 单位 闹"
    (match,) = matcher.match(printed, "agent")
    assert printed[match.start : match.end] == "去 你 单位"
    shown = for_display(printed)
    start, end = shown.span(match.start, match.end)
    assert shown.text[start:end] == "去你单位"


@given(st.text(alphabet="我的好 ab1 ，", max_size=30))
def test_the_shown_text_is_the_printed_text_less_some_spaces(printed: str) -> None:
    shown = for_display(printed)
    assert len(shown.offsets) == len(printed) + 1
    assert shown.offsets[-1] == len(shown.text)
    assert list(shown.offsets) == sorted(shown.offsets)
    for i, ch in enumerate(printed):
        if ch != " ":
            assert shown.text[shown.offsets[i]] == ch
    assert shown.text.replace(" ", "") == printed.replace(" ", "")
