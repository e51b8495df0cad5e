"""The pattern mini-syntax of rule packs: ``A … [b|c] … D`` into a :class:`Pattern`.

Parts are separated by an ellipsis (``…`` or ``...``); inside a part, ``[a|b]``
lists alternatives, which are expanded here so the matcher only sees plain
strings. Text is kept as written (spaces included): normalisation belongs to
the matcher, which must treat patterns and transcripts alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product

from agent_assist.rules.model import Pattern

# A run of ellipses is one gap: Chinese writes the ellipsis as two "…" ("……").
_GAP = re.compile(r"(?:…|\.\.\.)+")
_TOKEN = re.compile(
    r"(?P<gap>(?:…|\.\.\.)+)"
    r"|\[(?P<alts>[^\[\]]*)\]"
    r"|(?P<bad>[\[\]|])"
    r"|(?P<text>[^\[\]|.…]+|\.)"
)
# Chinese input methods type full-width brackets and bars, and "⋯" for the
# ellipsis; they mean the same as the ASCII syntax. One character each, so
# error offsets still point into the text as written.
_FULL_WIDTH = str.maketrans({"［": "[", "］": "]", "｜": "|", "⋯": "…"})
# A part like "[a|b] [c|d] [e|f]" multiplies out; past this it is a mistake
# (or should be several parts), and it would make the matcher's tables huge.
MAX_ALTERNATIVES = 1000


class PatternError(ValueError):
    """Invalid pattern syntax; ``offset`` is the character index in the pattern text."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True, slots=True)
class _Segment:
    alternatives: tuple[str, ...]  # a literal is a single alternative
    offset: int


def parse_pattern(text: str, within: int, line: int = 0) -> Pattern:
    """Parse ``text`` into ordered parts of expanded alternatives.

    Raises :class:`PatternError` at the first problem found.
    """
    if within < 1:
        raise PatternError(f"within must be at least 1, not {within}")
    parts = _split_parts(text.translate(_FULL_WIDTH))
    elements = tuple(_expand(text, segments, start) for start, segments in parts)
    return Pattern(elements=elements, within=within, source=text, line=line)


def parse_cue(text: str) -> tuple[str, ...]:
    """Parse an exclusion cue: one part, alternatives allowed; returns the expanded phrases."""
    gap = _GAP.search(text.translate(_FULL_WIDTH))
    if gap:
        raise PatternError("a cue is a single phrase: `…` is not allowed here", gap.start())
    return parse_pattern(text, within=1).elements[0]


def _split_parts(text: str) -> list[tuple[int, list[_Segment]]]:
    """Tokenise ``text`` into parts (start offset, segments); checks brackets and gaps."""
    parts: list[tuple[int, list[_Segment]]] = [(0, [])]
    last_gap = -1
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        assert match is not None  # the token alternatives cover every character
        if match["gap"] is not None:
            if not text[parts[-1][0] : match.start()].strip():
                first = last_gap == -1
                message = "nothing before the first `…`" if first else "empty part between two `…`"
                raise PatternError(message, match.start())
            last_gap = match.start()
            parts.append((match.end(), []))
        elif match["alts"] is not None:
            alternatives = _alternatives(match["alts"], match.start())
            parts[-1][1].append(_Segment(alternatives, match.start()))
        elif match["bad"] is not None:
            raise PatternError(_bracket_problem(text, match.start()), match.start())
        else:
            parts[-1][1].append(_Segment((match["text"],), match.start()))
        pos = match.end()
    if not text[parts[-1][0] :].strip():
        if last_gap == -1:
            raise PatternError("empty pattern", 0)
        raise PatternError("nothing after the last `…`", last_gap)
    return parts


def _alternatives(content: str, bracket: int) -> tuple[str, ...]:
    gap = _GAP.search(content)
    if gap:
        raise PatternError(
            "`…` inside `[...]`: an alternative is one phrase", bracket + 1 + gap.start()
        )
    found: list[str] = []
    offset = bracket + 1
    for raw in content.split("|"):
        alternative = raw.strip()
        if not alternative:
            raise PatternError(f"empty alternative in `[{content}]`", offset)
        if not _has_word(alternative):
            raise PatternError(
                f"alternative {alternative!r} has no letters or digits "
                "(punctuation and spaces are removed before matching)",
                offset,
            )
        found.append(alternative)
        offset += len(raw) + 1
    return tuple(found)


def _bracket_problem(text: str, at: int) -> str:
    char = text[at]
    if char == "]":
        return "`]` without a matching `[`"
    if char == "|":
        return "`|` outside brackets: write alternatives as `[a|b]`"
    # The bracket rule did not match here: either no `]` follows, or a `[` comes first.
    next_open, next_close = text.find("[", at + 1), text.find("]", at + 1)
    if next_close != -1 and next_open != -1 and next_open < next_close:
        return "brackets do not nest: alternatives go one level deep"
    return "`[` is never closed"


def _expand(text: str, segments: list[_Segment], start: int) -> tuple[str, ...]:
    count = 1
    for segment in segments:
        count *= len(segment.alternatives)
    if count > MAX_ALTERNATIVES:
        raise PatternError(
            f"this part expands to {count} phrases (limit {MAX_ALTERNATIVES}); "
            "split it into parts with `…` or into several patterns",
            start,
        )
    phrases = ("".join(combo).strip() for combo in product(*(s.alternatives for s in segments)))
    expanded = tuple(dict.fromkeys(phrases))  # drop duplicates, keep the order written
    for phrase in expanded:
        if not _has_word(phrase):
            where = start + len(text[start:]) - len(text[start:].lstrip())
            raise PatternError(
                f"part {phrase!r} has no letters or digits "
                "(punctuation and spaces are removed before matching)",
                where,
            )
    return expanded


def _has_word(text: str) -> bool:
    return any(char.isalnum() for char in text)
