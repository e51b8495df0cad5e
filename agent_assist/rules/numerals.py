"""Numbers in normalised text: numerals and number words become digits.

Numbers are said in more ways than they are typed: the clean text of a call
has 十五号, 15号, "50 dollars on the 15th", Vosk prints 十五 号, 一 二 三 七 八
(hotlines spelled digit by digit) and "fifty dollars on the fifteenth". Rules
are written in either form and must match both, so patterns and transcripts
alike get digits. This module finds the numbers; each digit maps back to the
whole original run, spaces inside included (``splice`` and ``with_english``).

Chinese (``chinese_numbers``), on text with Vosk's spaces removed and word
starts kept as ``heads``:

- Spelled digit strings: three or more digit characters (零〇一二两三四五六七八九幺,
  幺 being 1) in a row, whether Vosk spaced them or not: 一 二 三 七 八 and
  幺 二 三 七 八 = 12378, 打 一 一 零 = 打110. Words that only end or start with
  a numeral (统一, 一下) are not part of one, one made only of 一/两/幺 is
  none (一一: one by one), and a run next to 十百千万亿 is an amount.
- Other numeral runs through cn2an: 十五 = 15, 三千二百 = 3200, 一万五 = 15000,
  两千 = 2000. A run is cut where Vosk put a space between two plain numerals
  (万一 一下) but not next to a unit (三千 五百, 五 万). No number starts with
  百千万亿 (万一, 千万, 百分之); 十 does (十五), except in 几十 ("dozens"). A last
  一 that starts a word is not the number's (两万八一直 = 28000一直).
- Runs made only of 一/两/幺, and a lone 十, are numbers only before a counter
  (一天, 两 个, 十 号; whether or not Vosk put a space before it): 一下, 一点,
  一定, 一起, 一直, 一样, 唯一, 统一, 万一, 十分 and 十几 stay words. 两点 is
  2点 (o'clock, as 三点 is 3点) and 一点半 / 一点钟 are 1点…, but 一点 alone
  ("a little") stays.

English (``english_numbers``, on words), parsed by text2num:

- Cardinals zero … nineteen, the tens, hundred, thousand, million, with
  "and" and "point" inside: "one hundred and fifty" = 150, "twenty five" and
  "twenty-five" = 25, "three thousand two hundred" = 3200, "three point
  five" = 3.5; "a hundred" = 100 (the "a" is part of the number).
- Ordinals as whole words: "first" = 1st, "thirty first" = 31st, "the
  fifteenth" = "the 15th".
- Three or more digits said one by one are one string, as in Chinese:
  "nine one one" = 911, "four four seven" = 447, "zero one nine" = 019.
- Words, not numbers: "one" in "no one", "one of", "the one" (someone,
  anyone are other words anyway); "second" after "a" or a cardinal (the unit
  of time: "wait a second", "one second"; elsewhere it is 2nd); "ones", "tens",
  "o", "oh" and "billion" (text2num's "billion" sequences are unreliable, and
  collection calls do not need them).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from functools import lru_cache

import cn2an
from text_to_num import find_numbers

from agent_assist.rules.textmap import Item, Segment

Number = tuple[int, int, str]  # start, end (exclusive) and its digits

# --- Chinese --------------------------------------------------------------

_DIGITS = "零〇一二两三四五六七八九幺"  # characters that say one digit
_UNITS = "十百千万亿"
_LEADING_UNITS = frozenset(_UNITS) - {"十"}  # 十五 is 15; 万一, 千万, 百分之 are words
_RUN = re.compile(rf"\d+(?:\.\d+)?[{_UNITS}]+[{_DIGITS}{_UNITS}]*|[{_DIGITS}{_UNITS}]+")
_SPELLED = re.compile(rf"[{_DIGITS}]{{3,}}")
_DIGIT_OF = str.maketrans(_DIGITS, "0012234567891")
_WORDLIKE = frozenset("一两幺")  # also 一一 (one by one)
_COUNTERS = frozenset("天日号月年周次期个元块笔份位家岁张倍")
_COUNTER_WORDS = ("小时", "分钟", "星期", "礼拜", "点半", "点钟")
# 一 starting a word after a number is not the number's last digit: 两万八一直 is
# 28000 一直, not 28001 直. (Not 点: 十一点 is eleven o'clock.)
_AFTER_ONE = frozenset("直下定起样般些共切旦")


def has_chinese_numeral(text: str) -> bool:
    """Whether ``text`` may hold a number (for fast paths): a numeral or unit."""
    return _RUN.search(text) is not None


def chinese_numbers(text: str, heads: Sequence[int]) -> list[Number]:
    """Numeral runs of ``text`` that are numbers, with their digits, in order.

    ``heads`` are where words start (after Vosk's spaces, after punctuation).
    """
    runs = list(_RUN.finditer(text))
    if not runs:
        return []
    starts = set(heads)
    found: list[Number] = []
    for m in runs:
        at, stop = m.span()
        for start, end in _spelled(text, at, stop, starts):
            found.extend(_counted(text, at, start, starts))
            found.append((start, end, text[start:end].translate(_DIGIT_OF)))
            at = end
        found.extend(_counted(text, at, stop, starts))
    return found


def _spelled(text: str, begin: int, stop: int, heads: set[int]) -> list[tuple[int, int]]:
    """Digit strings in the run ``text[begin:stop]``: 一 二 三 七 八, 打一一零."""
    found: list[tuple[int, int]] = []
    for m in _SPELLED.finditer(text, begin, stop):
        start, end = m.span()
        inner = [i for i in range(start + 1, end) if i in heads]
        if inner:  # a word that only ends or starts with numerals is not in it (统一 三 五)
            if start not in heads:
                start = inner[0]
            if end != len(text) and end not in heads:
                end = inner[-1]
        # Only 一/两/幺 (一一, 一 一下) is not a string: what is left of one
        # after the words came off must stay as it is when normalised again.
        if end - start < 3 or set(text[start:end]) <= _WORDLIKE:
            continue
        if start > 0 and text[start - 1] in _UNITS:
            continue
        if end < len(text) and text[end] in _UNITS:  # 一 二 三 万: an amount, not a string
            continue
        found.append((start, end))
    return found


def _counted(text: str, begin: int, stop: int, heads: set[int]) -> list[Number]:
    """Numbers (not digit strings) in ``text[begin:stop]``, a part of a numeral run."""
    if begin >= stop:
        return []
    # A word boundary between two plain numerals cuts ("万一 一下" is two words),
    # one next to a unit does not ("三千 五百", "五 万").
    cuts = [
        i
        for i in range(begin + 1, stop)
        if i in heads and text[i - 1] not in _UNITS and text[i] not in _UNITS
    ]
    found: list[Number] = []
    for first, last in zip([begin, *cuts], [*cuts, stop], strict=True):
        start, end = first, last
        while start < end and text[start] in _LEADING_UNITS:
            start += 1
        if end - start > 1 and text[end - 1] == "一" and text[end : end + 1] in _AFTER_ONE:
            end -= 1
        run = text[start:end]
        if not run or (run[0] == "十" and text[start - 1 : start] == "几"):  # 几十: "dozens"
            continue
        if (set(run) <= _WORDLIKE or run == "十") and not _counts(text, end, run):
            continue
        value = _numeral_value(run)
        if value is not None:
            found.append((start, end, value))
    return found


def _counts(text: str, end: int, run: str) -> bool:
    """Whether a counter follows ``run`` (ending at ``end``): 一天, 两 个, 十 号."""
    if text[end : end + 1] in _COUNTERS or text.startswith(_COUNTER_WORDS, end):
        return True
    return run[-1] == "两" and text.startswith("点", end)  # 两点 is a time; 一点 is "a little"


@lru_cache(maxsize=4096)
def _numeral_value(run: str) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cn2an warns as well as raising on bad input
        try:
            value = cn2an.cn2an(run, "smart")
        except (ValueError, KeyError, IndexError, TypeError):
            return None
    return str(value)


def splice(items: list[Item], segments: list[Segment], numbers: list[Number]) -> list[Item]:
    """Digits in place of numeral runs, each digit standing for the whole run.

    ``segments`` are those of ``items`` assembled and ``numbers`` are spans of
    that text; items that a number touches are cut at its edges.
    """
    out: list[Item] = []
    k = 0  # the next number
    for item, (a, b, *_) in zip(items, segments, strict=True):
        if k == len(numbers) or numbers[k][0] >= b:
            out.append(item)
            continue
        piece, o_start, o_end, exact, clause, glue, head = item
        x = a
        while x < b:
            start, end, value = numbers[k] if k < len(numbers) else (b, b, "")
            y = min(b, end if start <= x else start)
            o_span = (o_start + x - a, o_start + y - a) if exact else (o_start, o_end)
            lead = (glue, head) if x == a else ("", False)
            if x < start:
                out.append((piece[x - a : y - a], *o_span, exact, clause, *lead))
            elif x == start:
                out.append((value, *o_span, False, clause, *lead))
            else:  # the rest of a number begun in an earlier item
                digits = out[-1]
                out[-1] = (*digits[:2], o_span[1], *digits[3:])
            if start <= x and end <= b:
                k += 1
            x = y
    return out


# --- English --------------------------------------------------------------

_CARDINALS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million"
)
_ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
    "thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth hundredth "
    "thousandth millionth"
)
_CARDINAL_WORDS = frozenset(_CARDINALS.split())
_DIGIT_WORDS = frozenset(_CARDINALS.split()[:10])  # zero … nine
_NUMBER_WORDS = _CARDINAL_WORDS | frozenset(_ORDINALS.split())
# What text2num may read as part of a number; anything else (ones, tens, o,
# billion, …) it must leave alone, so this set alone decides what is a number.
_PARTS = _NUMBER_WORDS | {"and", "point"}
_SCALES = frozenset(("hundred", "thousand", "million"))  # "a hundred" = 100


class _Word:
    """A word as text2num's ``find_numbers`` reads it (its Token protocol).

    Its methods are called from Rust and must not raise: an exception there
    becomes a panic.
    """

    __slots__ = ("_apart", "_text")

    def __init__(self, text: str, apart: bool) -> None:
        self._text = text
        self._apart = apart

    def text(self) -> str:
        return self._text

    def nt_separated(self, previous: object) -> bool:
        return self._apart  # a clause break: "one, two" are two numbers

    def not_a_number_part(self) -> bool:
        return self._text not in _PARTS


def has_english_number(words: Sequence[str]) -> bool:
    """Whether any of ``words`` is a number word (for fast paths)."""
    return not _NUMBER_WORDS.isdisjoint(words)


def english_numbers(words: Sequence[str], apart: Sequence[bool]) -> list[Number]:
    """Numbers among ``words`` as (first word, end word, digits), in order.

    ``apart[i]`` says word ``i`` does not continue the number before it (it
    starts a clause, or is a piece glued to the previous word).
    """
    hits = [i for i, word in enumerate(words) if word in _NUMBER_WORDS]
    if not hits:
        return []
    lo, hi = hits[0], hits[-1] + 1  # the rest are no number parts: fewer calls back
    tokens = [_Word(words[i], apart[i]) for i in range(lo, hi)]
    found: list[Number] = []
    # threshold 0: every number; by default text2num leaves those under 3 as words
    # ("two kids"), but then "2 kids" in the clean text would not match.
    for occurrence in find_numbers(tokens, "en", threshold=0.0):
        i, j, digits = int(occurrence.start) + lo, int(occurrence.end) + lo, str(occurrence.text)
        if j - i == 1 and _is_word(words, apart, i):
            continue
        if words[i] in _SCALES and i > 0 and words[i - 1] == "a" and not apart[i]:
            i -= 1  # "a hundred": text2num reads only "hundred"
        found.append((i, j, digits))
    return _strings(found, words, apart)


def _is_word(words: Sequence[str], apart: Sequence[bool], i: int) -> bool:
    """Whether the lone number word ``words[i]`` is meant as a word here."""
    before = words[i - 1] if i > 0 and not apart[i] else ""
    after = words[i + 1] if i + 1 < len(words) and not apart[i + 1] else ""
    if words[i] == "one":
        return before in ("no", "the") or after == "of"
    if words[i] == "second":  # a second, one second, 1 second, twenty one second
        return before == "a" or before in _CARDINAL_WORDS or before.replace(".", "").isdigit()
    return False


def _strings(found: list[Number], words: Sequence[str], apart: Sequence[bool]) -> list[Number]:
    """Three or more digits said one by one become one string: nine one one = 911."""
    out: list[Number] = []
    row: list[Number] = []  # digits said one by one, each right after the one before
    end: Number = (-1, -1, "")
    for number in [*found, end]:
        i, j, _ = number
        single = i >= 0 and all(words[k] in _DIGIT_WORDS for k in range(i, j))  # 01: zero one
        if row and not (single and i == row[-1][1] and not apart[i]):
            joined = (row[0][0], row[-1][1], "".join(d for _, _, d in row))
            out.extend([joined] if row[-1][1] - row[0][0] >= 3 else row)
            row = []
        if single:
            row.append(number)
        elif number is not end:
            out.append(number)
    return out


def with_english(items: list[Item]) -> list[Item]:
    """``items`` (one per English word) with number words replaced by digits."""
    words = [item[0] for item in items]
    if not has_english_number(words):
        return items
    apart = [k == 0 or not it[6] or it[4] != items[k - 1][4] for k, it in enumerate(items)]
    out = list(items)
    for i, j, digits in reversed(english_numbers(words, apart)):
        first, last = items[i], items[j - 1]
        out[i:j] = [(digits, first[1], last[2], False, first[4], first[5], True)]
    return out
