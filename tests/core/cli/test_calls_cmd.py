"""``agent-assist calls propose`` / ``wrap-up``: from the call's cues to the case."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from agent_assist.cli import main
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.database import open_database
from agent_assist.store.people_repo import SYSTEM
from tests.core.store.builders import final, flag, started, team_of
from tests.core.store.test_cases_repo import CASE


def test_proposals_then_wrap_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    db = open_database(url)
    try:
        ann, *_ = team_of(db)
        cases = CaseRepository(db)
        cases.upsert_many(SYSTEM, [CASE], source="t")
        case_id = cases.assigned_to(ann.as_actor())[0].id
        promise = replace(
            flag("p1"),
            category="debtor.promise_to_pay",
            speaker="debtor",
            utterance=2,
            text="我下周五先还五百块",
            start=0,
            end=9,
        )
        cease = replace(promise, flag_id="c1", category="debtor.cease_request", utterance=3)
        events = [
            started("call-1"),
            final(2, "我下周五先还五百块", "debtor"),
            final(3, "以后别再打我电话了", "debtor"),
            promise,
            cease,
        ]
        ops = CallOps(str, user_id=ann.id, team_id=ann.team_id)
        for event in events:
            for op in ops.ops_for(event):
                apply_op(db, op)
    finally:
        db.close()

    argv = ["calls", "propose", "call-1", "--as", "ann", "--today", "2026-11-25"]
    assert main(argv) == 0
    proposal = json.loads(capsys.readouterr().out)
    assert proposal["status"]["status"] == "cease_requested"
    assert proposal["status"]["evidence"] == "以后别再打我电话了"
    assert (proposal["promise"]["amount"], proposal["promise"]["due"]) == ("500", "2026-12-04")

    argv = ["calls", "wrap-up", "call-1", "--case", str(case_id), "--outcome", "promise_to_pay"]
    argv += ["--status", "cease_requested", "--promise", "500@2026-12-04", "--as", "ann"]
    assert main(argv) == 0
    db = open_database(url)
    try:
        cases = CaseRepository(db)
        assert cases.get(ann.as_actor(), case_id).status == "cease_requested"
        (kept,) = cases.promises(ann.as_actor(), case_id)
        assert (kept.amount, kept.due_date) == (Decimal(500), date(2026, 12, 4))
    finally:
        db.close()
    capsys.readouterr()
    assert (
        main(
            [
                "calls",
                "wrap-up",
                "call-1",
                "--case",
                str(case_id),
                "--outcome",
                "x",
                "--promise",
                "five@tomorrow",
                "--as",
                "ann",
            ]
        )
        == 2
    )
    assert "AMOUNT@YYYY-MM-DD" in capsys.readouterr().err
