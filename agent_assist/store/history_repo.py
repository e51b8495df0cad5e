"""What happened on each case, for prioritisation: promises, contacts, calls, debtor cues.

Read-only. The repository loads each case's *timeline* (its facts and dated
events) in five queries whatever the number of cases; :func:`history_at` counts
what had happened by a given moment. The same counting gives today's features
for the worklist and the features as they stood at each past call for fitting
(:func:`call_examples`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true

from agent_assist.errors import AccessDenied
from agent_assist.store.access import require_role
from agent_assist.store.database import Database
from agent_assist.store.records import Actor
from agent_assist.store.tables import Call, Case, ContactAttempt, FlagRow, Promise, User

DAY = timedelta(days=1)


@dataclass(frozen=True)
class PromiseEvent:
    created_at: datetime
    resolved_at: datetime | None
    status: str  # pending | kept | broken
    call_id: str | None


@dataclass(frozen=True)
class ContactEvent:
    at: datetime
    channel: str
    outcome: str | None


@dataclass(frozen=True)
class CueEvent:
    """A past call with at least one confirmed flag of ``category`` (not a false positive)."""

    at: datetime  # when the call started
    call_id: str
    category: str


@dataclass(frozen=True)
class CallEvent:
    id: str
    started_at: datetime


@dataclass(frozen=True)
class CaseTimeline:
    case_id: int
    case_ref: str
    currency: str
    principal: Decimal
    overdue_amount: Decimal
    days_past_due: int  # as of updated_at: the bank's list or the last status change
    stage: str
    status: str
    updated_at: datetime
    promises: tuple[PromiseEvent, ...]
    contacts: tuple[ContactEvent, ...]
    cues: tuple[CueEvent, ...]
    calls: tuple[CallEvent, ...]  # those the asker may learn from (a lead: the team's)


@dataclass(frozen=True)
class CaseHistory:
    """A case's figures as they stood at one moment: what the risk features are made of."""

    case_id: int
    case_ref: str
    currency: str
    principal: Decimal
    overdue_amount: Decimal
    days_past_due: int
    stage: str
    status: str
    promises_kept: int = 0
    promises_broken: int = 0
    promises_pending: int = 0
    attempts_7d: int = 0
    attempts_30d: int = 0
    conversations_30d: int = 0
    days_since_contact: float | None = None  # None: no contact attempt on record
    cues: Mapping[str, int] = field(default_factory=dict)  # category → past calls with it


@dataclass(frozen=True)
class LabelledCall:
    """One past call: the case as it stood when the call began, and whether payment followed."""

    call_id: str
    history: CaseHistory
    paid: bool


class HistoryRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def worklist(self, actor: Actor) -> list[CaseTimeline]:
        """The cases ``actor`` works: a collector's own, a lead's team's, all for an admin."""
        scope: ColumnElement[bool]
        if actor.role == "collector":
            scope = Case.assigned_user_id == actor.user_id
        elif actor.role == "team_lead":
            team = select(User.id).where(User.team_id == actor.team_id)
            scope = Case.assigned_user_id.in_(team) if actor.team_id is not None else false()
        elif actor.role == "admin":
            scope = true()
        else:
            raise AccessDenied(
                f"a {actor.role} has no worklist; sign in as a collector, team lead or admin"
            )
        return self._timelines(select(Case.id).where(scope), lambda team_id: True)

    def called_cases(self, actor: Actor) -> list[CaseTimeline]:
        """Cases with calls of ``actor``'s team (every team for an admin), to learn from."""
        require_role(actor, "team_lead", "admin", to="fit the risk model on a team's calls")
        if actor.role == "admin":
            scope: ColumnElement[bool] = true()
        elif actor.team_id is None:
            scope = false()
        else:
            scope = Call.team_id == actor.team_id
        cases = select(Call.case_id).where(Call.case_id.is_not(None), scope)
        every_team = actor.role == "admin"
        return self._timelines(cases, lambda team_id: every_team or team_id == actor.team_id)

    def _timelines(
        self, case_ids: Select[Any], keep_call: Callable[[int | None], bool]
    ) -> list[CaseTimeline]:
        promises: dict[int, list[PromiseEvent]] = defaultdict(list)
        contacts: dict[int, list[ContactEvent]] = defaultdict(list)
        cues: dict[int, list[CueEvent]] = defaultdict(list)
        calls: dict[int, list[CallEvent]] = defaultdict(list)
        logged: set[str] = set()  # calls that have a contact attempt of their own
        with self._db.session() as session:
            cases = list(
                session.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.id))
            )
            for row in session.execute(
                select(Promise.case_id, Promise.created_at, Promise.resolved_at)
                .add_columns(Promise.status, Promise.call_id)
                .where(Promise.case_id.in_(case_ids))
            ):
                promises[row[0]].append(PromiseEvent(*row[1:]))
            for case_id, at, channel, outcome, call_id in session.execute(
                select(ContactAttempt.case_id, ContactAttempt.at, ContactAttempt.channel)
                .add_columns(ContactAttempt.outcome, ContactAttempt.call_id)
                .where(ContactAttempt.case_id.in_(case_ids))
            ):
                contacts[case_id].append(ContactEvent(at, channel, outcome))
                if call_id:
                    logged.add(call_id)
            for case_id, call_id, started, outcome, team_id in session.execute(
                select(Call.case_id, Call.id, Call.started_at, Call.outcome, Call.team_id).where(
                    Call.case_id.in_(case_ids)
                )
            ):
                assert case_id is not None  # the query asks for calls of cases
                if call_id not in logged:  # a call wrapped up without a logged contact
                    contacts[case_id].append(ContactEvent(started, "call", outcome))
                if keep_call(team_id):
                    calls[case_id].append(CallEvent(call_id, started))
            # One per call and category: a debtor repeating a cue on one call is one cue.
            for case_id, started, call_id, category in session.execute(
                select(Call.case_id, Call.started_at, Call.id, FlagRow.category)
                .distinct()
                .join(Call, Call.id == FlagRow.call_id)
                .where(
                    Call.case_id.in_(case_ids),
                    FlagRow.state == "confirmed",
                    or_(FlagRow.verdict.is_(None), FlagRow.verdict != "false_positive"),
                )
            ):
                assert case_id is not None
                cues[case_id].append(CueEvent(started, call_id, category))
        return [
            CaseTimeline(
                case_id=c.id,
                case_ref=c.external_ref,
                currency=c.currency,
                principal=Decimal(c.principal),
                overdue_amount=Decimal(c.overdue_amount),
                days_past_due=c.days_past_due,
                stage=c.stage,
                status=c.status,
                updated_at=c.updated_at,
                promises=tuple(promises[c.id]),
                contacts=tuple(sorted(contacts[c.id], key=lambda e: e.at)),
                cues=tuple(cues[c.id]),
                calls=tuple(sorted(calls[c.id], key=lambda e: e.started_at)),
            )
            for c in cases
        ]


def history_at(
    timeline: CaseTimeline,
    at: datetime,
    *,
    attempt_channels: Collection[str],
    conversation_outcomes: Collection[str],
) -> CaseHistory:
    """The counts of what happened on the case strictly before ``at``."""
    kept = broken = pending = 0
    for p in timeline.promises:
        if p.created_at >= at:
            continue
        settled = p.status != "pending" and (p.resolved_at is None or p.resolved_at < at)
        if not settled:
            pending += 1
        elif p.status == "kept":
            kept += 1
        else:
            broken += 1
    before = [e for e in timeline.contacts if e.at < at]
    attempts = [e for e in before if e.channel in attempt_channels]
    talks = [e for e in before if e.channel == "call" and e.outcome in conversation_outcomes]
    cues: dict[str, int] = defaultdict(int)
    for cue in timeline.cues:
        if cue.at < at:
            cues[cue.category] += 1
    last = max((e.at for e in attempts), default=None)
    return CaseHistory(
        case_id=timeline.case_id,
        case_ref=timeline.case_ref,
        currency=timeline.currency,
        principal=timeline.principal,
        overdue_amount=timeline.overdue_amount,
        days_past_due=timeline.days_past_due,
        stage=timeline.stage,
        status=timeline.status,
        promises_kept=kept,
        promises_broken=broken,
        promises_pending=pending,
        attempts_7d=sum(e.at >= at - 7 * DAY for e in attempts),
        attempts_30d=sum(e.at >= at - 30 * DAY for e in attempts),
        conversations_30d=sum(e.at >= at - 30 * DAY for e in talks),
        days_since_contact=None if last is None else (at - last) / DAY,
        cues=dict(cues),
    )


def call_examples(
    timelines: Collection[CaseTimeline],
    *,
    attempt_channels: Collection[str],
    conversation_outcomes: Collection[str],
) -> list[LabelledCall]:
    """Each past call with a known outcome, as the case stood when it began.

    Paid: a promise made on the call was kept, or the case was closed after it.
    A call whose promise is still pending is left out. The store keeps only a
    case's current figures, so (docs/prioritisation.md): days past due are
    wound back to the call's day, the stage is today's, the status is today's
    only if it was set before the call (otherwise ``active``), and a settled
    case's overdue amount is its principal times the median overdue share of
    the unsettled cases.
    """
    open_shares = [t.overdue_amount / t.principal for t in timelines if _open(t)]
    share = statistics.median(open_shares) if open_shares else Decimal(1)
    examples = []
    for t in timelines:
        for call in t.calls:
            paid = _paid(t, call)
            if paid is None:
                continue
            start = call.started_at
            history = history_at(
                t,
                start,
                attempt_channels=attempt_channels,
                conversation_outcomes=conversation_outcomes,
            )
            overdue = (
                t.overdue_amount if _open(t) else (t.principal * share).quantize(Decimal("0.01"))
            )
            history = replace(
                history,
                days_past_due=max(0, t.days_past_due - max(0, (t.updated_at - start).days)),
                status=t.status if t.updated_at < start else "active",
                overdue_amount=overdue,
            )
            examples.append(LabelledCall(call.id, history, paid))
    return examples


def _open(t: CaseTimeline) -> bool:
    return t.overdue_amount > 0 and t.principal > 0


def _paid(t: CaseTimeline, call: CallEvent) -> bool | None:
    if t.status == "closed" and t.updated_at > call.started_at:
        return True
    made = [p.status for p in t.promises if p.call_id == call.id]
    if "kept" in made:
        return True
    return None if "pending" in made else False
