"""The case-priority model's weights: the YAML file, and fitting it to a team's own calls.

``p = σ(intercept + Σ weight × value)``. The bundled file
(``resources/risk/default.yaml``) holds hand-set weights, each with a one-line
reason and its words in Chinese and English; ``agent-assist risk fit`` writes a
file of the same shape. docs/prioritisation.md explains every term.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from yaml import Node, ScalarNode
from yaml.constructor import SafeConstructor

from agent_assist.errors import UserError
from agent_assist.paths import resources_dir
from agent_assist.rules.yamlfile import Problem, YamlFile
from agent_assist.store.cases_repo import CASE_STATUSES

NUMERIC = (
    "months_past_due",
    "overdue_amount",
    "overdue_ratio",
    "promises_kept",
    "promises_broken",
    "promises_pending",
    "attempts_7d",
    "attempts_30d",
    "conversations_30d",
    "days_since_contact",
)
LANGS = ("en", "zh")
SEGMENTS = ("able_willing", "able_unwilling", "unable_willing", "unable_unwilling")
# Term keys: numeric features by name; the others by section prefix and level.
SECTIONS = {"features": "", "cues": "cue:", "stage": "stage:", "status": "status:"}
_TOP = (
    "model",
    "intercept",
    *SECTIONS,
    "blocked_statuses",
    "amount_units",
    "history",
    "segments",
)
_SEGMENT_KEYS = (
    "ability_low_cues",
    "ability_low_statuses",
    "ability_low_overdue_ratio",
    "willingness_low_cues",
    "labels",
)


@dataclass(frozen=True)
class Term:
    weight: float
    why: str
    words: Mapping[str, str]  # language → how the worklist names it; {value} is the figure
    cap: float | None = None


@dataclass(frozen=True)
class SegmentRules:
    ability_low_cues: frozenset[str]
    ability_low_statuses: frozenset[str]
    ability_low_overdue_ratio: float
    willingness_low_cues: frozenset[str]
    labels: Mapping[str, Mapping[str, str]]  # segment → language → label


@dataclass(frozen=True)
class RiskModel:
    name: str
    intercept: float
    terms: Mapping[str, Term]  # "months_past_due", "cue:debtor.hardship", "stage:M3", …
    blocked_statuses: frozenset[str]
    amount_units: Mapping[str, float]  # currency → unit; "default" for the others
    attempt_channels: frozenset[str]
    conversation_outcomes: frozenset[str]
    segments: SegmentRules

    def weight(self, key: str) -> float:
        term = self.terms.get(key)
        return term.weight if term else 0.0

    def amount_unit(self, currency: str) -> float:
        return self.amount_units.get(currency) or self.amount_units["default"]

    def with_weights(
        self, name: str, intercept: float, weights: Mapping[str, float], why: Mapping[str, str]
    ) -> RiskModel:
        terms = {
            key: replace(term, weight=weights[key], why=why[key])
            for key, term in self.terms.items()
        }
        return replace(self, name=name, intercept=intercept, terms=terms)


class RiskModelError(UserError):
    def __init__(self, path: Path, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(str(problem) for problem in problems)
        super().__init__(f"risk weights {path} were not loaded; fix these and retry:\n{lines}")


def default_model_path() -> Path:
    return resources_dir() / "risk" / "default.yaml"


def load_risk_model(path: Path, categories: Collection[str] | None = None) -> RiskModel:
    """Read and check a weights file; ``categories`` (taxonomy ids) checks the cue names."""
    f = YamlFile(path.parent, path.name)
    top = f.mapping(f.compose(), path.name, _TOP, ())
    terms: dict[str, Term] = {}
    for section, prefix in SECTIONS.items():
        for name, key, node in _pairs(f, top.get(section), section):
            if section == "features" and name not in NUMERIC:
                f.report(key, f"unknown feature {name!r}; the features are {', '.join(NUMERIC)}")
            elif section == "cues" and categories is not None and name not in categories:
                f.report(key, f"{name!r} is not a flag category of resources/taxonomy.yaml")
            elif section == "status" and name not in CASE_STATUSES:
                f.report(key, f"{name!r} is not a case status ({', '.join(CASE_STATUSES)})")
            terms[prefix + name] = _term(f, node, f"{section} {name}")
    missing = [name for name in NUMERIC if name not in terms]
    if missing and "features" in top:
        f.report(top["features"], f"features is missing {', '.join(missing)}")
    history = f.mapping(
        top.get("history"), "history", ("attempt_channels", "conversation_outcomes"), ()
    )
    units = {
        name: f.number(node, f"amount unit of {name}", positive=True)
        for name, _, node in _pairs(f, top.get("amount_units"), "amount_units")
    }
    if "amount_units" in top and "default" not in units:
        f.report(top["amount_units"], "amount_units needs a `default` unit for other currencies")
    model = RiskModel(
        name=f.get_text(top, "model", raw=True, blank=False),
        intercept=_signed(f, top["intercept"], "intercept") if "intercept" in top else 0.0,
        terms=terms,
        blocked_statuses=frozenset(_statuses(f, top.get("blocked_statuses"), "blocked_statuses")),
        amount_units=units,
        attempt_channels=frozenset(f.strings(history.get("attempt_channels"), "attempt_channels")),
        conversation_outcomes=frozenset(
            f.strings(history.get("conversation_outcomes"), "conversation_outcomes")
        ),
        segments=_segments(f, top.get("segments")),
    )
    if f.problems:
        raise RiskModelError(path, f.sorted_problems())
    return model


def save_risk_model(model: RiskModel, path: Path, *, header: str = "") -> None:
    """Write ``model`` in the shape :func:`load_risk_model` reads."""
    data: dict[str, Any] = {"model": model.name, "intercept": round(model.intercept, 4)}
    for section, prefix in SECTIONS.items():
        data[section] = {
            key.removeprefix(prefix): _plain_term(term)
            for key, term in model.terms.items()
            if (key.startswith(prefix) if prefix else ":" not in key)
        }
    rules = model.segments
    data |= {
        "blocked_statuses": sorted(model.blocked_statuses),
        "amount_units": dict(model.amount_units),
        "history": {
            "attempt_channels": sorted(model.attempt_channels),
            "conversation_outcomes": sorted(model.conversation_outcomes),
        },
        "segments": {
            "ability_low_cues": sorted(rules.ability_low_cues),
            "ability_low_statuses": sorted(rules.ability_low_statuses),
            "ability_low_overdue_ratio": rules.ability_low_overdue_ratio,
            "willingness_low_cues": sorted(rules.willingness_low_cues),
            "labels": {k: dict(v) for k, v in rules.labels.items()},
        },
    }
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(comment + text, encoding="utf-8")


def _plain_term(term: Term) -> dict[str, Any]:
    plain: dict[str, Any] = {"weight": round(term.weight, 4)}
    if term.cap is not None:
        plain["cap"] = term.cap
    return plain | {"why": term.why, **term.words}


def _pairs(f: YamlFile, node: Node | None, what: str) -> list[tuple[str, Node, Node]]:
    """(name, key node, value node) of a mapping whose keys are free names."""
    pairs: list[tuple[str, Node, Node]] = []
    if node is None or f.is_null(node):
        return pairs
    if not isinstance(node, yaml.MappingNode):
        f.report(node, f"{what} must be a mapping (`name: value` lines)")
        return pairs
    for key, value in node.value:
        name = key.value if isinstance(key, ScalarNode) else None
        if not isinstance(name, str) or name in {seen for seen, _, _ in pairs}:
            f.report(key, f"each key of {what} must be a distinct name")
        else:
            pairs.append((name, key, value))
    return pairs


def _term(f: YamlFile, node: Node, what: str) -> Term:
    fields = f.mapping(node, what, ("weight", "why", *LANGS), ("cap",))
    words = {lang: f.get_text(fields, lang, blank=False) for lang in LANGS}
    for lang, text in words.items():
        try:
            text.format(value="1")
        except (KeyError, IndexError, ValueError):
            f.report(fields[lang], f"{what}: {lang} may use only the placeholder {{value}}")
    return Term(
        weight=_signed(f, fields["weight"], f"{what} weight") if "weight" in fields else 0.0,
        why=f.get_text(fields, "why", blank=False),
        words=words,
        cap=f.number(fields["cap"], f"{what} cap", positive=True) if "cap" in fields else None,
    )


def _signed(f: YamlFile, node: Node, what: str) -> float:
    """A number that may be negative (YamlFile.number allows 0 or more only)."""
    tags = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    if not (isinstance(node, ScalarNode) and node.tag in tags):
        f.report(node, f"{what} must be a number")
        return 0.0
    value = float(SafeConstructor().construct_object(node))
    if not math.isfinite(value):
        f.report(node, f"{what} must be a finite number")
        return 0.0
    return value


def _statuses(f: YamlFile, node: Node | None, what: str) -> list[str]:
    found = []
    for value, item in f.texts(node, what):
        if value in CASE_STATUSES:
            found.append(value)
        else:
            f.report(item, f"{value!r} in {what} is not a case status ({', '.join(CASE_STATUSES)})")
    return found


def _segments(f: YamlFile, node: Node | None) -> SegmentRules:
    fields = f.mapping(node, "segments", _SEGMENT_KEYS, ())
    labels = f.mapping(fields.get("labels"), "labels", SEGMENTS, ())
    ratio = fields.get("ability_low_overdue_ratio")
    return SegmentRules(
        ability_low_cues=frozenset(f.strings(fields.get("ability_low_cues"), "ability_low_cues")),
        ability_low_statuses=frozenset(
            _statuses(f, fields.get("ability_low_statuses"), "ability_low_statuses")
        ),
        ability_low_overdue_ratio=(
            f.number(ratio, "ability_low_overdue_ratio", positive=True) if ratio else 1.0
        ),
        willingness_low_cues=frozenset(
            f.strings(fields.get("willingness_low_cues"), "willingness_low_cues")
        ),
        labels={
            segment: {
                lang: f.get_text(words, lang, blank=False)
                for words in [f.mapping(node, f"label of {segment}", LANGS, ())]
                for lang in LANGS
            }
            for segment, node in labels.items()
        },
    )


# ---- fitting to a team's own calls ---------------------------------------------------
MIN_EXAMPLES = 50
MIN_PER_OUTCOME = 5  # a held-out quarter needs both outcomes to measure AUC


@dataclass(frozen=True)
class FitReport:
    model: RiskModel  # the fitted weights (refitted on every example after measuring)
    examples: int
    paid: int
    held_out: int
    auc: float  # on the held-out quarter, of a fit on the other three quarters
    kept_default: tuple[str, ...]  # terms the data never varied: their default weight stays


def fit_risk_model(
    base: RiskModel,
    rows: Sequence[tuple[Mapping[str, float], bool]],
    *,
    seed: int = 0,
    min_examples: int = MIN_EXAMPLES,
) -> FitReport:
    """Fit ``base``'s terms with logistic regression to (feature values, paid) rows."""
    n, paid = len(rows), sum(label for _, label in rows)
    if n < min_examples:
        raise UserError(
            f"only {n} past calls have a known outcome; fitting needs at least {min_examples}. "
            "Keep the default weights until more promises made on calls are kept or broken."
        )
    if paid in (0, n):
        what = "led to a payment" if paid else "went without a payment"
        raise UserError(
            f"all {n} past calls with a known outcome {what}; a model needs calls of both "
            "kinds to learn from. Keep the default weights for now."
        )
    if min(paid, n - paid) < MIN_PER_OUTCOME:
        raise UserError(
            f"{paid} of {n} past calls led to a payment; fitting needs at least "
            f"{MIN_PER_OUTCOME} calls with and {MIN_PER_OUTCOME} without. Keep the defaults."
        )
    import numpy as np
    from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]
    from sklearn.model_selection import train_test_split  # type: ignore[import-untyped]

    keys = list(base.terms)
    x = np.array([[values.get(k, 0.0) for k in keys] for values, _ in rows], dtype=float)
    y = np.array([int(label) for _, label in rows])
    defaults = np.array([base.terms[k].weight for k in keys])
    x_fit, x_test, y_fit, y_test = train_test_split(
        x, y, test_size=0.25, stratify=y, random_state=seed
    )
    intercept, weights = _logistic(x_fit, y_fit, defaults)
    auc = float(roc_auc_score(y_test, x_test @ weights + intercept))
    intercept, weights = _logistic(x, y, defaults)
    still = x.std(axis=0) == 0
    why = {
        k: f"{'no variation in the data, default kept' if still[i] else f'fitted on {n} calls'}"
        f" (default {base.terms[k].weight:+.2f}: {base.terms[k].why})"
        for i, k in enumerate(keys)
    }
    fitted = dict(zip(keys, (float(w) for w in weights), strict=True))
    return FitReport(
        model=base.with_weights(f"fitted on {n} calls, AUC {auc:.2f}", intercept, fitted, why),
        examples=n,
        paid=paid,
        held_out=len(y_test),
        auc=auc,
        kept_default=tuple(k for i, k in enumerate(keys) if still[i]),
    )


def _logistic(x: Any, y: Any, defaults: Any) -> tuple[float, Any]:
    """Fit on standardised columns, then give the weights per unit of the raw values.

    Standardising makes the (default, L2) regularisation treat every term alike;
    a column without variation keeps its default weight, and the intercept
    absorbs its constant value so the predictions stay those of the fit.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    mean, sd = x.mean(axis=0), x.std(axis=0)
    varies = sd > 0
    weights = defaults.astype(float)
    offset = float(defaults[~varies] @ mean[~varies])
    if not varies.any():
        rate = float(np.clip(y.mean(), 1e-6, 1 - 1e-6))
        return float(np.log(rate / (1 - rate))) - offset, weights
    z = (x[:, varies] - mean[varies]) / sd[varies]
    estimator = LogisticRegression(C=1.0, max_iter=2000).fit(z, y)
    weights[varies] = estimator.coef_[0] / sd[varies]
    intercept = float(estimator.intercept_[0]) - float(weights[varies] @ mean[varies]) - offset
    return intercept, weights
