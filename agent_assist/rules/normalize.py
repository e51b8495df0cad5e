"""Normalise text for matching, keeping a map back to the original characters.

Patterns and transcripts go through the same function, so any imperfection
(一次 → 1次) happens on both sides alike and still matches; what matters is
that equal speech gives equal text. Every normalised character maps back to
the span of original text it came from, so a match is shown on what was
actually said or typed (``textmap``); numbers become digits (``numerals``).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Any

from agent_assist.rules import numerals
from agent_assist.rules.model import Language
from agent_assist.rules.textmap import Item, Normalized, Segment, assemble

__all__ = ["Normalized", "normalize", "normalize_text"]


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
        if not numerals.has_english_number(words):
            return " ".join(words)
    if origins is None and language == "zh":
        s = _t2s(s) if not s.isascii() else s
        joined = "".join(s.split())
        if not _NOT_PLAIN_ZH.search(s) and not numerals.has_chinese_numeral(joined):
            return joined
    return normalize(text, language).text


# --- shared ---------------------------------------------------------------

# Letters and digits; a point or comma between digits (3.5, 1,000); an
# apostrophe inside a word (won't). Fixed-width look-arounds: no backtracking.
_RUN = re.compile(r"[^\W_]+(?:(?:'|(?<=\d)[.,](?=\d))[^\W_]+)*")
_NON_BREAKING = frozenset("'-‐‑")  # inside words, not clause ends


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
    return Normalized(norm.text, segments, norm.heads)


def _has_break(gap: str) -> bool:
    return gap != " " and any(
        unicodedata.category(ch)[0] == "P" and ch not in _NON_BREAKING for ch in gap
    )


def _pieces(run: str, at: int, clause: int, glue: str) -> list[Item]:
    """A run of source text from index ``at``; commas between digits go (1,000 = 1000)."""
    items: list[Item] = []
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
    norm = assemble(items)
    if numbers := numerals.chinese_numbers(norm.text, norm.heads):
        norm = assemble(numerals.splice(items, norm.segments, numbers))
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
        plain_items = [(m.group(), m.start(), m.end(), True, 0, " ", True) for m in runs]
        return assemble(numerals.with_english(plain_items))
    items: list[Item] = []
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
    return _remap(assemble(numerals.with_english(items)), origins)
