"""Build rule packs in code for matcher tests, independent of the YAML loader.

``pattern("去 … [你|您] … 单位")`` understands just enough of the pack syntax:
parts split on ``…``/``...``, ``[a|b]`` alternatives (at most one group per part).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from agent_assist.rules.model import (
    Exclusion,
    Language,
    PackInfo,
    Pattern,
    Rule,
    RulePack,
    Severity,
    SpeakerRole,
)

_GAP = re.compile(r"…+|\.\.\.")
_GROUP = re.compile(r"\[([^\]]*)\]")


def alternatives(part: str) -> tuple[str, ...]:
    group = _GROUP.search(part)
    if group is None:
        return (part.strip(),)
    head, tail = part[: group.start()], part[group.end() :]
    return tuple(f"{head}{alt}{tail}".strip() for alt in group.group(1).split("|"))


def pattern(source: str, within: int = 6) -> Pattern:
    elements = tuple(alternatives(part) for part in _GAP.split(source))
    return Pattern(elements=elements, within=within, source=source)


def _cues(cues: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(alt for cue in cues for alt in alternatives(cue))


def before(*cues: str, window: int) -> Exclusion:
    return Exclusion("before", _cues(cues), window)


def after(*cues: str, window: int) -> Exclusion:
    return Exclusion("after", _cues(cues), window)


def around(*cues: str, window: int) -> Exclusion:
    return Exclusion("around", _cues(cues), window)


def utterance(*cues: str) -> Exclusion:
    return Exclusion("utterance", _cues(cues))


def rule(
    rule_id: str,
    *patterns: str | Pattern,
    speaker: SpeakerRole = "agent",
    category: str = "agent.threat",
    severity: Severity = "critical",
    exclude: Iterable[Exclusion] = (),
    tolerant: bool = True,
    within: int = 6,
    reply: str | None = None,
) -> Rule:
    return Rule(
        id=rule_id,
        category=category,
        speaker=speaker,
        severity=severity,
        patterns=tuple(p if isinstance(p, Pattern) else pattern(p, within) for p in patterns),
        exclusions=tuple(exclude),
        explanation=f"explanation of {rule_id}",
        reply=reply,
        tolerant=tolerant,
    )


def pack(language: Language, *rules: Rule, pack_id: str | None = None) -> RulePack:
    jurisdiction: Literal["CN", "US"] = "CN" if language == "zh" else "US"
    info = PackInfo(
        id=pack_id or f"test-{language}",
        language=language,
        jurisdiction=jurisdiction,
        version="0",
        title="test pack",
        sources=(),
    )
    return RulePack(info=info, rules=rules)
