"""``agent-assist risk``: rank a worklist by the case-priority model, fit its weights.

``rank`` prints the worklist in priority order as JSON lines; ``fit`` learns the
weights from the team's own past calls and writes them where ``rank`` (and the
app) find them. docs/prioritisation.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeAlias

from agent_assist import app, paths
from agent_assist.compliance.priority import Assessment, feature_values, rank, segment_label
from agent_assist.compliance.risk_model import (
    FitReport,
    RiskModel,
    default_model_path,
    fit_risk_model,
    load_risk_model,
    save_risk_model,
)
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.store.database import Database
from agent_assist.store.history_repo import HistoryRepository, call_examples, history_at
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from agent_assist.store.records import Actor

Actions: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
FITTED_NAME = "risk-weights.yaml"  # in the data folder: used instead of the bundled default


def fitted_weights_path() -> Path:
    return paths.data_dir() / FITTED_NAME


def register(sub: Actions) -> None:
    parser = sub.add_parser("risk", help="case priority: rank a worklist, fit the weights")
    actions = parser.add_subparsers(dest="risk_action", metavar="ACTION", required=True)
    ranking = actions.add_parser(
        "rank",
        help="print a worklist in priority order as JSON lines",
        description="One JSON object a line, first case first: case_id, case_ref, segment, "
        "score (likelihood a call today leads to payment), expected_recovery (score × "
        "overdue amount, in the case's currency), reasons (the three terms that moved the "
        "score most). Blocked statuses come last.",
    )
    ranking.add_argument(
        "--as", dest="user", metavar="USERNAME", help="whose worklist (default: every case)"
    )
    ranking.add_argument("--limit", type=_positive, metavar="N", help="print the first N only")
    ranking.add_argument("--lang", choices=("en", "zh"), default="en", help="of the reasons")
    ranking.add_argument(
        "--weights",
        type=Path,
        metavar="PATH",
        help=f"a weights file (default: {FITTED_NAME} in the data folder if "
        "`risk fit` wrote one, else the bundled defaults)",
    )
    ranking.set_defaults(func=run_rank)
    fitting = actions.add_parser(
        "fit",
        help="fit the weights to the team's past calls",
        description="Learns the weights from past calls (paid: a promise made on the call was "
        "kept, or the case closed after it), reports the AUC on a held-out quarter and the "
        "fitted weights next to the defaults, and writes a weights file.",
    )
    fitting.add_argument(
        "--as", dest="user", metavar="USERNAME", help="a team lead: their team's calls only"
    )
    fitting.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help=f"where to write the weights (default: {FITTED_NAME} in the data folder, "
        "which `risk rank` then uses)",
    )
    fitting.add_argument("--seed", type=int, default=0, help="of the held-out split")
    fitting.set_defaults(func=run_fit)


def run_rank(args: argparse.Namespace) -> int:
    model = _model(args.weights)
    db = app.open_store()
    try:
        timelines = HistoryRepository(db).worklist(_actor(db, args.user))
    finally:
        db.close()
    now = datetime.now(UTC)
    histories = [
        history_at(
            t,
            now,
            attempt_channels=model.attempt_channels,
            conversation_outcomes=model.conversation_outcomes,
        )
        for t in timelines
    ]
    for item in rank(histories, model, lang=args.lang)[: args.limit]:
        print(json.dumps(_line(item, model, args.lang), ensure_ascii=False))
    return 0


def run_fit(args: argparse.Namespace) -> int:
    base = load_risk_model(default_model_path(), load_taxonomy())
    db = app.open_store()
    try:
        timelines = HistoryRepository(db).called_cases(_actor(db, args.user))
    finally:
        db.close()
    examples = call_examples(
        timelines,
        attempt_channels=base.attempt_channels,
        conversation_outcomes=base.conversation_outcomes,
    )
    rows = [(feature_values(e.history, base), e.paid) for e in examples]
    report = fit_risk_model(base, rows, seed=args.seed)
    out: Path = args.out or fitted_weights_path()
    header = (
        f"Risk weights fitted by `agent-assist risk fit` on {datetime.now(UTC):%Y-%m-%d} from "
        f"{report.examples} past calls ({report.paid} led to a payment).\n"
        f"AUC on a held-out quarter: {report.auc:.3f}. docs/prioritisation.md explains the "
        "terms; delete this file to go back to the defaults."
    )
    save_risk_model(report.model, out, header=header)
    _print_fit(report, base)
    if out == fitted_weights_path():
        hint = "`agent-assist risk rank` uses them from now on"
    else:
        hint = f"use them with `agent-assist risk rank --weights {out}`"
    print(f"weights written to {out}; {hint}")
    return 0


def _print_fit(report: FitReport, base: RiskModel) -> None:
    print(
        f"fitted on {report.examples} past calls ({report.paid} led to a payment); "
        f"AUC on a held-out {report.held_out}: {report.auc:.3f} (0.5 is chance)"
    )
    print(f"{'term':<36} {'default':>8} {'fitted':>8}")
    print(f"{'intercept':<36} {base.intercept:>8.3f} {report.model.intercept:>8.3f}")
    for key, term in base.terms.items():
        note = "  (no variation: default kept)" if key in report.kept_default else ""
        print(f"{key:<36} {term.weight:>8.3f} {report.model.terms[key].weight:>8.3f}{note}")


def _line(item: Assessment, model: RiskModel, lang: str) -> dict[str, object]:
    h = item.history
    return {
        "case_id": h.case_id,
        "case_ref": h.case_ref,
        "segment": item.segment,
        "segment_label": segment_label(item.segment, model, lang),
        "score": round(item.score, 4),
        "expected_recovery": float(item.expected_recovery),
        "currency": h.currency,
        "blocked": item.blocked,
        "reasons": [
            {
                "feature": r.feature,
                "value": round(r.value, 4),
                "contribution": round(r.contribution, 4),
                "text": r.text,
            }
            for r in item.reasons
        ],
    }


def _model(path: Path | None) -> RiskModel:
    if path is None:
        fitted = fitted_weights_path()
        path = fitted if fitted.is_file() else default_model_path()
    model = load_risk_model(path, load_taxonomy())
    print(f"weights: {model.name} ({path})", file=sys.stderr)
    return model


def _actor(db: Database, username: str | None) -> Actor:
    """The named user, or the operator at the command line acting as an administrator."""
    return SYSTEM if not username else PeopleRepository(db).actor(username)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not {text!r}")
    return value
