"""What the default weights promise (docs/prioritisation.md), checked on generated cases."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from agent_assist.compliance.priority import (
    assess,
    contributions,
    explain,
    feature_values,
    rank,
    score,
    segment_of,
)
from agent_assist.compliance.risk_model import default_model_path, load_risk_model
from agent_assist.store.cases_repo import CASE_STATUSES
from agent_assist.store.history_repo import CaseHistory

MODEL = load_risk_model(default_model_path())
STAGES = ("M0", "M1", "M2", "M3", "M4", "M5", "M6", "M6+")
CUES = ("debtor.hardship", "debtor.refusal", "debtor.promise_to_pay", "debtor.evasion")
counts = st.integers(min_value=0, max_value=8)
money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)


@st.composite
def histories(draw: st.DrawFn, case_id: int = 1) -> CaseHistory:
    attempts_7d = draw(counts)
    return CaseHistory(
        case_id=case_id,
        case_ref=f"C-{case_id}",
        currency=draw(st.sampled_from(("CNY", "USD", "EUR"))),
        principal=draw(money.filter(lambda m: m > 0)),
        overdue_amount=draw(money),
        days_past_due=draw(st.integers(min_value=0, max_value=1000)),
        stage=draw(st.sampled_from(STAGES)),
        status=draw(st.sampled_from(CASE_STATUSES)),
        promises_kept=draw(counts),
        promises_broken=draw(counts),
        promises_pending=draw(counts),
        attempts_7d=attempts_7d,
        attempts_30d=attempts_7d + draw(counts),
        conversations_30d=draw(counts),
        days_since_contact=draw(st.none() | st.floats(min_value=0, max_value=400)),
        cues=draw(st.dictionaries(st.sampled_from(CUES), st.integers(1, 5), max_size=3)),
    )


def p(history: CaseHistory) -> float:
    return score(feature_values(history, MODEL), MODEL)


more = st.integers(min_value=1, max_value=10)


@given(histories())
def test_the_score_is_a_probability(history: CaseHistory) -> None:
    assert 0 < p(history) < 1


@given(histories(), more)
def test_more_broken_promises_never_raise_the_score(history: CaseHistory, k: int) -> None:
    assert p(replace(history, promises_broken=history.promises_broken + k)) <= p(history)


@given(histories(), more)
def test_more_kept_promises_never_lower_the_score(history: CaseHistory, k: int) -> None:
    assert p(replace(history, promises_kept=history.promises_kept + k)) >= p(history)


@given(histories(), more)
def test_more_days_past_due_never_raise_the_score(history: CaseHistory, days: int) -> None:
    later = replace(history, days_past_due=history.days_past_due + days)
    assert p(later) <= p(history)


@given(histories(), st.integers(0, len(STAGES) - 1), st.integers(0, len(STAGES) - 1))
def test_a_later_stage_never_raises_the_score(history: CaseHistory, a: int, b: int) -> None:
    early, late = sorted((a, b))
    assert p(replace(history, stage=STAGES[late])) <= p(replace(history, stage=STAGES[early]))


@given(histories(), more)
def test_another_attempt_this_week_never_raises_the_score(history: CaseHistory, k: int) -> None:
    since = history.days_since_contact
    busier = replace(
        history,
        attempts_7d=history.attempts_7d + k,
        attempts_30d=history.attempts_30d + k,
        days_since_contact=min(since, 1.0) if since is not None else 1.0,
    )
    assert p(busier) <= p(history)


@given(histories(), st.sampled_from(("debtor.refusal", "debtor.hardship")))
def test_a_refusal_or_hardship_cue_never_raises_the_score(history: CaseHistory, cue: str) -> None:
    cues = dict(history.cues)
    cues[cue] = cues.get(cue, 0) + 1
    assert p(replace(history, cues=cues)) <= p(history)


@given(histories(), money)
def test_a_larger_overdue_amount_never_lowers_expected_recovery(
    history: CaseHistory, extra: Decimal
) -> None:
    larger = replace(history, overdue_amount=history.overdue_amount + extra)
    assert assess(larger, MODEL).expected_recovery >= assess(history, MODEL).expected_recovery


@given(st.lists(histories(), min_size=1, max_size=12))
def test_blocked_cases_come_after_every_other(items: list[CaseHistory]) -> None:
    items = [replace(h, case_id=i, case_ref=f"C-{i}") for i, h in enumerate(items)]
    ranked = rank(items, MODEL)
    flags = [a.blocked for a in ranked]
    assert flags == sorted(flags)
    assert sorted(a.history.case_id for a in ranked) == list(range(len(items)))
    for a, b in pairwise(ranked):  # within a currency: recovery descends
        if (a.blocked, a.history.currency) == (b.blocked, b.history.currency):
            assert a.expected_recovery >= b.expected_recovery


@given(histories(), more)
def test_more_broken_promises_never_make_a_debtor_willing(history: CaseHistory, k: int) -> None:
    before = segment_of(history, MODEL)
    after = segment_of(replace(history, promises_broken=history.promises_broken + k), MODEL)
    if before.endswith("_unwilling"):
        assert after.endswith("_unwilling")
    assert before.split("_")[0] == after.split("_")[0]  # ability does not change


@given(histories())
def test_the_explanation_names_the_largest_contributions(history: CaseHistory) -> None:
    reasons = explain(history, MODEL)
    moved = sorted(
        (abs(c) for c in contributions(feature_values(history, MODEL), MODEL).values() if c),
        reverse=True,
    )
    assert [abs(r.contribution) for r in reasons] == moved[:3]
    assert all(r.text.endswith(f"({r.contribution:+.2f})") for r in reasons)
