"""Why a sentence flags: the rules that fire on it, where, by what kind of match and which
pattern; the rules an exclusion cancelled; and a pack's own examples run as tests.

What fires is what a live final result would confirm (``quality.scan`` goes through the
live flagger). The matcher reports a rule's span and kind but not which of its patterns
matched, nor what cancelled a match; both are found by asking the same matcher again
about one rule at a time: one pattern alone, the rule without exclusions, the rule with
a single exclusion. Those small packs compile in milliseconds. Every compiled form is
kept, and shared by the next draft when only its comments, layout or lines changed.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace

from agent_assist.events import MatchKind
from agent_assist.rules.matcher import CompiledPack, Match, compile_pack
from agent_assist.rules.model import ExampleKind, Exclusion, Pattern, Rule, RulePack
from agent_assist.rules.quality import scan


@dataclass(frozen=True, slots=True)
class Fired:
    """A rule that fires on the sentence: its span in the sentence as written, and why."""

    rule_id: str
    category: str
    severity: str
    start: int
    end: int
    matched_text: str
    kind: MatchKind  # exact | homophone | fuzzy
    pattern: str  # the pattern that matched, as written ("" if it cannot be told)
    pattern_line: int
    explanation: str


@dataclass(frozen=True, slots=True)
class Cancelled:
    """A rule whose pattern matched but that an exclusion cancelled."""

    rule_id: str
    category: str
    start: int
    end: int
    matched_text: str
    kind: MatchKind
    pattern: str
    exclusion: str  # the cancelling exclusion, described ("before: 不会, 没有 (window 4)")


@dataclass(frozen=True, slots=True)
class Explained:
    fired: tuple[Fired, ...]
    cancelled: tuple[Cancelled, ...]


@dataclass(frozen=True, slots=True)
class ExampleResult:
    rule_id: str
    file: str  # where the rule is written, relative to the pack folder
    line: int
    expected: ExampleKind
    text: str
    passed: bool


def example_speaker(rule: Rule) -> str:
    """Who says a rule's examples: its speaker, the collector for rules of either side."""
    return "agent" if rule.speaker == "any" else rule.speaker


def describe_exclusion(exclusion: Exclusion) -> str:
    cues = ", ".join(exclusion.cues)
    if exclusion.kind == "utterance":
        return f"utterance: {cues}"
    return f"{exclusion.kind}: {cues} (window {exclusion.window})"


def run_examples(pack: RulePack, matcher: CompiledPack | None = None) -> list[ExampleResult]:
    """Every rule's should_flag and should_not_flag examples, each with pass or fail."""
    matcher = compile_pack(pack) if matcher is None else matcher
    results: list[ExampleResult] = []
    for rule in pack.rules:
        speaker = example_speaker(rule)
        cases: Iterable[tuple[ExampleKind, str]] = [
            *(("should_flag", text) for text in rule.examples.should_flag),
            *(("should_not_flag", text) for text in rule.examples.should_not_flag),
        ]
        for expected, text in cases:
            fired = rule.id in {f.rule_id for f in scan(matcher, text, speaker)}
            passed = fired == (expected == "should_flag")
            results.append(ExampleResult(rule.id, rule.file, rule.line, expected, text, passed))
    return results


def matching_digest(pack: RulePack) -> str:
    """A digest of what decides how ``pack`` matches: equal for two drafts that differ only
    in comments, layout or where their rules are written, so one compiled pack serves both."""
    rules = tuple(
        replace(rule, patterns=_unplaced(rule.patterns), file="", line=0) for rule in pack.rules
    )
    required = tuple(replace(s, patterns=_unplaced(s.patterns)) for s in pack.required)
    unplaced = replace(pack, rules=rules, required=required, path="")
    return hashlib.sha256(repr(unplaced).encode("utf-8")).hexdigest()


def _unplaced(patterns: tuple[Pattern, ...]) -> tuple[Pattern, ...]:
    return tuple(replace(p, line=0) for p in patterns)


class _Compiled:
    """The compiled forms of one pack's rules, shared by the explainers of its drafts."""

    def __init__(self, matcher: CompiledPack | None) -> None:
        self.lock = threading.Lock()
        self.matcher = matcher
        self.unexcluded: CompiledPack | None = None
        self.small: dict[tuple[str, str, int], CompiledPack] = {}


class Explainer:
    """Explains sentences against one (draft) pack; safe to call from several threads."""

    def __init__(self, pack: RulePack, matcher: CompiledPack | None = None) -> None:
        self.pack = pack
        self.digest = matching_digest(pack)
        self._rules = {rule.id: rule for rule in pack.rules}
        self._compiled = _Compiled(matcher)

    def over(self, pack: RulePack) -> Explainer:
        """An explainer over ``pack``, sharing what this one compiled when ``pack`` matches
        as this one's does (only comments, layout or lines differ); else a fresh one."""
        fresh = Explainer(pack)
        if fresh.digest == self.digest:
            fresh._compiled = self._compiled
        return fresh

    @property
    def matcher(self) -> CompiledPack:
        """The pack compiled (on first use: a large pack takes about a second)."""
        compiled = self._compiled
        with compiled.lock:
            if compiled.matcher is None:
                compiled.matcher = compile_pack(self.pack)
            return compiled.matcher

    def explain(self, text: str, speaker: str) -> Explained:
        """The rules that fire on ``text`` said by ``speaker`` (agent or debtor), and why."""
        if speaker not in ("agent", "debtor"):
            raise ValueError(f"speaker must be 'agent' or 'debtor', not {speaker!r}")
        fired: list[Fired] = []
        for flag in scan(self.matcher, text, speaker):
            rule = self._rules[flag.rule_id]
            pattern = self._pattern_of(rule, text, speaker, (flag.start, flag.end, flag.kind))
            fired.append(
                Fired(
                    rule_id=rule.id,
                    category=flag.category,
                    severity=flag.severity,
                    start=flag.start,
                    end=flag.end,
                    matched_text=text[flag.start : flag.end],
                    kind=flag.kind,
                    pattern=pattern.source if pattern else "",
                    pattern_line=pattern.line if pattern else 0,
                    explanation=rule.explanation,
                )
            )
        ids = {f.rule_id for f in fired}
        cancelled = [
            self._cancelled(self._rules[m.rule_id], m, text, speaker)
            for m in self._unexcluded_matcher().match(text, speaker)
            if m.rule_id not in ids and self._rules[m.rule_id].exclusions
        ]
        return Explained(tuple(fired), tuple(c for c in cancelled if c is not None))

    def _unexcluded_matcher(self) -> CompiledPack:
        compiled = self._compiled
        with compiled.lock:
            if compiled.unexcluded is None:
                rules = tuple(replace(rule, exclusions=()) for rule in self.pack.rules)
                compiled.unexcluded = compile_pack(replace(self.pack, rules=rules))
            return compiled.unexcluded

    def _one(self, rule: Rule, what: str, at: int, narrowed: Rule) -> CompiledPack:
        key = (rule.id, what, at)
        compiled = self._compiled
        with compiled.lock:
            found = compiled.small.get(key)
            if found is None:
                found = compile_pack(replace(self.pack, rules=(narrowed,)))
                compiled.small[key] = found
            return found

    def _pattern_of(
        self,
        rule: Rule,
        text: str,
        speaker: str,
        where: tuple[int, int, MatchKind],
        *,
        excluded: bool = True,
    ) -> Pattern | None:
        """The first pattern that, alone, matches where the rule did."""
        exclusions = rule.exclusions if excluded else ()
        what = "pattern" if excluded else "bare pattern"
        for at, pattern in enumerate(rule.patterns):
            narrowed = replace(rule, patterns=(pattern,), exclusions=exclusions)
            alone = self._one(rule, what, at, narrowed)
            if any((m.start, m.end, m.kind) == where for m in alone.match(text, speaker)):
                return pattern
        return None

    def _cancelled(self, rule: Rule, match: Match, text: str, speaker: str) -> Cancelled | None:
        for at, exclusion in enumerate(rule.exclusions):
            alone = self._one(rule, "exclusion", at, replace(rule, exclusions=(exclusion,)))
            if not alone.match(text, speaker):
                where = (match.start, match.end, match.kind)
                pattern = self._pattern_of(rule, text, speaker, where, excluded=False)
                return Cancelled(
                    rule_id=rule.id,
                    category=rule.category,
                    start=match.start,
                    end=match.end,
                    matched_text=match.matched_text,
                    kind=match.kind,
                    pattern=pattern.source if pattern else "",
                    exclusion=describe_exclusion(exclusion),
                )
        return None  # only the exclusions together cancel it: no single one to name
