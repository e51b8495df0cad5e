"""Plain values the store hands out: no ORM object leaves ``agent_assist.store``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

Role = Literal["collector", "team_lead", "trainer", "admin"]
ROLES: tuple[Role, ...] = ("collector", "team_lead", "trainer", "admin")
SEVERITY_RANK = {"info": 1, "warning": 2, "critical": 3}


@dataclass(frozen=True)
class Actor:
    """Who is asking: every repository call names one, and access follows the role."""

    user_id: int
    role: Role
    team_id: int | None = None


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    display_name: str
    role: Role
    team_id: int | None

    def as_actor(self) -> Actor:
        return Actor(self.id, self.role, self.team_id)


@dataclass(frozen=True)
class CallSummary:
    id: str
    user_id: int | None
    team_id: int | None
    case_id: int | None
    started_at: datetime
    ended_at: datetime | None
    duration_ms: int | None
    end_reason: str | None
    outcome: str | None
    flag_count: int
    critical_count: int
    max_severity: int
    review_state: str


@dataclass(frozen=True)
class SegmentRecord:
    speaker: str
    utterance: int
    start_ms: int
    end_ms: int
    text: str
    confidence: float | None


@dataclass(frozen=True)
class FlagRecord:
    id: int
    flag_id: str
    rule_id: str
    category: str
    severity: str
    speaker: str
    utterance: int
    span_start: int
    span_end: int
    span_text: str
    kind: str
    score: float
    state: str
    t_ms: int
    verdict: str | None


@dataclass(frozen=True)
class ReviewRecord:
    id: int
    reviewer_id: int
    at: datetime
    score: int | None
    summary: str


@dataclass(frozen=True)
class CallDetail:
    call: CallSummary
    segments: tuple[SegmentRecord, ...]
    flags: tuple[FlagRecord, ...]
    reviews: tuple[ReviewRecord, ...]
    wrap_up: str | None


@dataclass(frozen=True)
class DebtorRecord:
    id: int
    external_ref: str
    name: str
    national_id: str | None  # masked
    phones: tuple[str, ...]  # masked
    region: str | None
    time_zone: str
    segment: str | None
    language: str


@dataclass(frozen=True)
class CaseRecord:
    id: int
    external_ref: str
    debtor: DebtorRecord
    product: str
    currency: str
    principal: Decimal
    overdue_amount: Decimal
    days_past_due: int
    stage: str
    status: str
    assigned_user_id: int | None


@dataclass(frozen=True)
class PromiseRecord:
    id: int
    case_id: int
    call_id: str | None
    amount: Decimal
    currency: str
    due_date: date
    status: str


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor_id: int | None
    action: str
    target_type: str
    target_id: str
    detail: str
