"""A rule pack as validated, immutable values: what the loader produces and the matcher compiles.

The YAML format is documented in ``docs/rule-packs.md``. Everything that
depends on law or language (phrases, negation cues, windows, deadlines,
thresholds) lives in the pack; this module only describes its shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Language = Literal["zh", "en"]
SpeakerRole = Literal["agent", "debtor", "any"]
Severity = Literal["info", "warning", "critical"]


@dataclass(frozen=True, slots=True)
class Pattern:
    """One way a rule can be said.

    ``elements`` are the ordered parts of the pattern; each part is a tuple of
    alternatives (already expanded from ``[a|b]`` syntax, not yet normalised).
    One element = a literal phrase. Several = an ordered sequence in which
    each next element starts at most ``within`` units (characters for
    Chinese, words for English) after the previous one ends.
    """

    elements: tuple[tuple[str, ...], ...]
    within: int
    source: str  # the pattern as written, for explanations and error messages
    line: int = 0  # where it was written (1-based; 0 = unknown)


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A context that cancels a match.

    kind "before": any cue within ``window`` units before the match start
    (negation: 不会, 没有, won't, never…). kind "after": within ``window``
    units after the match end. kind "around": before or after. kind
    "utterance": anywhere in the utterance (lawful context: 依法, "legal
    process"; quoting the debtor: 您说, "you said").
    """

    kind: Literal["before", "after", "around", "utterance"]
    cues: tuple[str, ...]
    window: int = 0


# Which of a rule's example lists a sentence belongs to (proposals and the trainer too).
ExampleKind = Literal["should_flag", "should_not_flag"]


@dataclass(frozen=True, slots=True)
class Examples:
    should_flag: tuple[str, ...] = ()
    should_not_flag: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str  # a taxonomy id, e.g. "agent.threat"
    speaker: SpeakerRole
    severity: Severity
    patterns: tuple[Pattern, ...]
    exclusions: tuple[Exclusion, ...]
    explanation: str
    reply: str | None  # script-library id of the suggested reply
    # (the loader has already merged the pack's default exclusions into ``exclusions``)
    examples: Examples = field(default_factory=Examples)
    # Homophone (zh) / phonetic (en) matching for this rule's phrases.
    tolerant: bool = True
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class RequiredStatement:
    """Something the collector must say early in the call (e.g. the mini-Miranda)."""

    id: str
    speaker: SpeakerRole
    within_s: float
    patterns: tuple[Pattern, ...]
    explanation: str
    severity: Severity = "warning"


@dataclass(frozen=True, slots=True)
class ToneSettings:
    """Thresholds for calm-down nudges to the collector."""

    speaker: SpeakerRole = "agent"
    window_s: float = 20.0  # sliding window for speech rate
    max_rate: float = 0.0  # characters/s (zh) or words/min (en); 0 disables
    loud_db_above_baseline: float = 0.0  # 0 disables
    baseline_s: float = 30.0  # how long the collector's own baseline is learned
    talk_over_s: float = 0.0  # both speakers at once longer than this; 0 disables
    cooldown_s: float = 30.0


@dataclass(frozen=True, slots=True)
class PackInfo:
    id: str
    language: Language
    jurisdiction: str
    version: str
    title: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RulePack:
    info: PackInfo
    rules: tuple[Rule, ...]
    required: tuple[RequiredStatement, ...] = ()
    tone: ToneSettings = field(default_factory=ToneSettings)
    cooldown_s: float = 10.0  # a rule does not flag the same speaker again sooner
    path: str = ""

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)
