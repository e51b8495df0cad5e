"""Match a rule pack against one utterance (partial or final).

Compiling a pack normalises every alternative of every pattern part and every
exclusion cue into one literal table; the literals go into ONE Aho-Corasick
automaton for the whole pack, so a call costs one pass over the text however
many rules there are. Tolerant rules add a second automaton: Chinese over
pinyin codes (one code per character, so hits are character positions),
English over per-word phonetic keys (one code per word). Sequences
``A … B`` and exclusions are then checked on the hit positions of the few
rules whose literals occurred.

Positions are "units": characters for Chinese, words for English (English
literals are keyed with a space on both sides and searched in
" " + text + " ", so they only hit whole words). Units map to normalised
characters and those to the original text through ``Normalized``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from agent_assist.events import MatchKind
from agent_assist.rules import phonetic
from agent_assist.rules.model import Language, Rule, RulePack, Severity
from agent_assist.rules.normalize import Normalized, normalize, normalize_text

# "agent" | "debtor"; typed str like events.Speaker so a CompiledPack is a live.Matcher.
Speaker = str
Span = tuple[int, int]  # units, end exclusive

HOMOPHONE_SCORE = 0.8
FUZZY_SCORE = 0.7
_SCORES: dict[MatchKind, float] = {"exact": 1.0, "homophone": HOMOPHONE_SCORE, "fuzzy": FUZZY_SCORE}


@dataclass(frozen=True, slots=True)
class Match:
    rule_id: str
    category: str
    severity: Severity
    speaker: Speaker
    start: int  # in the original text
    end: int
    matched_text: str
    kind: MatchKind
    score: float
    explanation: str
    reply: str | None


@dataclass(frozen=True, slots=True)
class _Pattern:
    rule: int
    elements: tuple[frozenset[int], ...]  # literal ids of each part's alternatives
    within: int


@dataclass(frozen=True, slots=True)
class _Exclusion:
    kind: str
    cues: frozenset[int]  # literal ids
    window: int


class CompiledPack:
    def __init__(self, pack: RulePack) -> None:
        self.pack = pack
        self.language: Language = pack.info.language
        self._zh = self.language == "zh"
        self._literals: dict[str, int] = {}  # normalised literal → id
        self._texts: list[str] = []  # id → normalised literal
        self._rules: list[Rule] = list(pack.rules)
        self._patterns: list[_Pattern] = []
        self._exclusions: list[list[_Exclusion]] = []
        # speaker → literal id → patterns that have it as a part
        self._triggers: dict[str, dict[int, list[tuple[int, int]]]] = {"agent": {}, "debtor": {}}
        self._cues: list[frozenset[int]] = []  # per rule: every cue literal of its exclusions
        tolerant: set[int] = set()  # literal ids used by tolerant rules' parts
        texts = self._texts
        for r, rule in enumerate(self._rules):
            exclusions = [
                _Exclusion(x.kind, frozenset(self._part_ids(x.cues)), x.window)
                for x in rule.exclusions
            ]
            self._exclusions.append(exclusions)
            self._cues.append(frozenset(lid for x in exclusions for lid in x.cues))
            speakers = ("agent", "debtor") if rule.speaker == "any" else (rule.speaker,)
            for pattern in rule.patterns:
                elements = tuple(self._part_ids(alts) for alts in pattern.elements)
                if not elements or any(not ids for ids in elements):
                    continue  # a part normalised to nothing can never match
                p = len(self._patterns)
                sets = tuple(frozenset(ids) for ids in elements)
                self._patterns.append(_Pattern(r, sets, pattern.within))
                # A pattern needs every part, so one part can stand for it: the
                # rarest (longest shortest alternative), so that a part like
                # [你|您] does not send hundreds of patterns to be checked.
                trigger = max(elements, key=lambda ids: min(len(texts[lid]) for lid in ids))
                for lid in trigger:
                    for speaker in speakers:
                        self._triggers[speaker].setdefault(lid, []).append((r, p))
                if rule.tolerant:
                    tolerant.update(lid for ids in elements for lid in ids)
        self._exact = ahocorasick.Automaton()
        for literal, lid in self._literals.items():  # cues included: one automaton for all
            self._exact.add_word(f" {literal} " if not self._zh else literal, (lid, len(literal)))
        self._exact.make_automaton()
        self._tolerant = ahocorasick.Automaton()
        self._fuzzy_codes: dict[str, str] = {}
        by_key: dict[str, list[int]] = defaultdict(list)
        for literal, lid in self._literals.items():
            if lid in tolerant and (key := self._tolerant_key(literal)):
                by_key[key].append(lid)
        for key, lids in by_key.items():
            self._tolerant.add_word(key, (tuple(lids), len(key)))
        if by_key:
            self._tolerant.make_automaton()

    # --- compile ----------------------------------------------------------

    def _literal_id(self, text: str) -> int | None:
        literal = normalize_text(text, self.language)
        if not literal:
            return None
        if literal not in self._literals:
            self._literals[literal] = len(self._texts)
            self._texts.append(literal)
        return self._literals[literal]

    def _part_ids(self, alternatives: tuple[str, ...]) -> tuple[int, ...]:
        ids = (self._literal_id(alt) for alt in alternatives)
        return tuple(dict.fromkeys(lid for lid in ids if lid is not None))

    def _tolerant_key(self, literal: str) -> str | None:
        if self._zh:
            # One character never; two only with tones (失业 ≠ 事业); three or more toneless.
            if len(literal) < 2 or not any(phonetic.has_reading(ch) for ch in literal):
                return None
            toned, toneless = phonetic.pinyin_codes(literal)
            return toned if len(literal) == 2 else toneless
        words = literal.split(" ")
        if len(words) < 2:  # single English words never match fuzzily
            return None
        codes = self._fuzzy_codes
        for key in map(phonetic.english_key, words):
            # Codes from U+0100 up: never a space, never the "unknown word" code.
            codes.setdefault(key, chr(0x100 + len(codes)))
        return "".join(codes[phonetic.english_key(w)] for w in words)

    # --- match ------------------------------------------------------------

    def match(self, text: str, speaker: Speaker) -> list[Match]:
        """The rules that match ``text`` said by ``speaker`` ("agent" or "debtor")."""
        triggers = self._triggers.get(speaker)
        if triggers is None:
            raise ValueError(f"speaker must be 'agent' or 'debtor', not {speaker!r}")
        norm = normalize(text, self.language)
        if not norm.text or not self._literals:
            return []
        u = _Utterance(norm, self._zh)
        u.exact = self._exact_hits(u)
        tolerant = self._tolerant_hits(norm.text, u.exact) if len(self._tolerant) else {}
        candidates: dict[int, list[int]] = defaultdict(list)  # rule → patterns
        for lid in u.exact.keys() | tolerant.keys():
            for r, p in triggers.get(lid, ()):
                candidates[r].append(p)
        matches: list[Match] = []
        for r, patterns in candidates.items():
            found = self._best(r, patterns, tolerant, u)
            if found is not None:
                (start, end), kind = found
                rule = self._rules[r]
                start, end = norm.original_span(*u.to_chars(start, end))
                matches.append(
                    Match(
                        rule_id=rule.id,
                        category=rule.category,
                        severity=rule.severity,
                        speaker=speaker,
                        start=start,
                        end=end,
                        matched_text=text[start:end],
                        kind=kind,
                        score=_SCORES[kind],
                        explanation=rule.explanation,
                        reply=rule.reply,
                    )
                )
        matches.sort(key=lambda m: (m.start, m.end))
        return matches

    def _exact_hits(self, u: _Utterance) -> dict[int, list[Span]]:
        hits: dict[int, list[Span]] = defaultdict(list)
        if self._zh:
            for end, (lid, length) in self._exact.iter(u.norm.text):
                hits[lid].append((end - length + 1, end + 1))
        else:
            # The key " literal " ends (inclusive) at padded index e, so the
            # literal covers normalised characters [e - 1 - length, e - 1).
            for end, (lid, length) in self._exact.iter(f" {u.norm.text} "):
                hits[lid].append(u.from_chars(end - length - 1, end - 1))
        return hits

    def _tolerant_hits(self, text: str, exact: dict[int, list[Span]]) -> dict[int, list[Span]]:
        """Spans where a literal matches by sound but not exactly."""
        found: list[tuple[Span, tuple[int, ...]]] = []
        if self._zh:
            toned, toneless = phonetic.pinyin_codes(text)
            offset = len(toned) + 1  # the toneless half follows a separator
            for last, (lids, length) in self._tolerant.iter(f"{toned}\x00{toneless}"):
                end = last + 1 - offset if last >= offset else last + 1
                found.append(((end - length, end), lids))
        else:
            codes = self._fuzzy_codes
            keys = "".join(codes.get(phonetic.english_key(w), "\x01") for w in text.split(" "))
            for end, (lids, length) in self._tolerant.iter(keys):
                found.append(((end - length + 1, end + 1), lids))
        hits: dict[int, list[Span]] = defaultdict(list)
        for span, lids in found:
            for lid in lids:
                if span not in exact.get(lid, ()):  # an exact hit is no homophone of itself
                    hits[lid].append(span)
        return hits

    def _best(
        self, r: int, patterns: list[int], tolerant: dict[int, list[Span]], u: _Utterance
    ) -> tuple[Span, MatchKind] | None:
        """The rule's best match: exact before tolerant, then earliest."""
        best = self._earliest(r, patterns, u.exact, u)
        if best is not None:
            return best, "exact"
        if not tolerant or not self._rules[r].tolerant:
            return None
        parts = (ids for p in patterns for ids in self._patterns[p].elements)
        if all(ids.isdisjoint(tolerant.keys()) for ids in parts):
            return None  # nothing of this rule was heard by sound alone
        if u.merged is None:  # exact and tolerant hits together, once per utterance
            lids = u.exact.keys() | tolerant.keys()
            u.merged = {lid: sorted(u.exact.get(lid, []) + tolerant.get(lid, [])) for lid in lids}
        best = self._earliest(r, patterns, u.merged, u)
        if best is None:
            return None
        return best, "homophone" if self._zh else "fuzzy"

    def _earliest(
        self, r: int, patterns: list[int], hits: dict[int, list[Span]], u: _Utterance
    ) -> Span | None:
        best: Span | None = None
        literals: list[Span] = []  # one-part patterns all at once: most patterns are
        for p in patterns:
            pattern = self._patterns[p]
            if len(pattern.elements) == 1:
                for lid in _present(pattern.elements[0], hits):
                    literals.extend(hits[lid])
            elif (span := self._chain(r, pattern, hits, u)) and (best is None or span < best):
                best = span
        for span in sorted(literals):
            if best is not None and span >= best:
                break
            if not self._excluded(r, span, u):
                return span
        return best

    def _chain(
        self, r: int, pattern: _Pattern, hits: dict[int, list[Span]], u: _Utterance
    ) -> Span | None:
        """The earliest non-excluded occurrence of a pattern's parts in order."""
        parts: list[list[Span]] = []
        for ids in pattern.elements:
            spans = [span for lid in _present(ids, hits) for span in hits[lid]]
            if not spans:
                return None
            parts.append(spans)
        within = pattern.within
        for start, first_end in sorted(parts[0]):
            # The set of ends a chain from this start can reach, part by part:
            # no backtracking, and every way through the alternatives is tried.
            ends = {first_end}
            for spans in parts[1:]:
                ends = {e for s, e in spans if any(0 <= s - pe <= within for pe in ends)}
                if not ends:
                    break
            else:
                span = (start, min(ends))
                if not self._excluded(r, span, u):
                    return span
        return None

    def _excluded(self, r: int, span: Span, u: _Utterance) -> bool:
        # Cues match exactly only: a negation heard by sound would cancel too much.
        start, end = span
        clause = u.clause
        if u.exact.keys().isdisjoint(self._cues[r]):
            return False  # the usual case: no cue of this rule was said
        for x in self._exclusions[r]:
            for lid in _present(x.cues, u.exact):
                for cs, ce in u.exact[lid]:
                    if x.kind == "utterance":
                        return True
                    before = x.kind != "after" and cs < start and start - ce <= x.window
                    after = x.kind != "before" and ce > end and cs - end <= x.window
                    if (before and clause(cs) == clause(start)) or (
                        after and clause(ce - 1) == clause(end - 1)
                    ):
                        return True
        return False


def _present(ids: frozenset[int], hits: dict[int, list[Span]]) -> Iterable[int]:
    """The literals of ``ids`` that occur: a part can have hundreds of alternatives."""
    if len(ids) > 4:
        return hits.keys() & ids
    return [lid for lid in ids if lid in hits]


class _Utterance:
    """One text being matched: its units (characters zh / words en) and exact hits."""

    __slots__ = ("by_end", "by_start", "exact", "merged", "norm", "zh")

    def __init__(self, norm: Normalized, zh: bool) -> None:
        self.norm = norm
        self.zh = zh
        self.exact: dict[int, list[Span]] = {}
        self.merged: dict[int, list[Span]] | None = None
        words = () if zh else norm.words  # Chinese units are characters: no lookup needed
        self.by_start = {s: i for i, (s, _) in enumerate(words)}
        self.by_end = {e: i + 1 for i, (_, e) in enumerate(words)}

    def from_chars(self, start: int, end: int) -> Span:
        return self.by_start[start], self.by_end[end]

    def clause(self, unit: int) -> int:
        return self.norm.clause(unit if self.zh else self.norm.words[unit][0])

    def to_chars(self, start: int, end: int) -> tuple[int, int]:
        if self.zh:
            return start, end
        return self.norm.words[start][0], self.norm.words[end - 1][1]


def compile_pack(pack: RulePack) -> CompiledPack:
    if pack.info.language == "zh":
        phonetic.warm_up()  # build the pinyin table now, not on the first partial
    return CompiledPack(pack)
