"""The weights file (load, problems, save) and fitting to past calls."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from agent_assist.compliance.risk_model import (
    NUMERIC,
    SEGMENTS,
    RiskModel,
    RiskModelError,
    default_model_path,
    fit_risk_model,
    load_risk_model,
    save_risk_model,
)
from agent_assist.errors import UserError
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.store.cases_repo import CASE_STATUSES

BLOCKED = {"cease_requested", "attorney_represented", "disputed", "deceased", "bankrupt", "closed"}
STAGES = ("M0", "M1", "M2", "M3", "M4", "M5", "M6", "M6+")


@pytest.fixture(scope="module")
def default() -> RiskModel:
    return load_risk_model(default_model_path(), load_taxonomy())


def test_the_default_weights_cover_every_term(default: RiskModel) -> None:
    assert default.name == "default"
    assert [k for k in default.terms if ":" not in k] == list(NUMERIC)
    assert {k for k in default.terms if k.startswith("stage:")} == {f"stage:{s}" for s in STAGES}
    assert {k for k in default.terms if k.startswith("status:")} == {
        f"status:{s}" for s in CASE_STATUSES
    }
    assert all(k.removeprefix("cue:").startswith("debtor.") for k in default.terms if "cue:" in k)
    assert default.blocked_statuses == BLOCKED
    for term in default.terms.values():
        assert term.why.strip()
        assert set(term.words) == {"en", "zh"}
    assert set(default.segments.labels) == set(SEGMENTS)
    assert default.amount_unit("CNY") == 1000
    assert default.amount_unit("USD") == 150
    assert default.amount_unit("EUR") == 100  # the default unit


def test_the_default_weights_keep_their_documented_promises(default: RiskModel) -> None:
    """docs/prioritisation.md states these; the monotonicity properties rest on them."""
    w = default.weight
    assert w("promises_kept") > 0 > w("promises_broken")
    assert w("months_past_due") < 0
    assert max(w("attempts_7d"), w("attempts_30d")) <= 0 <= w("days_since_contact")
    assert max(w("cue:debtor.refusal"), w("cue:debtor.hardship")) < 0
    stages = [w(f"stage:{s}") for s in STAGES]
    assert stages == sorted(stages, reverse=True)
    ratio_cap = default.terms["overdue_ratio"].cap
    assert ratio_cap is not None
    # A larger overdue amount never lowers expected recovery p × amount.
    assert abs(w("overdue_amount")) + ratio_cap * abs(w("overdue_ratio")) < 1
    assert all(w(f"status:{s}") < 0 for s in BLOCKED)


@pytest.mark.parametrize(
    ("old", "new", "at", "message"),
    [
        ("weight: -0.45", "weight: heavy", "heavy", "promises_broken weight must be a number"),
        ("  promises_broken:", "  promises_brokn:", "brokn", "unknown feature 'promises_brokn'"),
        (
            "    weight: 0.5\n",
            "    weight: 0.5\n    colour: red\n",
            "colour",
            "unknown key 'colour'",
        ),
        ("  active:", "  actve:", "actve", "'actve' is not a case status"),
        ("  debtor.hardship:", "  debtor.hardshp:", "hardshp", "'debtor.hardshp' is not a flag"),
        (
            'en: "promises kept: {value}"',
            'en: "kept {n}"',
            "kept {n}",
            "only the placeholder {value}",
        ),
        ("  default: 100\n", "", "CNY: 1000", "amount_units needs a `default` unit"),
        ("bankrupt, closed]", "bankrupt, closd]", "closd", "'closd' in blocked_statuses"),
        ("  USD: 150", "  USD: -150", "-150", "amount unit of USD must be greater than 0"),
        ("intercept: -0.6", "intercept: .nan", ".nan", "intercept must be a finite number"),
        ('      zh: "有能力·有意愿', '      zz: "有能力·有意愿', "zz:", "unknown key 'zz'"),
    ],
)
def test_problems_are_reported_at_their_place(
    tmp_path: Path, old: str, new: str, at: str, message: str
) -> None:
    text = default_model_path().read_text(encoding="utf-8")
    assert text.count(old) >= 1
    edited = text.replace(old, new, 1)
    path = tmp_path / "weights.yaml"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(RiskModelError) as caught:
        load_risk_model(path, load_taxonomy())
    line = edited[: edited.index(at)].count("\n") + 1
    assert next(p for p in caught.value.problems if message in p.message).line == line
    assert f"{path}:{line}:" in str(caught.value)
    assert str(caught.value).startswith(f"risk weights {path} were not loaded")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "weights.yaml"
    text = default_model_path().read_text(encoding="utf-8")
    path.write_text(text.replace("weight: 0.5", "weight: x").replace("cap: 24", "cap: 0"), "utf-8")
    with pytest.raises(RiskModelError) as caught:
        load_risk_model(path)
    assert [p.message for p in caught.value.problems] == [
        "features months_past_due cap must be greater than 0, not 0",
        "features promises_kept weight must be a number",
    ]


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(RiskModelError, match=r"missing nothing\.yaml"):
        load_risk_model(tmp_path / "nothing.yaml")


def test_saved_weights_load_back_the_same(default: RiskModel, tmp_path: Path) -> None:
    path = tmp_path / "sub" / "weights.yaml"
    save_risk_model(default, path, header="line one\nline two")
    assert path.read_text(encoding="utf-8").startswith("# line one\n# line two\n")
    assert load_risk_model(path, load_taxonomy()) == default


# ---- fitting ------------------------------------------------------------------------


def synthetic(n: int, seed: int = 1) -> list[tuple[dict[str, float], bool]]:
    """Calls whose payment follows a known logistic law in three of the terms."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        kept, broken = rng.randint(0, 3), rng.randint(0, 3)
        months = rng.uniform(0, 12)
        noise = rng.uniform(0, 5)  # a term with no effect at all
        z = -0.3 + 0.9 * kept - 1.0 * broken - 0.2 * months
        paid = rng.random() < 1 / (1 + math.exp(-z))
        values = {
            "promises_kept": kept,
            "promises_broken": broken,
            "months_past_due": months,
            "attempts_30d": noise,
            "status:active": 1.0,  # every call: no variation
            "cue:debtor.hardship": 0.0,
        }
        rows.append(({k: float(v) for k, v in values.items()}, paid))
    return rows


def test_a_fit_recovers_a_known_relation(default: RiskModel) -> None:
    report = fit_risk_model(default, synthetic(800))
    w = report.model.weight
    assert w("promises_kept") == pytest.approx(0.9, abs=0.3)
    assert w("promises_broken") == pytest.approx(-1.0, abs=0.3)
    assert w("months_past_due") == pytest.approx(-0.2, abs=0.1)
    assert abs(w("attempts_30d")) < 0.15
    assert report.auc > 0.75
    assert (report.examples, report.held_out) == (800, 200)
    assert report.model.name == f"fitted on 800 calls, AUC {report.auc:.2f}"
    assert report.model.terms["promises_kept"].why.startswith("fitted on 800 calls (default +0.50")


def test_terms_without_variation_keep_their_default(default: RiskModel) -> None:
    report = fit_risk_model(default, synthetic(200))
    assert "cue:debtor.hardship" in report.kept_default
    assert "status:active" in report.kept_default
    assert "promises_kept" not in report.kept_default
    assert report.model.weight("cue:debtor.refusal") == default.weight("cue:debtor.refusal")
    assert report.model.terms["status:active"].why.startswith("no variation in the data")


def test_a_constant_term_moves_into_the_intercept(default: RiskModel) -> None:
    """The same calls, all disputed (default weight −2) or none: the same predictions."""
    rows = synthetic(200)
    disputed = [({**values, "status:disputed": 1.0}, paid) for values, paid in rows]
    plain = fit_risk_model(default, rows).model
    shifted = fit_risk_model(default, disputed).model

    def logit(model: RiskModel, values: dict[str, float]) -> float:
        return model.intercept + sum(model.weight(k) * v for k, v in values.items())

    for (values, _), (values_disputed, _) in zip(rows[:20], disputed[:20], strict=True):
        assert logit(shifted, values_disputed) == pytest.approx(logit(plain, values))
    assert shifted.intercept == pytest.approx(plain.intercept + 2.0)


def test_the_same_seed_gives_the_same_fit(default: RiskModel) -> None:
    rows = synthetic(120)
    assert fit_risk_model(default, rows, seed=3) == fit_risk_model(default, rows, seed=3)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (synthetic(49), "only 49 past calls have a known outcome; fitting needs at least 50"),
        ([({}, True)] * 60, "all 60 past calls with a known outcome led to a payment"),
        ([({}, False)] * 60, "all 60 past calls with a known outcome went without a payment"),
        ([({}, True)] * 4 + [({}, False)] * 56, "4 of 60 past calls led to a payment"),
    ],
)
def test_a_fit_refuses_too_little_to_learn_from(
    default: RiskModel, rows: list[tuple[dict[str, float], bool]], message: str
) -> None:
    with pytest.raises(UserError, match="Keep the default") as caught:
        fit_risk_model(default, rows)
    assert message in str(caught.value)
