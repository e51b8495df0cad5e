"""Scanning finished utterances and measuring precision and recall on a labelled corpus.

Both go through :class:`~agent_assist.rules.live.LiveFlagger` with a final
result, exactly the path a live final result takes, so what is measured is
what collectors get.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from agent_assist.errors import UserError
from agent_assist.events import Final, Flag
from agent_assist.rules.live import LiveFlagger, Matcher


def scan(matcher: Matcher, text: str, speaker: str) -> list[Flag]:
    """The flags a final result with this text would confirm (no cool-down across lines)."""
    flagger = LiveFlagger(matcher, cooldown_s=0)
    return [f for f in flagger.on_event(Final(speaker, 0, text, 0, 0, 0)) if f.state == "confirmed"]


@dataclass(frozen=True, slots=True)
class Utterance:
    id: str
    speaker: str
    text: str
    vosk: str
    categories: frozenset[str]


Split = str  # "all", "dev" or "heldout"


def in_split(utt: Utterance, split: Split) -> bool:
    """Odd-numbered utterances are the development half (rule authors may study their
    errors); even-numbered ones are held out, to show how well the rules generalise."""
    if split == "all":
        return True
    digits = "".join(ch for ch in utt.id if ch.isdigit())
    odd = bool(digits) and int(digits) % 2 == 1
    return odd if split == "dev" else not odd


def read_corpus(path: Path) -> list[Utterance]:
    """Read a JSONL corpus (``tests/data/corpus/README.md`` documents it)."""
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UserError(f"cannot read the corpus {path}: {exc.strerror or exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            items.append(
                Utterance(
                    id=str(data["id"]),
                    speaker=str(data["speaker"]),
                    text=str(data["text"]),
                    vosk=str(data.get("vosk") or data["text"]),
                    categories=frozenset(data.get("categories", ())),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise UserError(f"{path}:{number}: not a corpus line ({exc})") from exc
    return items


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class QualityReport:
    per_category: dict[str, Score] = field(default_factory=dict)
    per_side: dict[str, Score] = field(default_factory=dict)
    errors: list[dict[str, object]] = field(default_factory=list)

    def add(self, utt: Utterance, predicted: set[str]) -> None:
        for category in predicted | utt.categories:
            side = category.split(".", 1)[0]
            for score in (
                self.per_category.setdefault(category, Score()),
                self.per_side.setdefault(side, Score()),
            ):
                if category in predicted and category in utt.categories:
                    score.tp += 1
                elif category in predicted:
                    score.fp += 1
                else:
                    score.fn += 1
        if predicted != utt.categories:
            self.errors.append(
                {
                    "id": utt.id,
                    "missed": sorted(utt.categories - predicted),
                    "extra": sorted(predicted - utt.categories),
                }
            )

    def as_dict(self) -> dict[str, object]:
        return {
            "per_side": {k: v.as_dict() for k, v in sorted(self.per_side.items())},
            "per_category": {k: v.as_dict() for k, v in sorted(self.per_category.items())},
            "errors": len(self.errors),
        }


def evaluate(matcher: Matcher, corpus: Iterable[Utterance], variant: str) -> QualityReport:
    """Score the clean text (``variant="text"``) or the Vosk-style text (``"vosk"``)."""
    report = QualityReport()
    for utt in corpus:
        text = utt.text if variant == "text" else utt.vosk
        predicted = {f.category for f in scan(matcher, text, utt.speaker)}
        report.add(utt, predicted)
        # Keep the text with the error so a trainer can see what went wrong.
        if report.errors and report.errors[-1]["id"] == utt.id:
            report.errors[-1]["text"] = text
    return report
