"""``agent-assist promises``: due promises on a collector's cases, recorded kept or broken."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from agent_assist.cli import main
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.database import open_database
from agent_assist.store.people_repo import SYSTEM
from tests.core.store.builders import team_of
from tests.core.store.test_cases_repo import CASE


def test_due_then_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    db = open_database(url)
    try:
        ann, *_ = team_of(db)
        cases = CaseRepository(db)
        cases.upsert_many(SYSTEM, [CASE], source="t")
        case_id = cases.assigned_to(ann.as_actor())[0].id
        promise = cases.add_promise(ann.as_actor(), case_id, Decimal(300), date(2026, 12, 1))
    finally:
        db.close()
    assert main(["promises", "due", "--on", "2026-11-30", "--as", "ann"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["promises", "due", "--on", "2026-12-03", "--as", "ann"]) == 0
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert (line["promise_id"], line["amount"], line["overdue_days"]) == (promise.id, "300.00", 2)
    assert main(["promises", "kept", str(promise.id), "--as", "ann"]) == 0
    capsys.readouterr()
    assert main(["promises", "due", "--on", "2026-12-03", "--as", "ann"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["promises", "broken", str(promise.id), "--as", "bo"]) == 2
    assert "another collector" in capsys.readouterr().err
