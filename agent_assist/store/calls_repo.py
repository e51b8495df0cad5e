"""Reading, reviewing and exporting calls, under the access rules."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select

from agent_assist.errors import AccessDenied, StoreError
from agent_assist.store.access import require_call_access, require_role
from agent_assist.store.audit import write_audit
from agent_assist.store.database import Database
from agent_assist.store.records import (
    SEVERITY_RANK,
    Actor,
    CallDetail,
    CallSummary,
    FlagRecord,
    ReviewRecord,
    SegmentRecord,
)
from agent_assist.store.tables import Call, CoachingNote, FlagRow, Review, Segment, Team

PAGE_SIZE = 50
VERDICTS = ("upheld", "false_positive", "needs_coaching")
# QueueFilter.verdict: calls with a live flag nobody has judged yet.
UNJUDGED = "unjudged"
# QueueFilter.order
NEWEST, MOST_SEVERE = "newest", "most_severe"


@dataclass(frozen=True)
class QueueFilter:
    """What a reviewer narrows the queue to; None means any."""

    review_state: str | None = "pending"
    collector_id: int | None = None
    team_id: int | None = None
    category: str | None = None
    min_severity: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    flag_state: str | None = None  # raised | confirmed: calls with a flag in that state
    verdict: str | None = None  # one of VERDICTS, or UNJUDGED
    order: str = NEWEST


class CallRepository:
    def __init__(self, db: Database, mask: Any) -> None:
        self._db = db
        self._mask = mask

    @property
    def database(self) -> Database:
        """Where this repository stores: for a transaction spanning several calls."""
        return self._db

    def review_queue(
        self, actor: Actor, where: QueueFilter = QueueFilter(), *, page: int = 0
    ) -> list[CallSummary]:
        """``PAGE_SIZE`` a page, within what ``actor`` may read, newest or most severe first."""
        query = _filtered(select(Call), actor, where)
        if where.order == MOST_SEVERE:
            query = query.order_by(
                Call.max_severity.desc(), Call.critical_count.desc(), Call.started_at.desc()
            )
        else:
            query = query.order_by(Call.started_at.desc())
        query = query.limit(PAGE_SIZE).offset(page * PAGE_SIZE)
        with self._db.session(readonly=True) as session:
            return [_summary(c) for c in session.scalars(query)]

    def review_count(self, actor: Actor, where: QueueFilter = QueueFilter()) -> int:
        """How many calls ``review_queue`` pages through for the same filter."""
        query = _filtered(select(func.count()).select_from(Call), actor, where)
        with self._db.session(readonly=True) as session:
            return int(session.scalar(query) or 0)

    def teams(self, actor: Actor) -> list[tuple[int, str]]:
        """The teams whose calls ``actor`` reviews (id, name), by name."""
        require_role(actor, "team_lead", "admin", to="review calls")
        query = select(Team.id, Team.name).order_by(Team.name)
        if actor.role == "team_lead":
            query = query.where(Team.id == actor.team_id)
        with self._db.session() as session:
            return [(row.id, row.name) for row in session.execute(query)]

    def get(self, actor: Actor, call_id: str) -> CallDetail:
        """One call with its transcript, flags and reviews; reads by others are audited."""
        with self._db.session() as session:
            call = session.get(Call, call_id)
            if call is None:
                raise StoreError(f"no call {call_id}")
            require_call_access(actor, call.user_id, call.team_id)
            if actor.user_id != call.user_id:
                write_audit(session, actor, "read_call", "call", call_id)
            segments = session.scalars(
                select(Segment)
                .where(Segment.call_id == call_id)
                .order_by(Segment.start_ms, Segment.speaker)
            )
            flags = session.scalars(
                select(FlagRow).where(FlagRow.call_id == call_id).order_by(FlagRow.t_ms)
            )
            reviews = session.scalars(
                select(Review).where(Review.call_id == call_id).order_by(Review.at)
            )
            return CallDetail(
                call=_summary(call),
                segments=tuple(
                    SegmentRecord(
                        s.speaker, s.utterance, s.start_ms, s.end_ms, s.text, s.confidence
                    )
                    for s in segments
                ),
                flags=tuple(_flag(f) for f in flags),
                reviews=tuple(
                    ReviewRecord(r.id, r.reviewer_id, r.at, r.score, r.summary) for r in reviews
                ),
                wrap_up=call.wrap_up,
            )

    def export(self, actor: Actor, call_id: str) -> dict[str, Any]:
        """A call as JSON-ready data (already masked); every export is audited."""
        detail = self.get(actor, call_id)
        with self._db.session() as session:
            write_audit(session, actor, "export", "call", call_id)
        return {
            "call": _plain(detail.call),
            "segments": [_plain(s) for s in detail.segments],
            "flags": [_plain(f) for f in detail.flags],
            "reviews": [_plain(r) for r in detail.reviews],
        }

    def wrap_up(
        self, actor: Actor, call_id: str, outcome: str, notes: str, *, case_id: int | None = None
    ) -> None:
        """The collector's outcome and notes after the call (and the case it was about)."""
        with self._db.session() as session:
            call = _call_for_update(session, call_id)
            if actor.user_id != call.user_id:
                raise AccessDenied("only the collector who made the call writes its wrap-up")
            call.outcome = outcome
            call.wrap_up = self._mask(notes)
            if case_id is not None:
                call.case_id = case_id

    def review(self, actor: Actor, call_id: str, *, summary: str, score: int | None = None) -> int:
        """A team lead's review; the call leaves the pending queue."""
        require_role(actor, "team_lead", "admin", to="review calls")
        with self._db.session() as session:
            call = _call_for_update(session, call_id)
            require_call_access(actor, call.user_id, call.team_id)
            review = Review(
                call_id=call_id,
                reviewer_id=actor.user_id,
                at=datetime.now(UTC),
                score=score,
                summary=self._mask(summary),
            )
            session.add(review)
            call.review_state = "reviewed"
            session.flush()
            return review.id

    def set_verdict(self, actor: Actor, call_id: str, flag_row_id: int, verdict: str) -> None:
        require_role(actor, "team_lead", "admin", to="judge flags")
        if verdict not in VERDICTS:
            raise StoreError(f"verdict must be one of {', '.join(VERDICTS)}")
        with self._db.session() as session:
            call = _call_for_update(session, call_id)
            require_call_access(actor, call.user_id, call.team_id)
            flag = session.get(FlagRow, flag_row_id)
            if flag is None or flag.call_id != call_id:
                raise StoreError(f"no flag {flag_row_id} in call {call_id}")
            flag.verdict = verdict
            flag.reviewed_by = actor.user_id

    def coach(
        self, actor: Actor, call_id: str, text: str, *, flag_row_id: int | None = None
    ) -> int:
        require_role(actor, "team_lead", "admin", to="write coaching notes")
        with self._db.session() as session:
            call = _call_for_update(session, call_id)
            require_call_access(actor, call.user_id, call.team_id)
            if call.user_id is None:
                raise StoreError("this call has no collector to coach")
            note = CoachingNote(
                call_id=call_id,
                flag_row_id=flag_row_id,
                author_id=actor.user_id,
                collector_id=call.user_id,
                at=datetime.now(UTC),
                text=self._mask(text),
            )
            session.add(note)
            session.flush()
            return note.id

    def examples(self, actor: Actor, category: str, *, limit: int = 50) -> list[str]:
        """Masked utterances flagged in ``category``, without names or call ids (for trainers)."""
        require_role(actor, "trainer", "admin", to="read training examples")
        query = (
            select(Segment.text)
            .join(
                FlagRow,
                (FlagRow.call_id == Segment.call_id)
                & (FlagRow.utterance == Segment.utterance)
                & (FlagRow.speaker == Segment.speaker),
            )
            .where(FlagRow.category == category, FlagRow.state == "confirmed")
            .distinct()
            .limit(limit)
        )
        with self._db.session() as session:
            texts = list(session.scalars(query))
            write_audit(
                session, actor, "read_examples", "category", category, detail=f"{len(texts)} lines"
            )
            return texts


def _scoped(query: Select[Any], actor: Actor) -> Select[Any]:
    if actor.role == "admin":
        return query
    if actor.role == "team_lead" and actor.team_id is not None:
        return query.where(Call.team_id == actor.team_id)
    if actor.role == "collector":
        return query.where(Call.user_id == actor.user_id)
    raise AccessDenied(f"a {actor.role} has no review queue")


def _filtered(query: Select[Any], actor: Actor, where: QueueFilter) -> Select[Any]:
    query = _scoped(query, actor)
    if where.review_state:
        query = query.where(Call.review_state == where.review_state)
    if where.collector_id is not None:
        query = query.where(Call.user_id == where.collector_id)
    if where.team_id is not None:
        query = query.where(Call.team_id == where.team_id)
    if where.min_severity:
        query = query.where(Call.max_severity >= SEVERITY_RANK[where.min_severity])
    if where.since:
        query = query.where(Call.started_at >= where.since)
    if where.until:
        query = query.where(Call.started_at < where.until)
    flag_terms = _flag_terms(where)
    if flag_terms:
        # One flag must meet every flag condition (a threat that is still unjudged).
        query = query.where(exists().where(FlagRow.call_id == Call.id, *flag_terms))
    return query


def _flag_terms(where: QueueFilter) -> list[ColumnElement[bool]]:
    terms: list[ColumnElement[bool]] = []
    if where.category:
        terms.append(FlagRow.category == where.category)
    if where.flag_state:
        terms.append(FlagRow.state == where.flag_state)
    if where.verdict == UNJUDGED:
        terms.append(FlagRow.verdict.is_(None))
    elif where.verdict:
        terms.append(FlagRow.verdict == where.verdict)
    if terms and not where.flag_state:
        terms.append(FlagRow.state != "retracted")
    return terms


def _call_for_update(session: Any, call_id: str) -> Call:
    call = session.get(Call, call_id)
    if call is None:
        raise StoreError(f"no call {call_id}")
    assert isinstance(call, Call)
    return call


def _summary(c: Call) -> CallSummary:
    return CallSummary(
        id=c.id,
        user_id=c.user_id,
        team_id=c.team_id,
        case_id=c.case_id,
        started_at=c.started_at,
        ended_at=c.ended_at,
        duration_ms=c.duration_ms,
        end_reason=c.end_reason,
        outcome=c.outcome,
        flag_count=c.flag_count,
        critical_count=c.critical_count,
        max_severity=c.max_severity,
        review_state=c.review_state,
    )


def _flag(f: FlagRow) -> FlagRecord:
    return FlagRecord(
        id=f.id,
        flag_id=f.flag_id,
        rule_id=f.rule_id,
        category=f.category,
        severity=f.severity,
        speaker=f.speaker,
        utterance=f.utterance,
        span_start=f.span_start,
        span_end=f.span_end,
        span_text=f.span_text,
        kind=f.kind,
        score=f.score,
        state=f.state,
        t_ms=f.t_ms,
        verdict=f.verdict,
    )


def _plain(value: Any) -> dict[str, Any]:
    data = asdict(value)
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()}
