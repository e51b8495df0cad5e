"""The database schema (SQLAlchemy 2 typed ORM).

ORM classes never leave ``agent_assist.store``: repositories turn rows into the
plain dataclasses of :mod:`agent_assist.store.records`. Text that may hold
personal numbers (segments, flag spans, notes) is masked before it gets here.

Calls are keyed by the client-made call id (a hex UUID) so that a desktop can
keep recording while a shared server is away and replay later without
duplicates; segments and flags have natural unique keys for the same reason.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

Money = Numeric(14, 2)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored; give it a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))  # collector | team_lead | trainer | admin
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Debtor(Base):
    __tablename__ = "debtors"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_ref: Mapped[str] = mapped_column(String(64), unique=True)  # the bank's customer id
    name: Mapped[str] = mapped_column(String(100))
    national_id: Mapped[str | None] = mapped_column(String(32))  # masked
    phones: Mapped[list[str]] = mapped_column(JSON, default=list)  # masked
    region: Mapped[str | None] = mapped_column(String(64))
    time_zone: Mapped[str] = mapped_column(String(64))
    segment: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(16))


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_ref: Mapped[str] = mapped_column(String(64), unique=True)  # the bank's loan/case id
    debtor_id: Mapped[int] = mapped_column(ForeignKey("debtors.id"), index=True)
    product: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    principal: Mapped[Decimal] = mapped_column(Money)
    overdue_amount: Mapped[Decimal] = mapped_column(Money)
    days_past_due: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32), default="active")
    assigned_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ContactAttempt(Base):
    __tablename__ = "contact_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    channel: Mapped[str] = mapped_column(String(16))  # call | sms | letter | email | visit
    outcome: Mapped[str] = mapped_column(String(32))
    call_id: Mapped[str | None] = mapped_column(ForeignKey("calls.id"))


class Call(Base):
    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_user_started", "user_id", "started_at"),
        Index("ix_calls_queue", "review_state", "started_at"),
        Index("ix_calls_team_queue", "team_id", "review_state", "started_at"),
        # A team's queue over every review state, newest or most severe first: read in
        # index order, the first page stops early instead of sorting the team's calls.
        Index("ix_calls_team_started", "team_id", "started_at"),
        Index("ix_calls_team_severity", "team_id", "max_severity", "critical_count", "started_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    audio_setup: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(100))
    end_reason: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(32))
    wrap_up: Mapped[str | None] = mapped_column(Text)
    # Kept up to date as flags arrive, so the review queue is one indexed scan.
    flag_count: Mapped[int] = mapped_column(Integer, default=0)
    critical_count: Mapped[int] = mapped_column(Integer, default=0)
    # 0 none, 1 info, 2 warning, 3 critical
    max_severity: Mapped[int] = mapped_column(Integer, default=0)
    # none (nothing flagged) | pending | reviewed
    review_state: Mapped[str] = mapped_column(String(16), default="none")


class Segment(Base):
    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("call_id", "speaker", "utterance"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    speaker: Mapped[str] = mapped_column(String(8))
    utterance: Mapped[int] = mapped_column(Integer)
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)  # masked
    confidence: Mapped[float | None] = mapped_column(Float)


class FlagRow(Base):
    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("call_id", "flag_id"),
        # The queue's category filter answered from the index alone (state included).
        Index("ix_flags_category", "category", "call_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    flag_id: Mapped[str] = mapped_column(String(64))  # the live engine's id for this flag
    rule_id: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    speaker: Mapped[str] = mapped_column(String(8))
    utterance: Mapped[int] = mapped_column(Integer)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    span_text: Mapped[str] = mapped_column(Text)  # masked
    kind: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(16))  # raised | confirmed | retracted
    t_ms: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str | None] = mapped_column(String(16))  # upheld | false_positive
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    score: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")


class CoachingNote(Base):
    __tablename__ = "coaching_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str | None] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    flag_row_id: Mapped[int | None] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    collector_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    text: Mapped[str] = mapped_column(Text)  # masked


class Promise(Base):
    __tablename__ = "promises"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    call_id: Mapped[str | None] = mapped_column(ForeignKey("calls.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | kept | broken
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PublishedVersion(Base):
    """A rule pack or script library as a trainer published it."""

    __tablename__ = "published_versions"
    __table_args__ = (UniqueConstraint("kind", "ref", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # rule_pack | script_library
    ref: Mapped[str] = mapped_column(String(64))  # pack or library id
    version: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ActiveVersion(Base):
    """The published version of a pack or library that desktops run from their next call:
    every team's (``team_id`` None) or one team's, which overrides it for that team's
    desktops. No row for a desktop's team nor for every team means the files shipped with
    the app. Rollback points it back."""

    __tablename__ = "active_versions"
    __table_args__ = (
        # One every-team row per pack; team rows are unique through the constraint below
        # (NULLs never collide in it, hence the partial index).
        Index(
            "uq_active_versions_every_team",
            "kind",
            "ref",
            unique=True,
            sqlite_where=text("team_id IS NULL"),
            postgresql_where=text("team_id IS NULL"),
        ),
        UniqueConstraint("kind", "ref", "team_id", name="uq_active_versions_team"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # rule_pack | script_library
    ref: Mapped[str] = mapped_column(String(64))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    version: Mapped[str] = mapped_column(String(32))
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime())


class MissedFlag(Base):
    """Words on a call that should have been flagged and were not, noted by a team lead:
    a proposed ``should_flag`` example for the trainers."""

    __tablename__ = "missed_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    speaker: Mapped[str] = mapped_column(String(8))
    utterance: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)  # masked
    category: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    noted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    noted_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ExampleDecision(Base):
    """A trainer's answer to a proposed example (a false positive's words, a missed
    breach's words): accepted into a pack, or dismissed. One answer per proposal."""

    __tablename__ = "example_decisions"
    __table_args__ = (UniqueConstraint("source", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # false_positive (flags.id) | missed
    source_id: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(16))  # accepted | dismissed
    rule_id: Mapped[str | None] = mapped_column(String(100))  # where it was accepted
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DrillSession(Base):
    """A trainee's role-play drill: the scenario, the pack it was scored by, the score."""

    __tablename__ = "drill_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The client-made key (hex UUID): a drill's writes replay from a spool without
    # duplicates. None on drills stored before keys existed.
    key: Mapped[str | None] = mapped_column(String(32), unique=True, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scenario_id: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(8))
    pack_ref: Mapped[str] = mapped_column(String(64))
    pack_version: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    score: Mapped[float | None] = mapped_column(Float)
    report: Mapped[str | None] = mapped_column(Text)  # JSON: the session report


class DrillTurn(Base):
    """One line of a drill, stored as it is said: the app's debtor line or the trainee's."""

    __tablename__ = "drill_turns"
    __table_args__ = (UniqueConstraint("session_id", "turn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("drill_sessions.id", ondelete="CASCADE"), index=True
    )
    turn: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(8))  # debtor (the app) | agent (the trainee)
    text: Mapped[str] = mapped_column(Text)  # masked
    flags: Mapped[str] = mapped_column(Text, default="[]")  # JSON: what the rules raised
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class Recording(Base):
    """Call audio, kept only when recording is turned on; deleted after its retention."""

    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    speaker: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    delete_after: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))  # read_call | export | publish | import | …
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")


class OutboxMessage(Base):
    """A follow-up text message for a case's own debtor, waiting for or sent to the bank.

    There is no phone column on purpose: the bank resolves the number from the case.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    call_id: Mapped[str | None] = mapped_column(ForeignKey("calls.id"))
    template_id: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)  # masked
    # queued | sent | failed | cancelled
    status: Mapped[str] = mapped_column(String(16), default="queued")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    gateway_ref: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(Text)
