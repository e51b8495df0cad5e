"""From the call to the case: what wrap-up proposes after the debtor's cues.

A cease request, a lawyer or a dispute heard on the call proposes the case
status that blocks the next call; a promise to pay proposes a promise with
the amount and date the debtor named. The collector confirms or edits each
proposal; :func:`save_wrap_up` stores what was confirmed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from agent_assist.compliance.promise_terms import promise_terms
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.records import Actor, FlagRecord, SegmentRecord

# Debtor cue → the case status it proposes. Later entries win when several are
# heard: a lawyer outranks a cease request, which outranks a dispute, because
# each later one restricts contact more.
STATUS_FOR_CUE = {
    "debtor.dispute": "disputed",
    "debtor.cease_request": "cease_requested",
    "debtor.legal_representation": "attorney_represented",
}


@dataclass(frozen=True)
class StatusProposal:
    status: str
    cue: str  # the taxonomy id heard
    evidence: str  # what was said (masked)


@dataclass(frozen=True)
class PromiseProposal:
    amount: Decimal | None  # None: the collector fills it in
    due: date | None
    evidence: str


@dataclass(frozen=True)
class WrapUpProposal:
    status: StatusProposal | None
    promise: PromiseProposal | None


def propose(
    flags: Sequence[FlagRecord],
    segments: Sequence[SegmentRecord],
    *,
    language: str,
    today: date,
) -> WrapUpProposal:
    """Proposals from the call's confirmed debtor flags (retracted ones do not count)."""
    heard = [f for f in flags if f.state == "confirmed" and f.speaker == "debtor"]
    said = {(s.speaker, s.utterance): s.text for s in segments}
    status: StatusProposal | None = None
    for cue, case_status in STATUS_FOR_CUE.items():
        for flag in heard:
            if flag.category == cue:
                status = StatusProposal(case_status, cue, said.get(("debtor", flag.utterance), ""))
    promise: PromiseProposal | None = None
    promised = [f for f in heard if f.category == "debtor.promise_to_pay"]
    if promised:
        # The last promise of the call is the one that stands.
        text = said.get(("debtor", promised[-1].utterance), promised[-1].span_text)
        terms = promise_terms(text, language, today)
        promise = PromiseProposal(terms.amount, terms.due, text)
    return WrapUpProposal(status, promise)


@dataclass(frozen=True)
class ConfirmedWrapUp:
    """What the collector accepted (proposals may have been edited or dropped)."""

    outcome: str
    notes: str
    status: str | None = None
    promise_amount: Decimal | None = None
    promise_due: date | None = None


def save_wrap_up(
    calls: CallRepository,
    cases: CaseRepository,
    actor: Actor,
    *,
    call_id: str,
    case_id: int,
    confirmed: ConfirmedWrapUp,
) -> None:
    """Store the outcome, notes, the contact attempt, a status change and a promise.

    All in one transaction: when any part is refused or the database fails,
    nothing of the wrap-up is stored and the collector can save it again.
    """
    if calls.database is not cases.database:
        raise ValueError("a wrap-up is saved through repositories of one database")
    with cases.database.transaction():
        calls.wrap_up(actor, call_id, confirmed.outcome, confirmed.notes, case_id=case_id)
        cases.log_contact(actor, case_id, "call", confirmed.outcome, call_id=call_id)
        if confirmed.status is not None:
            cases.set_status(actor, case_id, confirmed.status)
        if confirmed.promise_amount is not None and confirmed.promise_due is not None:
            cases.add_promise(
                actor, case_id, confirmed.promise_amount, confirmed.promise_due, call_id=call_id
            )
