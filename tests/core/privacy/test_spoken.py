"""Digit runs: typed groups and digits said one by one, mapped back to the text."""

from __future__ import annotations

import pytest

from agent_assist.privacy import DigitRun, digit_runs, spoken_runs, written_runs


def _digits(text: str) -> list[str]:
    return [run.digits for run in digit_runs(text)]


def _said(text: str, run: DigitRun) -> list[str]:
    return [text[start:end] for start, end in run.spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Chinese, spaced by Vosk or not, with the spoken forms of 0, 1 and 2
        ("一 三 八 一 二 三 四 五 六 七 八", ["13812345678"]),
        ("一三八一二三四五六七八", ["13812345678"]),
        ("幺三八 幺二三四 五六七八", ["13812345678"]),
        ("号码是幺三八一二三四五六七八吗", ["13812345678"]),
        ("两 零 〇 洞", ["2000"]),
        ("一，三、八", ["138"]),
        # English digit words, oh / zero, double and triple
        ("one three eight one two", ["13812"]),
        ("Oh One Zero", ["010"]),
        ("four one five double five five two", ["4155552"]),
        ("triple seven", ["777"]),
        ("a double room", []),
        # typed digits in groups
        ("6222 0212 3456 7890 128", ["6222021234567890128"]),
        ("138-1234-5678 and 010.1234", ["13812345678", "0101234"]),
        ("１３８１２３４５６７８", ["13812345678"]),
        ("110101 19900307 457X先生", ["11010119900307457X"]),
        ("1234x5678", ["1234", "5678"]),
        ("6222  0212", ["6222", "0212"]),  # two spaces end a run
        # the ID check character said aloud ends a run
        ("一 三 叉 五 六", ["13X", "56"]),
        ("one two ex", ["12X"]),
        ("叉烧", []),
    ],
)
def test_digit_runs(text: str, expected: list[str]) -> None:
    assert _digits(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "三千五百",  # amount
        "三千 五百 块",
        "十五 号",  # date
        "一万零五百",
        "百分之五",
        "三点五",
        "twenty five dollars",
        "five hundred",
        "one hundred and five",
        "twenty-five",
        "one point five",
    ],
)
def test_amounts_and_dates_are_not_digit_runs(text: str) -> None:
    assert all(len(run.digits) <= 1 for run in spoken_runs(text)), spoken_runs(text)


def test_an_amount_next_to_a_spoken_number_does_not_join_it() -> None:
    runs = spoken_runs("一 三 八 一 二 三 四 五 六 七 八 五千 块")
    assert [run.digits for run in runs] == ["13812345678"]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("我 的 号 是 一 三 八 一 二", ["一", "三", "八", "一", "二"]),
        ("call one three eight now", ["one", "three", "eight"]),
        ("double five six", ["double five", "double five", "six"]),
        ("卡 6222-0212", ["6", "2", "2", "2", "0", "2", "1", "2"]),
    ],
)
def test_each_digit_maps_back_to_what_was_said(text: str, said: list[str]) -> None:
    (run,) = digit_runs(text)
    assert _said(text, run) == said
    assert (run.start, run.end) == (text.index(said[0]), text.rindex(said[-1]) + len(said[-1]))


def test_typed_numbers_may_start_or_end_only_between_groups() -> None:
    (run,) = written_runs("2024-05-06 13812345678")
    assert run.cuts == (0, 4, 6, 8, 19)
    assert not run.spoken


@pytest.mark.parametrize(
    ("text", "cuts"),
    [
        ("一 三 八", (0, 3)),
        ("统一 一 三 八", (0, 1, 4)),  # 统一's 一 may be the word's
        ("一 三 八 一下", (0, 3, 4)),  # and so may 一下's
        ("no one one three eight", (0, 1, 4)),
        ("oh one three", (0, 1, 3)),  # one word per edge at most
    ],
)
def test_a_doubtful_edge_word_may_be_left_out(text: str, cuts: tuple[int, ...]) -> None:
    (run,) = spoken_runs(text)
    assert run.cuts == cuts
    assert run.spoken


def test_text_without_digits_has_no_runs() -> None:
    assert digit_runs("您好，请问是张先生吗？") == []
    assert digit_runs("") == []
