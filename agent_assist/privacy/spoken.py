"""Digit runs in text, typed or spoken, with each digit's place in the original.

The detectors validate digit strings (ID checksums, Luhn, phone plans), but a
number reaches us in several shapes: typed in groups ("6222 0212 3456 7890
128"), or spelled digit by digit in a Vosk transcript ("一 三 八 …", "幺三八…",
"one three eight …"). A ``DigitRun`` gives the plain digits and the span each
digit came from, so a match found in the digits can be masked in the text.

Only digits said one by one make a spoken run: a numeral next to a unit
(三千五百, 十五 号, "twenty five", "five hundred") is part of an amount or a date
and breaks the run, so amounts are never read as digit strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Span = tuple[int, int]

ZH_DIGITS: dict[str, str] = {
    "零": "0", "〇": "0", "洞": "0", "幺": "1", "一": "1", "二": "2", "两": "2", "兩": "2",
    "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
}  # fmt: skip
EN_DIGITS: dict[str, str] = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
# How the ID check character X is said (叉, "x", "ex"); only an ID accepts it.
ZH_CHECK = "叉"
EN_CHECK = frozenset({"x", "ex"})
# A digit next to one of these is part of an amount, a decimal or a date.
ZH_UNITS = frozenset("十百千万亿拾佰仟萬億点點")
EN_NUMBER_WORDS = frozenset({
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
    "ninety", "hundred", "thousand", "million", "billion", "point",
})  # fmt: skip
EN_REPEATS = {"double": 2, "triple": 3}
# Edge words that are often not digits at all ("no one", "oh, ..."): a number
# may start or end just inside them.
EN_WEAK = frozenset({"oh", "one"})

_SEPARATORS = " \u00a0\u3000.-\u2010\u2011\u2013\uff0d"
# Typed digits in groups split by one separator; a final X is the ID check character.
_WRITTEN = re.compile(rf"\d+(?:[{re.escape(_SEPARATORS)}]\d+)*(?:[Xx](?![A-Za-z\d]))?")
_SPOKEN = re.compile("[" + "".join(ZH_DIGITS) + ZH_CHECK + "]|[A-Za-z]+")
_SPOKEN_GAP = re.compile(r"[\s,，、\-]*")


@dataclass(frozen=True, slots=True)
class DigitRun:
    """Consecutive digits of one number-like stretch of text."""

    digits: str  # ASCII 0-9, and "X" for the ID check character
    spans: tuple[Span, ...]  # original span of each digit ("double five" shares one)
    cuts: tuple[int, ...]  # digit offsets where a number inside the run may start or end
    spoken: bool

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


def digit_runs(text: str) -> list[DigitRun]:
    """Every typed and spoken digit run of ``text``, in order of position."""
    runs = written_runs(text) + spoken_runs(text)
    runs.sort(key=lambda run: run.start)
    return runs


def written_runs(text: str) -> list[DigitRun]:
    """Typed digits (any script's decimal digits), groups split by a space, hyphen or dot."""
    runs: list[DigitRun] = []
    for match in _WRITTEN.finditer(text):
        digits: list[str] = []
        spans: list[Span] = []
        cuts = [0]
        for i in range(match.start(), match.end()):
            ch = text[i]
            if ch.isdecimal():
                digits.append(str(int(ch)))  # full-width and other scripts' digits too
                spans.append((i, i + 1))
            elif ch in "Xx":
                digits.append("X")
                spans.append((i, i + 1))
            else:
                cuts.append(len(digits))  # numbers are typed whole groups at a time
        cuts.append(len(digits))
        runs.append(DigitRun("".join(digits), tuple(spans), tuple(cuts), spoken=False))
    return runs


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    digits: str
    weak_before: bool  # may be a word's, not the number's, when it opens a run
    weak_after: bool  # likewise when it closes one


def spoken_runs(text: str) -> list[DigitRun]:
    """Chinese and English digits said one by one, e.g. "幺 三 八" or "one three eight"."""
    runs: list[DigitRun] = []
    group: list[_Token] = []
    for token in _spoken_tokens(text):
        joins = group and group[-1].digits != "X"  # X ends an ID, so it ends a run
        if token is not None and joins and _SPOKEN_GAP.fullmatch(text, group[-1].end, token.start):
            group.append(token)
            continue
        if group:
            runs.append(_run(group))
        group = [token] if token is not None else []
    if group:
        runs.append(_run(group))
    return [run for run in runs if run.digits != "X"]


def _run(tokens: list[_Token]) -> DigitRun:
    spans = tuple((t.start, t.end) for t in tokens for _ in t.digits)
    digits = "".join(t.digits for t in tokens)
    cuts = {0, len(digits)}
    # Trim at most one doubtful token per edge: 统一 一 三 八…, …七 八 一下, "no one one three…".
    if len(tokens) > 1 and tokens[0].weak_before:
        cuts.add(len(tokens[0].digits))
    if len(tokens) > 1 and (tokens[-1].weak_after or tokens[-1].digits == "X"):
        cuts.add(len(digits) - len(tokens[-1].digits))
    return DigitRun(digits, spans, tuple(sorted(cuts)), spoken=True)


def _spoken_tokens(text: str) -> list[_Token | None]:
    """Digit tokens, with ``None`` for any word that breaks a run."""
    matches = list(_SPOKEN.finditer(text))
    words = [m.group().lower() for m in matches]
    tokens: list[_Token | None] = []
    skip_to = -1
    for k, match in enumerate(matches):
        if k <= skip_to:
            continue
        word, start, end = words[k], match.start(), match.end()
        if word in ZH_DIGITS or word == ZH_CHECK:
            before, after = _neighbour(text, start, -1), _neighbour(text, end, 1)
            if before in ZH_UNITS or after in ZH_UNITS:
                tokens.append(None)
                continue
            weak_before = start > 0 and text[start - 1].isalpha()
            weak_after = end < len(text) and text[end].isalpha()
            digit = ZH_DIGITS.get(word, "X")
            tokens.append(_Token(start, end, digit, weak_before, weak_after))
            continue
        prev_word = words[k - 1] if k > 0 and _adjacent(text, matches[k - 1], match) else ""
        nxt = matches[k + 1] if k + 1 < len(matches) else None
        next_word = words[k + 1] if nxt is not None and _adjacent(text, match, nxt) else ""
        if word in EN_REPEATS and next_word in EN_DIGITS and nxt is not None:
            # "double five" = 55; the pair masks as one piece
            digits = EN_DIGITS[next_word] * EN_REPEATS[word]
            tokens.append(_Token(start, nxt.end(), digits, weak_before=False, weak_after=False))
            skip_to = k + 1
        elif (word in EN_DIGITS or word in EN_CHECK) and not {
            prev_word,
            next_word,
        } & EN_NUMBER_WORDS:
            weak = word in EN_WEAK
            tokens.append(_Token(start, end, EN_DIGITS.get(word, "X"), weak, weak))
        else:
            tokens.append(None)
    return tokens


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest non-space character from ``index`` going ``step`` (-1 left, 1 right)."""
    i = index - 1 if step < 0 else index
    while 0 <= i < len(text) and text[i].isspace():
        i += step
    return text[i] if 0 <= i < len(text) else ""


def _adjacent(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Two English words separated only by spaces or a hyphen ("twenty-five")."""
    return text[left.end() : right.start()].strip(" -") == ""
