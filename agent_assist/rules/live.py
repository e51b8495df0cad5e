"""Live flags over streaming recognition results.

A partial result may raise a flag (the collector sees it within a fraction of
a second); the final result of the same utterance confirms it or retracts it.
A growing partial never raises the same rule twice, and a confirmed rule
stays quiet for the pack's cool-down so a collector is not nagged.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from agent_assist.events import Event, Final, Flag, FlagState, MatchKind, Partial, Speaker


class MatchLike(Protocol):
    @property
    def rule_id(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def kind(self) -> MatchKind: ...
    @property
    def score(self) -> float: ...
    @property
    def explanation(self) -> str: ...
    @property
    def reply(self) -> str | None: ...


class Matcher(Protocol):
    """What a compiled rule pack offers: the rules that match one utterance."""

    def match(self, text: str, speaker: Speaker) -> Sequence[MatchLike]: ...


@dataclass
class _Utterance:
    number: int
    raised: dict[str, Flag] = field(default_factory=dict)  # rule id → its raised flag


def flag_from(match: MatchLike, state: FlagState, event: Partial | Final) -> Flag:
    speaker, utterance, text, t_ms = event.speaker, event.utterance, event.text, event.t_ms
    return Flag(
        flag_id=f"{speaker}:{utterance}:{match.rule_id}",
        state=state,
        rule_id=match.rule_id,
        category=match.category,
        severity=match.severity,
        speaker=speaker,
        utterance=utterance,
        text=text,
        start=match.start,
        end=match.end,
        kind=match.kind,
        score=match.score,
        explanation=match.explanation,
        reply=match.reply,
        t_ms=t_ms,
    )


class LiveFlagger:
    """Turns Partial/Final events into Flag events (an analyzer of the call session)."""

    def __init__(self, matcher: Matcher, cooldown_s: float = 10.0) -> None:
        self._matcher = matcher
        self._cooldown_ms = int(cooldown_s * 1000)
        self._open: dict[Speaker, _Utterance] = {}
        self._last_confirmed: dict[tuple[Speaker, str], int] = {}
        self._lock = threading.Lock()  # both speakers' workers call in

    def on_event(self, event: Event) -> list[Flag]:
        if isinstance(event, Partial):
            with self._lock:
                return self._on_partial(event)
        if isinstance(event, Final):
            with self._lock:
                return self._on_final(event)
        return []

    def _cooling(self, speaker: Speaker, rule_id: str, t_ms: int) -> bool:
        last = self._last_confirmed.get((speaker, rule_id))
        return last is not None and t_ms - last < self._cooldown_ms

    def _utterance(self, speaker: Speaker, number: int) -> _Utterance:
        current = self._open.get(speaker)
        if current is None or current.number != number:
            current = _Utterance(number)
            self._open[speaker] = current
        return current

    def _on_partial(self, event: Partial) -> list[Flag]:
        utt = self._utterance(event.speaker, event.utterance)
        flags = []
        for match in self._matcher.match(event.text, event.speaker):
            if match.rule_id in utt.raised or self._cooling(
                event.speaker, match.rule_id, event.t_ms
            ):
                continue
            flag = flag_from(match, "raised", event)
            utt.raised[match.rule_id] = flag
            flags.append(flag)
        return flags

    def _on_final(self, event: Final) -> list[Flag]:
        utt = self._utterance(event.speaker, event.utterance)
        del self._open[event.speaker]
        matches = {m.rule_id: m for m in self._matcher.match(event.text, event.speaker)}
        flags = []
        for rule_id, raised in utt.raised.items():
            match = matches.pop(rule_id, None)
            if match is None:
                flags.append(_retracted(raised, event))
                continue
            flags.append(flag_from(match, "confirmed", event))
            self._last_confirmed[(event.speaker, rule_id)] = event.t_ms
        for rule_id, match in matches.items():  # said only in the final result
            if self._cooling(event.speaker, rule_id, event.t_ms):
                continue
            flags.append(flag_from(match, "confirmed", event))
            self._last_confirmed[(event.speaker, rule_id)] = event.t_ms
        return flags


def _retracted(raised: Flag, final: Final) -> Flag:
    return replace(raised, state="retracted", text=final.text, start=0, end=0, t_ms=final.t_ms)
