"""A collector's day: cases in priority order, each with whether it may be called now.

Joins the three answers the worklist shows: the priority (risk score and its
reasons), the pre-dial verdict (allowed, every reason, the next allowed time)
and the promises due. Qt-free: the desktop and ``agent-assist worklist`` show
the same list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from agent_assist.compliance.check import Verdict
from agent_assist.compliance.guard import ContactGuard
from agent_assist.compliance.priority import Assessment, rank
from agent_assist.compliance.risk_model import RiskModel
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.contacts_repo import ContactRepository
from agent_assist.store.database import Database
from agent_assist.store.history_repo import HistoryRepository, history_at
from agent_assist.store.records import Actor, PromiseRecord


@dataclass(frozen=True)
class WorklistItem:
    priority: Assessment
    verdict: Verdict
    promises_due: tuple[PromiseRecord, ...]

    @property
    def case_id(self) -> int:
        return self.priority.history.case_id

    @property
    def callable_now(self) -> bool:
        return self.verdict.allowed


def build_worklist(
    db: Database, actor: Actor, model: RiskModel, *, when: datetime | None = None, lang: str = "en"
) -> list[WorklistItem]:
    """The actor's cases, best first; blocked cases (by status) last."""
    when = when or datetime.now(UTC)
    timelines = HistoryRepository(db).worklist(actor)
    histories = [
        history_at(
            t,
            when,
            attempt_channels=model.attempt_channels,
            conversation_outcomes=model.conversation_outcomes,
        )
        for t in timelines
    ]
    ranked = rank(histories, model, lang=lang)
    guard = ContactGuard(ContactRepository(db), db)
    due: dict[int, list[PromiseRecord]] = {}
    for promise in CaseRepository(db).due_promises(actor, when.date()):
        due.setdefault(promise.case_id, []).append(promise)
    return [
        WorklistItem(
            priority=item,
            verdict=guard.verdict(actor, guard.repo.facts(actor, item.history.case_id), when),
            promises_due=tuple(due.get(item.history.case_id, ())),
        )
        for item in ranked
    ]
