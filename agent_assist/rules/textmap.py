"""Normalised text and its map back to the original characters.

``normalize`` builds the text from pieces (``Item``: one per word, number or
part of a word) and ``numerals`` replaces number pieces with digits; this
module holds what both share: the pieces, the map they assemble into, and how
a normalised character is traced back to what was actually said or typed.

The map is kept as a few segments (one per piece) built with list
operations, not a loop per character: it is built on every partial.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate, compress
from operator import add, sub

# (start, end) in the normalised text, (start, end) in the original, whether
# character i maps to one original character (True) or to the whole original
# span (False: a number 两万三 → 23000, an expansion won't → will not), clause.
Segment = tuple[int, int, int, int, bool, int]
# One piece of output: text, original start and end, exact (see Segment),
# clause, what goes before it ("" or " "), whether a word starts with it.
Item = tuple[str, int, int, bool, int, str, bool]


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
    def heads(self) -> list[int]:
        """Where words start in ``text``."""
        return self._heads

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


def assemble(items: list[Item]) -> Normalized:
    """Items to text and segments with list operations, not a loop per word."""
    if not items:
        return Normalized("", [], [])
    pieces, o_starts, o_ends, exact, clauses, glues, heads = zip(*items, strict=True)
    joined = list(map(add, ("", *glues[1:]), pieces))  # nothing before the first piece
    ends = list(accumulate(map(len, joined)))
    starts = list(map(sub, ends, map(len, pieces)))
    segments = list(zip(starts, ends, o_starts, o_ends, exact, clauses, strict=True))
    return Normalized("".join(joined), segments, list(compress(starts, heads)))
