"""Features, segments, score, explanations and the worklist order, with the default weights."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from agent_assist.compliance.priority import (
    assess,
    explain,
    feature_values,
    rank,
    score,
    segment_label,
    segment_of,
)
from agent_assist.compliance.risk_model import RiskModel, default_model_path, load_risk_model
from agent_assist.store.history_repo import CaseHistory


@pytest.fixture(scope="module")
def model() -> RiskModel:
    return load_risk_model(default_model_path())


def case(case_id: int = 1, **changes: Any) -> CaseHistory:
    base = CaseHistory(
        case_id=case_id,
        case_ref=f"C-{case_id}",
        currency="CNY",
        principal=Decimal("10000"),
        overdue_amount=Decimal("2500"),
        days_past_due=45,
        stage="M2",
        status="active",
        days_since_contact=1.0,
    )
    return replace(base, **changes)


def test_feature_values(model: RiskModel) -> None:
    values = feature_values(case(promises_broken=2, cues={"debtor.hardship": 1}), model)
    assert values["months_past_due"] == 1.5
    assert values["overdue_amount"] == pytest.approx(math.log(3.5))  # ln(1 + 2500 / 1000)
    assert values["overdue_ratio"] == 0.25
    assert values["promises_broken"] == 2
    assert values["cue:debtor.hardship"] == 1
    assert values["stage:M2"] == values["status:active"] == 1
    assert "stage:M3" not in values


@pytest.mark.parametrize(
    ("changes", "term", "value"),
    [
        ({"days_past_due": 900}, "months_past_due", 24),  # capped
        ({"overdue_amount": Decimal("50000")}, "overdue_ratio", 2),  # capped
        ({"principal": Decimal(0)}, "overdue_ratio", 0),
        ({"days_since_contact": None}, "days_since_contact", 60),  # never: the cap
        ({"days_since_contact": 200.0}, "days_since_contact", 60),
        ({"currency": "USD", "overdue_amount": Decimal(300)}, "overdue_amount", math.log(3)),
        ({"currency": "EUR", "overdue_amount": Decimal(300)}, "overdue_amount", math.log(4)),
        ({"overdue_amount": Decimal(-5)}, "overdue_amount", 0),
    ],
)
def test_feature_scales_and_caps(
    model: RiskModel, changes: dict[str, Any], term: str, value: float
) -> None:
    assert feature_values(case(**changes), model)[term] == pytest.approx(value)


def test_the_score_is_the_documented_logistic(model: RiskModel) -> None:
    # -0.6 intercept; months 1.5 × -0.12; ln 3.5 × -0.2; ratio 0.25 × -0.3; 1 day × 0.01;
    # 2 broken × -0.45; hardship on 1 call × -0.35; stage M2 and status active weigh 0.
    z = -0.6 - 0.18 - 0.2 * math.log(3.5) - 0.075 + 0.01 - 0.9 - 0.35
    history = case(promises_broken=2, cues={"debtor.hardship": 1, "agent.threat": 3})
    assert score(feature_values(history, model), model) == pytest.approx(1 / (1 + math.exp(-z)))
    result = assess(history, model)
    assert result.score == pytest.approx(1 / (1 + math.exp(-z)))
    assert result.expected_recovery == (Decimal(result.score) * 2500).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("changes", "segment"),
    [
        ({}, "able_willing"),  # no history: a reminder
        ({"promises_kept": 2, "promises_broken": 2}, "able_willing"),
        ({"promises_kept": 1, "promises_broken": 2}, "able_unwilling"),
        ({"cues": {"debtor.refusal": 1}}, "able_unwilling"),
        ({"cues": {"debtor.wishful_thinking": 1}}, "able_unwilling"),
        ({"cues": {"debtor.evasion": 3}}, "able_willing"),
        ({"cues": {"debtor.hardship": 1}}, "unable_willing"),
        ({"cues": {"debtor.vulnerability": 1}}, "unable_willing"),
        ({"status": "bankrupt"}, "unable_willing"),
        ({"status": "deceased"}, "unable_willing"),
        ({"status": "disputed"}, "able_willing"),
        ({"overdue_amount": Decimal("10000")}, "unable_willing"),  # the whole balance is due
        ({"overdue_amount": Decimal("9999.99")}, "able_willing"),
        ({"cues": {"debtor.hardship": 1, "debtor.refusal": 1}}, "unable_unwilling"),
        ({"status": "bankrupt", "promises_broken": 1}, "unable_unwilling"),
    ],
)
def test_segment_rules(model: RiskModel, changes: dict[str, Any], segment: str) -> None:
    assert segment_of(case(**changes), model) == segment


@pytest.mark.parametrize(
    ("segment", "lang", "label"),
    [
        ("able_willing", "en", "able & willing → remind"),
        ("able_unwilling", "en", "able & unwilling → firm, lawful consequences"),
        ("unable_willing", "zh", "无能力·有意愿 → 协商还款计划"),
        ("unable_unwilling", "zh", "无能力·无意愿 → 升级复核"),
    ],
)
def test_segment_labels(model: RiskModel, segment: str, lang: str, label: str) -> None:
    assert segment_label(segment, model, lang) == label


def test_the_explanation_names_the_three_largest_terms(model: RiskModel) -> None:
    history = case(promises_broken=2, days_past_due=95, cues={"debtor.hardship": 1})
    reasons = explain(history, model)
    assert [r.text for r in reasons] == [
        "promises broken: 2 (-0.90)",
        "days past due: 95 (-0.38)",
        "calls mentioning hardship: 1 (-0.35)",
    ]
    assert [r.feature for r in reasons] == [
        "promises_broken",
        "months_past_due",
        "cue:debtor.hardship",
    ]
    assert reasons[1].value == pytest.approx(95 / 30)
    assert reasons[1].contribution == pytest.approx(-0.12 * 95 / 30)
    zh = [r.text for r in explain(history, model, lang="zh")]
    assert zh == ["违约承诺2次 (-0.90)", "逾期95天 (-0.38)", "1次通话提及经济困难 (-0.35)"]


@pytest.mark.parametrize(
    ("changes", "first"),
    [
        ({"status": "cease_requested"}, "cease requested (-4.00)"),
        ({"overdue_amount": Decimal("123456.7")}, "overdue: CNY 123,456.70 (-0.96)"),
        (
            {"overdue_amount": Decimal("30000"), "principal": Decimal("10000")},
            "overdue: CNY 30,000.00 (-0.69)",
        ),
        ({"promises_kept": 3}, "promises kept: 3 (+1.50)"),
        ({"days_since_contact": None}, "days since the last contact: 60+ (+0.60)"),
        ({"stage": "M6+", "days_past_due": 0}, "stage M6+ (-0.50)"),
    ],
)
def test_explanation_words(model: RiskModel, changes: dict[str, Any], first: str) -> None:
    assert explain(case(**changes), model)[0].text == first


def test_an_explanation_leaves_out_terms_that_did_not_move_the_score(model: RiskModel) -> None:
    quiet = case(overdue_amount=Decimal(0), days_past_due=0, days_since_contact=0.0, stage="M2")
    assert explain(quiet, model) == ()


def test_the_worklist_order(model: RiskModel) -> None:
    cases = [
        case(1, overdue_amount=Decimal(500)),
        case(2, overdue_amount=Decimal(8000)),
        case(3, overdue_amount=Decimal(90000), status="cease_requested"),  # blocked: last
        case(4, overdue_amount=Decimal(3000), currency="USD"),  # never compared with CNY
        case(5, overdue_amount=Decimal(8000), promises_broken=3),
        case(6, overdue_amount=Decimal(8000)),  # the same as 2: the lower id first
        case(7, overdue_amount=Decimal(10), status="closed"),
    ]
    ranked = rank(cases, model)
    assert [a.history.case_id for a in ranked] == [2, 6, 5, 1, 4, 3, 7]
    assert [a.blocked for a in ranked] == [False] * 5 + [True] * 2
    recoveries = [a.expected_recovery for a in ranked[:4]]
    assert recoveries == sorted(recoveries, reverse=True)
