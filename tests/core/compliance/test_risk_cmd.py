"""``agent-assist risk rank`` and ``risk fit`` end to end, on the demo data set."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from agent_assist import cli
from agent_assist.cli import risk_cmd
from agent_assist.compliance.risk_model import SEGMENTS, load_risk_model
from agent_assist.paths import data_dir
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.database import open_database
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from tests.support.databases import copy_sqlite

FIELDS = {
    "case_id",
    "case_ref",
    "segment",
    "segment_label",
    "score",
    "expected_recovery",
    "currency",
    "blocked",
    "reasons",
}


@pytest.fixture(scope="module")
def demo_url(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return copy_sqlite(demo_db_file, tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture
def demo(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", demo_url)
    if risk_cmd not in cli._COMMAND_MODULES:  # until the command is registered
        monkeypatch.setattr(cli, "_COMMAND_MODULES", (*cli._COMMAND_MODULES, risk_cmd))
    return demo_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["risk", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def ranked(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    code, out, err = run(capsys, "rank", *argv)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def assigned_ids(url: str, username: str) -> set[int]:
    db = open_database(url)
    try:
        user = PeopleRepository(db).find(username)
        assert user is not None
        return {c.id for c in CaseRepository(db).assigned_to(SYSTEM, user.id)}
    finally:
        db.close()


def test_a_collectors_worklist(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ranked(capsys, "--as", "zhang.wei")
    assert {line["case_id"] for line in lines} == assigned_ids(demo, "zhang.wei")
    for line in lines:
        assert set(line) == FIELDS
        assert line["segment"] in SEGMENTS
        assert 0 < line["score"] < 1
        assert 1 <= len(line["reasons"]) <= 3
        assert all(reason["text"] for reason in line["reasons"])
    blocked = [line["blocked"] for line in lines]
    assert blocked == sorted(blocked)
    assert any(blocked)  # the demo has disputed and cease-requested cases
    assert all(not line["blocked"] for line in lines[:5])
    for a, b in pairwise(lines):
        if (a["blocked"], a["currency"]) == (b["blocked"], b["currency"]):
            assert a["expected_recovery"] >= b["expected_recovery"]


def test_the_limit_and_the_language(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    full = ranked(capsys, "--as", "lead.jones")
    assert {line["currency"] for line in full} == {"USD"}
    first = ranked(capsys, "--as", "lead.jones", "--limit", "5", "--lang", "zh")
    assert [line["case_id"] for line in first] == [line["case_id"] for line in full[:5]]
    assert all("→" in line["segment_label"] and "·" in line["segment_label"] for line in first)


def test_without_a_user_every_case_is_ranked(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rank")
    assert code == 0
    assert len(out.splitlines()) == 200
    assert "weights: default (" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("rank", "--as", "trainer.wu"), "a trainer has no worklist"),
        (("rank", "--as", "nobody"), "no active user named 'nobody'"),
        (("fit", "--as", "li.na"), "only a team lead, admin may fit the risk model"),
    ],
)
def test_refusals(
    demo: str, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (cli.EXIT_USER_ERROR, "")
    assert message in err


def test_the_limit_must_be_positive(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["risk", "rank", "--limit", "0"])
    assert "must be a whole number of 1 or more" in capsys.readouterr().err


def test_fitted_weights_are_used_by_rank(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "fit", "--as", "lead.chen")
    assert code == 0, err
    path = data_dir() / "risk-weights.yaml"
    assert f"weights written to {path}; `agent-assist risk rank` uses them from now on" in out
    assert "AUC on a held-out" in out
    assert "promises_broken" in out
    fitted = load_risk_model(path)
    assert fitted.name.startswith("fitted on ")
    assert f"from {fitted.name.split()[2]} past calls" in path.read_text(encoding="utf-8")
    code, _, err = run(capsys, "rank", "--as", "zhang.wei", "--limit", "1")
    assert code == 0
    assert f"weights: {fitted.name} ({path})" in err


def test_fit_to_a_chosen_file(
    demo: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_path = tmp_path / "team.yaml"
    code, out, _ = run(capsys, "fit", "--out", str(out_path), "--seed", "4")
    assert code == 0
    assert f"use them with `agent-assist risk rank --weights {out_path}`" in out
    assert not (data_dir() / "risk-weights.yaml").exists()
    code, _, err = run(capsys, "rank", "--weights", str(out_path), "--limit", "3")
    assert code == 0
    assert f"({out_path})" in err


def test_fit_refuses_an_empty_history(
    demo: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    code, out, err = run(capsys, "fit")
    assert (code, out) == (cli.EXIT_USER_ERROR, "")
    assert "only 0 past calls have a known outcome; fitting needs at least 50" in err
    assert not (data_dir() / "risk-weights.yaml").exists()
