"""Turn Vosk's JSON results into typed values.

Vosk prints two shapes of final result: the plain one
(``{"text", "result": [{"word", "start", "end", "conf"}]}``) and, after
``SetMaxAlternatives(n)``, ``{"alternatives": [{"text", "confidence",
"result": [{"word", "start", "end"}]}]}``. Partial results are
``{"partial": ..., "partial_result": [...]}`` (words only with
``SetPartialWords``). Times are seconds from the recogniser's first sample;
``offset_ms`` shifts them onto the call timeline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from agent_assist.events import Alternative, Word


@dataclass(frozen=True, slots=True)
class ParsedFinal:
    text: str
    words: tuple[Word, ...]
    confidence: float | None
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True, slots=True)
class ParsedPartial:
    text: str
    words: tuple[Word, ...]


def _words(items: list[dict[str, Any]] | None, offset_ms: int) -> tuple[Word, ...]:
    if not items:
        return ()
    return tuple(
        Word(
            text=str(item["word"]),
            start_ms=offset_ms + round(float(item["start"]) * 1000),
            end_ms=offset_ms + round(float(item["end"]) * 1000),
            conf=float(item["conf"]) if "conf" in item else None,
        )
        for item in items
    )


def parse_partial(raw: str, offset_ms: int = 0) -> ParsedPartial:
    data = json.loads(raw)
    return ParsedPartial(
        text=str(data.get("partial", "")).strip(),
        words=_words(data.get("partial_result"), offset_ms),
    )


def parse_final(raw: str, offset_ms: int = 0) -> ParsedFinal:
    data = json.loads(raw)
    if "alternatives" in data:
        alternatives = tuple(
            Alternative(
                text=str(alt.get("text", "")).strip(),
                confidence=float(alt.get("confidence", 0.0)),
                words=_words(alt.get("result"), offset_ms),
            )
            for alt in data["alternatives"]
        )
        best = alternatives[0] if alternatives else Alternative("", 0.0)
        return ParsedFinal(best.text, best.words, None, alternatives)
    words = _words(data.get("result"), offset_ms)
    scored = [w.conf for w in words if w.conf is not None]
    confidence = sum(scored) / len(scored) if scored else None
    return ParsedFinal(str(data.get("text", "")).strip(), words, confidence, ())
