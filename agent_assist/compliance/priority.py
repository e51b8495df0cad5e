"""Case prioritisation: features, segment (ability × willingness), score, and why.

The score ``p = σ(intercept + Σ weight × value)`` reads as the likelihood that a
call today leads to a payment (weights: :mod:`agent_assist.compliance.risk_model`).
The worklist orders cases by expected recovery ``p × overdue amount`` within a
currency (amounts are never converted), blocked statuses last, and names the
three terms that moved each case's score most. docs/prioritisation.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from agent_assist.compliance.risk_model import RiskModel
from agent_assist.store.history_repo import CaseHistory

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Reason:
    feature: str  # a term key: "promises_broken", "cue:debtor.hardship", "stage:M3", …
    value: float  # the model's input
    contribution: float  # weight × value, in log-odds
    text: str  # "2 promises broken (-0.90)"


@dataclass(frozen=True)
class Assessment:
    history: CaseHistory
    score: float  # p: the likelihood that a call today leads to a payment
    expected_recovery: Decimal  # p × overdue amount, in the case's currency
    segment: str  # able_willing | able_unwilling | unable_willing | unable_unwilling
    blocked: bool  # its status rules out collection calls: sorted last
    reasons: tuple[Reason, ...]


def feature_values(history: CaseHistory, model: RiskModel) -> dict[str, float]:
    """Every term's value for the case (absent terms count 0), caps applied."""
    overdue = float(max(history.overdue_amount, Decimal(0)))
    principal = float(history.principal)
    never = model.terms["days_since_contact"].cap if "days_since_contact" in model.terms else None
    values = {
        "months_past_due": history.days_past_due / 30,
        "overdue_amount": math.log1p(overdue / model.amount_unit(history.currency)),
        "overdue_ratio": overdue / principal if principal > 0 else 0.0,
        "promises_kept": float(history.promises_kept),
        "promises_broken": float(history.promises_broken),
        "promises_pending": float(history.promises_pending),
        "attempts_7d": float(history.attempts_7d),
        "attempts_30d": float(history.attempts_30d),
        "conversations_30d": float(history.conversations_30d),
        "days_since_contact": (
            history.days_since_contact if history.days_since_contact is not None else never or 0.0
        ),
    }
    for name, term in model.terms.items():
        if term.cap is not None and name in values:
            values[name] = min(values[name], term.cap)
    values |= {f"cue:{category}": float(n) for category, n in history.cues.items()}
    return values | {f"stage:{history.stage}": 1.0, f"status:{history.status}": 1.0}


def contributions(values: Mapping[str, float], model: RiskModel) -> dict[str, float]:
    return {key: model.weight(key) * value for key, value in values.items()}


def score(values: Mapping[str, float], model: RiskModel) -> float:
    return _sigmoid(model.intercept + sum(contributions(values, model).values()))


def segment_of(history: CaseHistory, model: RiskModel) -> str:
    """Ability and willingness to repay, each high unless a documented rule makes it low."""
    rules = model.segments
    principal = history.principal
    ratio = history.overdue_amount / principal if principal > 0 else Decimal(0)
    unable = (
        any(history.cues.get(c, 0) > 0 for c in rules.ability_low_cues)
        or history.status in rules.ability_low_statuses
        or ratio >= Decimal(str(rules.ability_low_overdue_ratio))
    )
    unwilling = history.promises_broken > history.promises_kept or any(
        history.cues.get(c, 0) > 0 for c in rules.willingness_low_cues
    )
    return f"{'unable' if unable else 'able'}_{'unwilling' if unwilling else 'willing'}"


def segment_label(segment: str, model: RiskModel, lang: str = "en") -> str:
    return model.segments.labels[segment][lang]


def explain(
    history: CaseHistory, model: RiskModel, *, lang: str = "en", top: int = 3
) -> tuple[Reason, ...]:
    """The ``top`` terms that moved the score most, largest first, in words."""
    values = feature_values(history, model)
    moved = [(key, c) for key, c in contributions(values, model).items() if c != 0]
    moved.sort(key=lambda item: (-abs(item[1]), item[0]))
    return tuple(
        Reason(key, values[key], c, _words(key, history, values, model, lang=lang))
        for key, c in moved[:top]
    )


def assess(history: CaseHistory, model: RiskModel, *, lang: str = "en") -> Assessment:
    p = score(feature_values(history, model), model)
    overdue = max(history.overdue_amount, Decimal(0))
    return Assessment(
        history=history,
        score=p,
        expected_recovery=(Decimal(p) * overdue).quantize(CENT),
        segment=segment_of(history, model),
        blocked=history.status in model.blocked_statuses,
        reasons=explain(history, model, lang=lang),
    )


def rank(
    histories: Iterable[CaseHistory], model: RiskModel, *, lang: str = "en"
) -> list[Assessment]:
    """The worklist order: unblocked first; by currency (never compared); expected recovery."""
    return sorted((assess(h, model, lang=lang) for h in histories), key=priority_key)


def priority_key(a: Assessment) -> tuple[bool, str, Decimal, float, int]:
    return (a.blocked, a.history.currency, -a.expected_recovery, -a.score, a.history.case_id)


def _words(
    key: str, history: CaseHistory, values: Mapping[str, float], model: RiskModel, *, lang: str
) -> str:
    term = model.terms[key]
    template = term.words.get(lang) or term.words["en"]
    shown = template.format(value=_shown(key, history, values[key], term.cap))
    return f"{shown} ({model.weight(key) * values[key]:+.2f})"


def _shown(key: str, history: CaseHistory, value: float, cap: float | None) -> str:
    """The figure as a person reads it: days, an amount with its currency, a share."""
    if key.startswith(("stage:", "status:")):
        return key.split(":", 1)[1]
    since = history.days_since_contact
    special = {
        "months_past_due": str(history.days_past_due),
        "overdue_amount": f"{history.currency} {history.overdue_amount:,.2f}",
        "overdue_ratio": f"{value:.0%}",
        "days_since_contact": (
            f"{cap:g}+" if cap is not None and (since is None or since >= cap) else f"{value:.0f}"
        ),
    }
    return special.get(key) or f"{value:g}"


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)
