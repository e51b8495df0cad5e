"""A drill's session report: each score component, the lines, and what to practise.

The overall score is the weighted mean of the components that could be measured
(tone only when the answers were spoken; replies only when a debtor cue came up),
then capped by the worst compliance flag: a call with a threat or an insult fails
however polished the rest was (the deck: no violence, threats or insulting language).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

Mode = Literal["typed", "voice"]

COMPLIANCE, REQUIRED, REPLIES, TONE = "compliance", "required", "replies", "tone"
WEIGHTS = {COMPLIANCE: 0.4, REQUIRED: 0.25, REPLIES: 0.2, TONE: 0.15}
PENALTY = {"critical": 50, "warning": 20, "info": 5}  # compliance points lost per flag
CAP = {"critical": 40.0, "warning": 70.0}  # the overall score at most, after such a flag
TONE_PENALTY = 25  # tone points lost per calm-down cue


@dataclass(frozen=True, slots=True)
class Component:
    name: str  # compliance | required | replies | tone
    score: float | None  # 0..100; None: not measured in this drill
    weight: float
    detail: str


@dataclass(frozen=True, slots=True)
class ReportLine:
    turn: int
    speaker: str  # debtor (the app) | agent (the trainee)
    text: str
    flags: tuple[str, ...]  # rule ids raised by this line


@dataclass(frozen=True, slots=True)
class FlagNote:
    turn: int
    rule_id: str
    category: str
    severity: str
    said: str  # the words that matched
    explanation: str
    penalty: int


@dataclass(frozen=True, slots=True)
class RequiredNote:
    id: str
    explanation: str
    covered: bool
    turn: int | None  # where it was said


@dataclass(frozen=True, slots=True)
class ReplyNote:
    turn: int  # the debtor's line with the cue
    cue: str
    scripts: tuple[str, ...]  # the suggested scripts' ids
    best_line: str  # the suggested line the answer came closest to
    similarity: float
    used: bool


@dataclass(frozen=True, slots=True)
class ToneNote:
    turn: int
    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class DrillReport:
    scenario_id: str
    title: str
    language: str
    pack: str
    pack_version: str
    mode: Mode
    complete: bool  # False: ended early (Ctrl+C, end of input); scored on the turns so far
    score: float
    components: tuple[Component, ...]
    lines: tuple[ReportLine, ...]
    flags: tuple[FlagNote, ...]
    required: tuple[RequiredNote, ...]
    replies: tuple[ReplyNote, ...]
    tone: tuple[ToneNote, ...]
    practise: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)


def overall(components: tuple[Component, ...], flags: tuple[FlagNote, ...]) -> float:
    """The weighted mean of the measured components, capped by the worst flag."""
    measured = [c for c in components if c.score is not None]
    weight = sum(c.weight for c in measured)
    score = sum(c.weight * (c.score or 0.0) for c in measured) / weight if weight else 0.0
    for severity, cap in CAP.items():
        if any(f.severity == severity for f in flags):
            score = min(score, cap)
    return round(score, 1)


def compliance(flags: tuple[FlagNote, ...]) -> Component:
    score = float(max(0, 100 - sum(f.penalty for f in flags)))
    counts = [f"{n} {level}" for level in PENALTY if (n := sum(f.severity == level for f in flags))]
    detail = f"flags raised: {', '.join(counts)}" if counts else "no flags raised"
    return Component(COMPLIANCE, score, WEIGHTS[COMPLIANCE], detail)


def required_score(notes: tuple[RequiredNote, ...]) -> Component:
    if not notes:
        return Component(REQUIRED, None, WEIGHTS[REQUIRED], "no required lines")
    covered = sum(n.covered for n in notes)
    score = round(100 * covered / len(notes), 1)
    return Component(REQUIRED, score, WEIGHTS[REQUIRED], f"{covered} of {len(notes)} said")


def replies_score(notes: tuple[ReplyNote, ...]) -> Component:
    if not notes:
        detail = "no debtor cue asked for a suggested reply"
        return Component(REPLIES, None, WEIGHTS[REPLIES], detail)
    used = sum(n.used for n in notes)
    score = round(100 * used / len(notes), 1)
    return Component(REPLIES, score, WEIGHTS[REPLIES], f"{used} of {len(notes)} used")
