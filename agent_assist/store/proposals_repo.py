"""The learning loop's store: flags team leads judged false positives and breaches they
noted as missed, offered to trainers as proposed rule examples until a trainer accepts or
dismisses each one (``docs/learning-loop.md``).

A false positive proposes its utterance as a ``should_not_flag`` example of the rule that
fired; a missed breach proposes the lead's words as a ``should_flag`` example of its
category, the trainer choosing the rule. Texts are masked before they are stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from agent_assist.errors import StoreError
from agent_assist.rules.model import ExampleKind
from agent_assist.rules.taxonomy import Category, load_taxonomy
from agent_assist.store.access import require_call_access, require_role
from agent_assist.store.audit import write_audit
from agent_assist.store.database import Database
from agent_assist.store.records import Actor
from agent_assist.store.tables import Call, ExampleDecision, FlagRow, MissedFlag, Segment, User

Source = Literal["false_positive", "missed"]
SOURCES: tuple[Source, ...] = ("false_positive", "missed")
DECISIONS = ("accepted", "dismissed")
# How a proposal is named on the command line: fp-12 (flags.id), missed-3 (missed_flags.id).
_PREFIX: dict[Source, str] = {"false_positive": "fp", "missed": "missed"}
# Han ideographs: a Chinese pack's examples have them, an English pack's do not.
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

Apply = Callable[["Proposal", str], object]


@dataclass(frozen=True)
class Proposal:
    """A proposed example: the words, what they should do, and where they came from."""

    source: Source
    source_id: int
    kind: ExampleKind
    text: str  # masked; the whole utterance for a false positive
    rule_id: str | None  # the rule that fired (false positive); None: the trainer picks
    category: str
    speaker: str
    call_id: str
    utterance: int
    by: int | None  # the team lead who judged the flag or noted the miss
    by_name: str
    # A miss: when it was noted. A false positive: when the call started (the store keeps
    # no time for a verdict).
    at: datetime
    note: str = ""
    flagged: str = ""  # a false positive's matched words

    @property
    def ref(self) -> str:
        return proposal_ref(self.source, self.source_id)


def proposal_ref(source: Source, source_id: int) -> str:
    return f"{_PREFIX[source]}-{source_id}"


def parse_ref(text: str) -> tuple[Source, int]:
    """``fp-12`` → ("false_positive", 12); ``missed-3`` → ("missed", 3)."""
    prefix, _, number = text.strip().lower().partition("-")
    for source, known in _PREFIX.items():
        if prefix == known and number.isdigit():
            return source, int(number)
    raise StoreError(
        f"{text!r} is not a proposal id: write fp-N or missed-N as `agent-assist proposals "
        "list` shows them"
    )


def text_language(text: str) -> Literal["zh", "en"]:
    """The pack language an example's words belong to."""
    return "zh" if _HAN.search(text) else "en"


class ProposalRepository:
    def __init__(
        self,
        db: Database,
        mask: Callable[[str], str],
        *,
        taxonomy: Mapping[str, Category] | None = None,
    ) -> None:
        self._db = db
        self._mask = mask
        self._taxonomy = taxonomy

    def note_missed(
        self,
        actor: Actor,
        call_id: str,
        speaker: str,
        utterance: int,
        *,
        text: str,
        category: str,
        note: str = "",
    ) -> int:
        """A team lead's note that ``text``, said on that line, should have been flagged
        in ``category``; returns its id (proposal ``missed-<id>``)."""
        require_role(actor, "team_lead", "admin", to="note missed flags")
        words = " ".join(text.split())
        if not words:
            raise StoreError("write the words that should have been flagged")
        self._check_category(category, speaker)
        with self._db.session() as session:
            call = session.get(Call, call_id)
            if call is None:
                raise StoreError(f"no call {call_id}")
            require_call_access(actor, call.user_id, call.team_id)
            line = session.scalar(
                select(Segment.id).where(
                    Segment.call_id == call_id,
                    Segment.speaker == speaker,
                    Segment.utterance == utterance,
                )
            )
            if line is None:
                raise StoreError(f"call {call_id} has no line {utterance} of the {speaker}")
            masked = self._mask(words)
            noted_before = session.scalar(
                select(MissedFlag.id).where(
                    MissedFlag.call_id == call_id,
                    MissedFlag.speaker == speaker,
                    MissedFlag.utterance == utterance,
                    MissedFlag.category == category,
                    MissedFlag.text == masked,
                )
            )
            if noted_before is not None:
                raise StoreError("these words were already noted as missed on this line")
            missed = MissedFlag(
                call_id=call_id,
                speaker=speaker,
                utterance=utterance,
                text=masked,
                category=category,
                note=self._mask(note.strip()),
                noted_by=actor.user_id or None,
                noted_at=datetime.now(UTC),
            )
            session.add(missed)
            session.flush()
            write_audit(session, actor, "note_missed", "call", call_id, detail=category)
            return missed.id

    def categories(self) -> Mapping[str, Category]:
        """The flag categories a missed flag is noted in (the taxonomy, read once)."""
        if self._taxonomy is None:
            self._taxonomy = load_taxonomy()
        return self._taxonomy

    def _check_category(self, category: str, speaker: str) -> None:
        known = self.categories().get(category)
        if known is None:
            raise StoreError(f"unknown category {category!r}; see resources/taxonomy.yaml")
        if known.speaker != speaker:
            raise StoreError(
                f"{category} is said by the {known.speaker}, and this line is the {speaker}'s: "
                "choose a category of the line's speaker"
            )

    def proposals(
        self, actor: Actor, *, language: str | None = None, limit: int = 500
    ) -> list[Proposal]:
        """Every proposal no trainer has answered yet, newest first; ``language`` (zh, en)
        keeps those whose words fit a pack of that language. The read is audited."""
        require_role(actor, "trainer", "admin", to="read proposed examples")
        with self._db.session() as session:
            found = [*_false_positives(session, limit), *_missed(session, limit)]
            if language is not None:
                found = [p for p in found if text_language(p.text) == language]
            found.sort(key=lambda p: (p.at, p.source, p.source_id), reverse=True)
            found = found[:limit]
            write_audit(
                session,
                actor,
                "read_proposals",
                "proposals",
                language or "all",
                detail=f"{len(found)} proposals",
            )
            return found

    def get(self, actor: Actor, source: Source, source_id: int) -> Proposal:
        """One proposal still waiting for an answer."""
        require_role(actor, "trainer", "admin", to="read proposed examples")
        with self._db.session() as session:
            return _pending(session, source, source_id)

    def decide(
        self,
        actor: Actor,
        source: Source,
        source_id: int,
        decision: str,
        rule_id: str | None = None,
        *,
        apply: Apply | None = None,
    ) -> Proposal:
        """Accept a proposal into ``rule_id`` (a false positive's own rule when None) or
        dismiss it; one answer per proposal. ``apply(proposal, rule_id)`` writes the example
        into the pack for an acceptance once the answer is known to be the first (another
        trainer's answer makes it refuse before any file changes); when it raises, nothing
        is recorded."""
        require_role(actor, "trainer", "admin", to="accept or dismiss proposed examples")
        if source not in SOURCES:
            raise StoreError(f"source must be one of {', '.join(SOURCES)}")
        if decision not in DECISIONS:
            raise StoreError(f"decision must be one of {', '.join(DECISIONS)}")
        with self._db.session() as session:
            proposal = _pending(session, source, source_id)
        target = (rule_id or proposal.rule_id) if decision == "accepted" else None
        if decision == "accepted" and not target:
            raise StoreError(
                f"{proposal.ref} proposes a should_flag example for {proposal.category}: "
                "name the rule to add it to"
            )
        try:
            with self._db.session() as session:
                session.add(
                    ExampleDecision(
                        source=source,
                        source_id=source_id,
                        decision=decision,
                        rule_id=target,
                        decided_by=actor.user_id or None,
                        decided_at=datetime.now(UTC),
                    )
                )
                session.flush()  # the one-answer constraint is checked here, before the file
                detail = f"into {target}" if target else ""
                write_audit(
                    session, actor, f"example_{decision}", source, str(source_id), detail=detail
                )
                if apply is not None and target is not None:
                    apply(proposal, target)  # raises: the answer is rolled back with it
        except IntegrityError:
            raise _already(proposal.ref) from None  # another trainer answered meanwhile
        return proposal


def _already(ref: str) -> StoreError:
    return StoreError(f"{ref} was already accepted or dismissed; refresh the list of proposals")


def _undecided(source: Source, column: InstrumentedAttribute[int]) -> ColumnElement[bool]:
    return ~exists().where(ExampleDecision.source == source, ExampleDecision.source_id == column)


def _false_positives(session: Session, limit: int, flag_id: int | None = None) -> list[Proposal]:
    judge = aliased(User)
    query = (
        select(FlagRow, Segment.text, Call.started_at, judge.display_name)
        .join(Call, Call.id == FlagRow.call_id)
        .outerjoin(
            Segment,
            (Segment.call_id == FlagRow.call_id)
            & (Segment.speaker == FlagRow.speaker)
            & (Segment.utterance == FlagRow.utterance),
        )
        .outerjoin(judge, judge.id == FlagRow.reviewed_by)
        .where(FlagRow.verdict == "false_positive")
        .order_by(Call.started_at.desc(), FlagRow.id.desc())
        .limit(limit)
    )
    if flag_id is None:
        query = query.where(_undecided("false_positive", FlagRow.id))
    else:
        query = query.where(FlagRow.id == flag_id)
    return [
        Proposal(
            source="false_positive",
            source_id=flag.id,
            kind="should_not_flag",
            # The whole line: the words around the match are what should have cancelled it.
            text=line or flag.span_text,
            rule_id=flag.rule_id,
            category=flag.category,
            speaker=flag.speaker,
            call_id=flag.call_id,
            utterance=flag.utterance,
            by=flag.reviewed_by,
            by_name=name or "",
            at=started_at,
            flagged=flag.span_text,
        )
        for flag, line, started_at, name in session.execute(query)
    ]


def _missed(session: Session, limit: int, missed_id: int | None = None) -> list[Proposal]:
    query = (
        select(MissedFlag, User.display_name)
        .outerjoin(User, User.id == MissedFlag.noted_by)
        .order_by(MissedFlag.noted_at.desc(), MissedFlag.id.desc())
        .limit(limit)
    )
    if missed_id is None:
        query = query.where(_undecided("missed", MissedFlag.id))
    else:
        query = query.where(MissedFlag.id == missed_id)
    return [
        Proposal(
            source="missed",
            source_id=m.id,
            kind="should_flag",
            text=m.text,
            rule_id=None,
            category=m.category,
            speaker=m.speaker,
            call_id=m.call_id,
            utterance=m.utterance,
            by=m.noted_by,
            by_name=name or "",
            at=m.noted_at,
            note=m.note,
        )
        for m, name in session.execute(query)
    ]


def _pending(session: Session, source: Source, source_id: int) -> Proposal:
    ref = proposal_ref(source, source_id)
    found = (
        _false_positives(session, 1, source_id)
        if source == "false_positive"
        else _missed(session, 1, source_id)
    )
    if not found:
        what = "flag judged a false positive" if source == "false_positive" else "missed flag"
        raise StoreError(f"no proposal {ref}: there is no {what} with id {source_id}")
    decided = session.scalar(
        select(ExampleDecision).where(
            ExampleDecision.source == source, ExampleDecision.source_id == source_id
        )
    )
    if decided is not None:
        raise StoreError(
            f"{ref} was already {decided.decision} on {decided.decided_at:%Y-%m-%d}; "
            "a proposal is answered once"
        )
    return found[0]
