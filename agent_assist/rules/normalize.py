"""Normalise text for matching, keeping a map back to the original characters.

Patterns and transcripts go through the same function, so any imperfection
(一次 → 1次) happens on both sides alike and still matches; what matters is
that equal speech gives equal text. Every normalised character maps back to
the span of original text it came from, so a match is shown on what was
actually said or typed.

This runs on every partial, so the map is kept as a few segments (one per
word or number) built with list operations, not a loop per character.
"""

from __future__ import annotations

import re
import threading
import unicodedata
import warnings
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, compress
from operator import add, sub
from typing import Any

import cn2an

from agent_assist.rules.model import Language

# (start, end) in the normalised text, (start, end) in the original, whether
# character i maps to one original character (True) or to the whole original
# span (False: a number 两万三 → 23000, an expansion won't → will not), clause.
Segment = tuple[int, int, int, int, bool, int]


class Normalized:
    """Normalised ``text`` and how it maps back to the original."""

    __slots__ = ("_heads", "_seg_starts", "_words", "segments", "text")

    def __init__(self, text: str, segments: list[Segment], heads: list[int]) -> None:
        self.text = text
        self.segments = segments  # in order; a space between words belongs to none
        self._heads = heads  # where words start
        self._words: tuple[tuple[int, int], ...] | None = None
        self._seg_starts: list[int] | None = None

    @property
    def words(self) -> tuple[tuple[int, int], ...]:
        """Word spans in ``text``: English words, or for Chinese the runs between
        spaces/punctuation of the original (Vosk prints 我们 会 去)."""
        if self._words is None:
            heads, text = self._heads, self.text
            tails = [h - (text[h - 1] == " ") for h in heads[1:]]  # less the space between
            self._words = tuple(zip(heads, [*tails, len(text)], strict=False))
        return self._words

    def _segment(self, i: int) -> int:
        if self._seg_starts is None:
            self._seg_starts = [seg[0] for seg in self.segments]
        return bisect_right(self._seg_starts, i) - 1

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of normalised ``text[start:end]`` (``end > start``)."""
        return self.char_span(start)[0], self.char_span(end - 1)[1]

    def char_span(self, i: int) -> tuple[int, int]:
        """The original span character ``i`` came from."""
        if self.text[i] == " ":  # the gap between its words, or the next word's span
            before, after = self.char_span(i - 1)[1], self.char_span(i + 1)
            return (before, after[0]) if before < after[0] else after
        start, _, o_start, o_end, exact, _ = self.segments[self._segment(i)]
        return (o_start + i - start, o_start + i - start + 1) if exact else (o_start, o_end)

    def clause(self, i: int) -> int:
        """Clause number of character ``i``: punctuation starts a new clause, so
        negation does not reach across "不，我们会去你单位"."""
        k = self._segment(i)
        return self.segments[k + 1 if self.text[i] == " " else k][5]  # a space: the next word's

    @property
    def starts(self) -> tuple[int, ...]:
        return tuple(self.char_span(i)[0] for i in range(len(self.text)))

    @property
    def ends(self) -> tuple[int, ...]:
        return tuple(self.char_span(i)[1] for i in range(len(self.text)))

    @property
    def clauses(self) -> tuple[int, ...]:
        return tuple(self.clause(i) for i in range(len(self.text)))


def normalize(text: str, language: Language) -> Normalized:
    if language == "zh":
        return _normalize_zh(text)
    return _normalize_en(text)


def normalize_text(text: str, language: Language) -> str:
    """``normalize(text, language).text``, without the map: for compiling patterns
    (a pack's ``[a|b] [c|d]`` parts can expand to tens of thousands of phrases)."""
    s, origins = _lowered(text, True)
    if origins is None and language == "en" and not _NOT_PLAIN_EN.search(s):
        words = _RUN.findall(s)
        if "'" in s or not _WHOLE.keys().isdisjoint(words):
            words = [word for token in words for word, _, _ in _expand(token)]
        return " ".join(words)
    if origins is None and language == "zh":
        s = _t2s(s) if not s.isascii() else s
        if not _NOT_PLAIN_ZH.search(s) and not _NUMBER_RUN.search(joined := "".join(s.split())):
            return joined
    return normalize(text, language).text


# --- shared ---------------------------------------------------------------

# Letters and digits; a point or comma between digits (3.5, 1,000); an
# apostrophe inside a word (won't). Fixed-width look-arounds: no backtracking.
_RUN = re.compile(r"[^\W_]+(?:(?:'|(?<=\d)[.,](?=\d))[^\W_]+)*")
_NON_BREAKING = frozenset("'-‐‑")  # inside words, not clause ends
# One piece of output: text, original start and end, exact (see Segment),
# clause, what goes before it ("" or " "), whether a word starts with it.
_Item = tuple[str, int, int, bool, int, str, bool]


def _lowered(text: str, fast: bool) -> tuple[str, list[int] | None]:
    """NFKC + lower case; where characters moved, each one's original index.

    ``fast=False`` takes the general path even for plain text (for tests).
    """
    if fast and (text.isascii() or unicodedata.is_normalized("NFKC", text)):
        low = text.lower()
        if len(low) == len(text):  # the usual case: every character stays in place
            return low, None
    chars: list[str] = []
    origins: list[int] = []
    for i, ch in enumerate(text):
        out = unicodedata.normalize("NFKC", ch).lower()
        chars.append(out)
        origins.extend([i] * len(out))
    return "".join(chars), origins


def _remap(norm: Normalized, origins: list[int] | None) -> Normalized:
    """Map segments over the NFKC text back to the text as given."""
    if origins is None:
        return norm
    segments: list[Segment] = []
    for a, b, o_start, o_end, exact, clause in norm.segments:
        start, end = origins[o_start], origins[o_end - 1] + 1
        still = exact and origins[o_start:o_end] == list(range(start, end))
        segments.append((a, b, start, end, still, clause))  # moved: maps as a whole
    return Normalized(norm.text, segments, norm._heads)


def _has_break(gap: str) -> bool:
    return gap != " " and any(
        unicodedata.category(ch)[0] == "P" and ch not in _NON_BREAKING for ch in gap
    )


def _assemble(items: list[_Item]) -> Normalized:
    """Items to text and segments with list operations, not a loop per word."""
    if not items:
        return Normalized("", [], [])
    pieces, o_starts, o_ends, exact, clauses, glues, heads = zip(*items, strict=True)
    joined = list(map(add, ("", *glues[1:]), pieces))  # nothing before the first piece
    ends = list(accumulate(map(len, joined)))
    starts = list(map(sub, ends, map(len, pieces)))
    segments = list(zip(starts, ends, o_starts, o_ends, exact, clauses, strict=True))
    return Normalized("".join(joined), segments, list(compress(starts, heads)))


def _pieces(run: str, at: int, clause: int, glue: str) -> list[_Item]:
    """A run of source text from index ``at``; commas between digits go (1,000 = 1000)."""
    items: list[_Item] = []
    for part in run.split(","):
        items.append((part, at, at + len(part), True, clause, "" if items else glue, not items))
        at += len(part) + 1
    return items


# --- Chinese --------------------------------------------------------------

_converter: list[Any] = []
_converter_lock = threading.Lock()


def _t2s(text: str) -> str:
    if not _converter:
        with _converter_lock:
            if not _converter:
                import opencc

                _converter.append(opencc.OpenCC("t2s"))  # one instance, loaded once
    converted: str = _converter[0].convert(text)
    if len(converted) == len(text):
        return converted
    # t2s is character for character in practice; if a phrase rule ever changes
    # the length, convert per character so the map stays exact.
    return "".join(c2 if len(c2 := _converter[0].convert(c)) == 1 else c for c in text)


_NUMERAL = "零〇一二两三四五六七八九"
_UNITS = "十百千万亿"
_NUMBER_RUN = re.compile(rf"\d+(?:\.\d+)?[{_UNITS}]+[{_NUMERAL}{_UNITS}]*|[{_NUMERAL}{_UNITS}]+")
# Runs of only 一/两 are numbers only before a counter: 一天 = 1天, but 一下, 一点,
# 一定, 一起, 唯一 and 两点 (o'clock) stay words.
_COUNTERS = frozenset("天日号月年周次期个元块笔份位家")
_WORDLIKE = frozenset("一两")  # also 一一 (one by one)


@lru_cache(maxsize=4096)
def _numeral_value(run: str) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cn2an warns as well as raising on bad input
        try:
            value = cn2an.cn2an(run, "smart")
        except (ValueError, KeyError, IndexError, TypeError):
            return None
    return str(value)


Number = tuple[int, int, str]  # start, end in the normalised text, digits


def _numbers(text: str, heads: set[int]) -> list[Number]:
    """Numeral runs that are numbers: (start, end, digits).

    A word boundary between two plain numerals cuts a run ("万一 一下" is two
    words) but one next to a unit does not ("三千 五百", "五 万").
    """
    found: list[Number] = []
    for m in _NUMBER_RUN.finditer(text):
        begin, stop = m.span()
        cuts = [
            i
            for i in range(begin + 1, stop)
            if i in heads and text[i - 1] not in _UNITS and text[i] not in _UNITS
        ]
        for first, end in zip([begin, *cuts], [*cuts, stop], strict=True):
            start = first
            while start < end and text[start] in _UNITS:  # 万一: no number starts with a unit
                start += 1
            run = text[start:end]
            if not run or (set(run) <= _WORDLIKE and text[end : end + 1] not in _COUNTERS):
                continue
            value = _numeral_value(run)
            if value is not None:
                found.append((start, end, value))
    return found


def _with_numbers(items: list[_Item], norm: Normalized, numbers: list[Number]) -> list[_Item]:
    """Digits in place of numeral runs, each digit standing for the whole run.

    ``norm`` is ``items`` assembled; items that a number touches are cut at
    its edges.
    """
    out: list[_Item] = []
    k = 0  # the next number
    for item, (a, b, *_) in zip(items, norm.segments, strict=True):
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


# Anything but word characters and spaces (punctuation), or Latin letters and digits
# (which keep a space between words in Chinese): the general path.
_NOT_PLAIN_ZH = re.compile(r"[^\w\s]|[0-9a-z_]")


def _normalize_zh(text: str, fast: bool = True) -> Normalized:
    s, origins = _lowered(text, fast)
    if not s.isascii():
        s = _t2s(s)
    runs = list(_RUN.finditer(s))
    if origins is None and not _NOT_PLAIN_ZH.search(s):  # how Vosk prints: words and spaces
        items = [(m.group(), m.start(), m.end(), True, 0, "", True) for m in runs]
    else:
        items = []
        clause = prev = 0
        for m in runs:
            start, glue = m.start(), ""
            if items:
                clause += _has_break(s[prev:start])
                if s[prev - 1].isascii() and s[start].isascii():
                    glue = " "  # Latin words keep one space: "app store"
            items.extend(_pieces(m.group(), start, clause, glue))
            prev = m.end()
    norm = _assemble(items)
    if _NUMBER_RUN.search(norm.text) and (numbers := _numbers(norm.text, set(norm._heads))):
        norm = _assemble(_with_numbers(items, norm, numbers))
    return _remap(norm, origins)


# --- English --------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_WHOLE = {
    "won't": "will not",
    "can't": "can not",
    "cannot": "can not",
    "shan't": "shall not",
    "ain't": "is not",
    "let's": "let us",
    "y'all": "you all",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
}
# 's (is / has / possessive) and 'd (would / had) are ambiguous: kept as words.
_SUFFIXES = {"re": "are", "m": "am", "ll": "will", "ve": "have", "s": "s", "d": "d"}
_NOT_PLAIN_EN = re.compile(r"[^a-z0-9' ]")


def _expand(token: str) -> list[tuple[str, int, int]]:
    """Words of one token, with their spans in it (won't → will not, don't → do not)."""
    whole = _WHOLE.get(token)
    if whole is not None:
        return [(word, 0, len(token)) for word in whole.split()]
    if "'" not in token:
        return [(token, 0, len(token))]
    if token.endswith("n't") and len(token) > 3:
        stem, suffix, cut = token[:-3], "not", len(token) - 3
    else:
        stem, _, tail = token.rpartition("'")
        suffix, cut = _SUFFIXES.get(tail, ""), len(stem)
        if not suffix:  # o'clock, o'brien: the apostrophe only separates words
            stem, cut = token, len(token)
    words: list[tuple[str, int, int]] = []
    pos = 0
    for part in stem.split("'"):
        if part:
            words.append((part, pos, pos + len(part)))
        pos += len(part) + 1
    if suffix:
        words.append((suffix, cut, len(token)))
    return words


def _normalize_en(text: str, fast: bool = True) -> Normalized:
    s, origins = _lowered(text, fast)
    if not s.isascii() or "`" in s:
        s = s.translate(_APOSTROPHES)  # one character for one: origins stay valid
    runs = list(_RUN.finditer(s))
    plain = origins is None and not _NOT_PLAIN_EN.search(s)  # how Vosk prints
    if plain and "'" not in s and _WHOLE.keys().isdisjoint(m.group() for m in runs):
        return _assemble([(m.group(), m.start(), m.end(), True, 0, " ", True) for m in runs])
    items: list[_Item] = []
    clause = prev = 0
    for m in runs:
        start, token = m.start(), m.group()
        if items and not plain:
            clause += _has_break(s[prev:start])
        prev = m.end()
        for word, begin, stop in _expand(token):
            if word == token[begin:stop]:  # character for character
                items.extend(_pieces(word, start + begin, clause, " "))
            else:  # every character stands for the whole span (won't → will not)
                items.append((word, start + begin, start + stop, False, clause, " ", True))
    return _remap(_assemble(items), origins)
