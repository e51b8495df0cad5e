from __future__ import annotations

import pytest

from agent_assist.rules import phonetic


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("起诉", ["qi3", "su4"]),
        ("还款", ["huan2", "kuan3"]),  # pypinyin alone says hai2 kuan3
        ("还有", ["hai2", "you3"]),  # the default reading stays where no context applies
        ("去银行还钱", ["qu4", "yin2", "hang2", "huan2", "qian2"]),
        ("重新", ["chong2", "xin1"]),
        ("恐吓", ["kong3", "he4"]),
        ("走了", ["zou3", "le5"]),  # neutral tone is 5
        ("3天a", [None, "tian1", None]),
    ],
)
def test_pinyin(text: str, expected: list[str | None]) -> None:
    assert phonetic.pinyin(text) == expected


@pytest.mark.parametrize(
    ("reading", "expected"),
    [("qǐ", "qi3"), ("lǘ", "lv2"), ("lü", "lv5"), ("le", "le5"), ("ń", "n2"), ("m̀", "m4")],
)
def test_tone3(reading: str, expected: str) -> None:
    assert phonetic.tone3(reading) == expected


def test_codes_are_one_per_character() -> None:
    toned, toneless = phonetic.pinyin_codes("我们3天还款ok")

    assert len(toned) == len(toneless) == len("我们3天还款ok")
    assert toned[2] == toneless[2] == "3"  # no reading: the character itself
    assert toned[-2:] == "ok"
    assert not set(toned[:2]) & set(toneless[:2])  # the two alphabets never meet


def test_homophones_share_codes() -> None:
    assert phonetic.pinyin_codes("起速你") == phonetic.pinyin_codes("起诉你")
    assert phonetic.pinyin_codes("环款")[0] == phonetic.pinyin_codes("还款")[0]


def test_tones_tell_short_words_apart() -> None:
    shiye_toned, shiye_toneless = phonetic.pinyin_codes("失业")
    other_toned, other_toneless = phonetic.pinyin_codes("事业")

    assert shiye_toneless == other_toneless
    assert shiye_toned != other_toned


def test_has_reading() -> None:
    assert phonetic.has_reading("诉")
    assert not phonetic.has_reading("3")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("sue", "sew", True),
        ("sue", "so", False),  # metaphone alone would say S for all three
        ("sue", "see", False),
        ("you", "yew", True),
        ("court", "caught", False),
        ("500", "500", True),
        ("500", "five", False),
    ],
)
def test_english_key(a: str, b: str, same: bool) -> None:
    assert (phonetic.english_key(a) == phonetic.english_key(b)) is same
