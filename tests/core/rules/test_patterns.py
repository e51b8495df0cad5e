from __future__ import annotations

import pytest

from agent_assist.rules.patterns import MAX_ALTERNATIVES, PatternError, parse_cue, parse_pattern


@pytest.mark.parametrize(
    ("source", "elements"),
    [
        ("让 你 全家 不得 安宁", (("让 你 全家 不得 安宁",),)),
        ("去 … [你|您] … [单位|公司]", (("去",), ("你", "您"), ("单位", "公司"))),
        ("去…[你|您]…单位", (("去",), ("你", "您"), ("单位",))),
        ("[上门|到家] … 找 [你|您]", (("上门", "到家"), ("找 你", "找 您"))),
        (
            "[sue you|take you to court] ... tomorrow",
            (("sue you", "take you to court"), ("tomorrow",)),
        ),
        ("[ a | b ] c", (("a c", "b c"),)),
        ("去……你", (("去",), ("你",))),  # the Chinese ellipsis is written as two "…"
        (
            "去 ⋯ ［你｜您］",
            (("去",), ("你", "您")),
        ),  # full-width syntax from Chinese input methods
        ("[你|你] 好", (("你 好",),)),  # duplicates dropped
        ("U.S. law", (("U.S. law",),)),  # single dots are text
        ("won't pay", (("won't pay",),)),
        ("[a|b][c|d]", (("ac", "ad", "bc", "bd"),)),
    ],
)
def test_parse_pattern(source: str, elements: tuple[tuple[str, ...], ...]) -> None:
    pattern = parse_pattern(source, within=6, line=3)

    assert pattern.elements == elements
    assert (pattern.within, pattern.source, pattern.line) == (6, source, 3)


@pytest.mark.parametrize(
    ("source", "offset", "fragment"),
    [
        ("", 0, "empty pattern"),
        ("   ", 0, "empty pattern"),
        ("去 [你|您 单位", 2, "`[` is never closed"),
        ("去 你] 单位", 3, "`]` without a matching `[`"),
        ("去 [你|[您]] 单位", 2, "brackets do not nest"),
        ("去 你|您", 3, "`|` outside brackets"),
        ("去 … [你|] … 单位", 7, "empty alternative in `[你|]`"),
        ("[|你]", 1, "empty alternative"),
        ("[你| ]", 3, "empty alternative"),
        ("[你|，]", 3, "alternative '，' has no letters or digits"),
        ("[去 … 你]", 3, "`…` inside `[...]`"),
        ("去 … … 单位", 4, "empty part between two `…`"),
        ("… 去", 0, "nothing before the first `…`"),
        ("去 …", 2, "nothing after the last `…`"),
        ("去 ... ", 2, "nothing after the last `…`"),
        ("去 … ，。 … 单位", 4, "part '，。' has no letters or digits"),
        ("！", 0, "part '！' has no letters or digits"),
    ],
)
def test_pattern_errors(source: str, offset: int, fragment: str) -> None:
    with pytest.raises(PatternError) as caught:
        parse_pattern(source, within=6)

    assert fragment in caught.value.message
    assert caught.value.offset == offset


def test_too_many_alternatives_in_one_part() -> None:
    group = "[" + "|".join(f"w{i}" for i in range(11)) + "]"

    with pytest.raises(PatternError, match=f"limit {MAX_ALTERNATIVES}"):
        parse_pattern(" ".join([group] * 3), within=3)


def test_within_must_be_positive() -> None:
    with pytest.raises(PatternError, match="within must be at least 1"):
        parse_pattern("去", within=0)


@pytest.mark.parametrize(
    ("source", "cues"),
    [
        ("依法", ("依法",)),
        ("[您|你] 刚才 说", ("您 刚才 说", "你 刚才 说")),
        ("[not|never]", ("not", "never")),
    ],
)
def test_parse_cue(source: str, cues: tuple[str, ...]) -> None:
    assert parse_cue(source) == cues


def test_cue_is_one_part() -> None:
    with pytest.raises(PatternError, match="a cue is a single phrase") as caught:
        parse_cue("依法 … 起诉")

    assert caught.value.offset == 3
