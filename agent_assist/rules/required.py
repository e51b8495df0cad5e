"""Statements the collector must make early in the call (CN: name and institution;
US: the mini-Miranda). A requirement not met by its deadline is reported once."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence

from agent_assist.events import (
    CallEnded,
    Event,
    Final,
    Partial,
    RequirementMissed,
    Speaker,
)
from agent_assist.rules.live import Matcher
from agent_assist.rules.model import Examples, RequiredStatement, Rule, RulePack


def requirements_pack(pack: RulePack) -> RulePack:
    """The pack's required statements as rules (rule id = requirement id), for the matcher."""
    rules = tuple(
        Rule(
            id=req.id,
            category="required",
            speaker=req.speaker,
            severity=req.severity,
            patterns=req.patterns,
            exclusions=(),
            explanation=req.explanation,
            reply=None,
            examples=Examples(),
        )
        for req in pack.required
    )
    return RulePack(info=pack.info, rules=rules, path=pack.path)


def said_in_time(
    final: Final, matcher: Matcher, statements: Mapping[str, RequiredStatement]
) -> Iterator[RequiredStatement]:
    """The ``statements`` (by id) this final says by their speaker within their deadline.

    ``matcher`` is the compiled :func:`requirements_pack`; the speaker is checked here too,
    so a debtor's line never meets a statement the collector must make."""
    for match in matcher.match(final.text, final.speaker):
        req = statements.get(match.rule_id)
        if req is None or req.speaker not in (final.speaker, "any"):
            continue
        if final.start_ms <= req.within_s * 1000:
            yield req


class RequirementTracker:
    """Reports each requirement not said within its deadline (an analyzer)."""

    def __init__(self, requirements: Sequence[RequiredStatement], matcher: Matcher) -> None:
        self._pending = {req.id: req for req in requirements}
        self._matcher = matcher
        self._open: set[Speaker] = set()  # speakers with an utterance in progress
        self._lock = threading.Lock()

    def on_event(self, event: Event) -> list[RequirementMissed]:
        with self._lock:
            if not self._pending:
                return []
            if isinstance(event, Partial):
                self._open.add(event.speaker)
                return []
            if isinstance(event, Final):
                self._open.discard(event.speaker)
                self._satisfy(event)
            return self._overdue(event)

    def _satisfy(self, final: Final) -> None:
        for req in list(said_in_time(final, self._matcher, self._pending)):
            del self._pending[req.id]

    def _overdue(self, event: Event) -> list[RequirementMissed]:
        ended = isinstance(event, CallEnded)
        missed = []
        for req in list(self._pending.values()):
            due = event.t_ms >= req.within_s * 1000
            # An utterance still being spoken may yet contain the statement.
            speaking = req.speaker in self._open or (req.speaker == "any" and self._open)
            if ended or (due and not speaking):
                missed.append(
                    RequirementMissed(
                        requirement_id=req.id,
                        speaker=req.speaker,
                        within_s=req.within_s,
                        severity=req.severity,
                        explanation=req.explanation,
                        t_ms=event.t_ms,
                    )
                )
                del self._pending[req.id]
        return missed
