"""``agent-assist cases check|override`` end to end on the demo data set (SQLite)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from agent_assist import cli
from agent_assist.cli import cases_cmd, main
from agent_assist.store.audit import read_audit
from agent_assist.store.database import Database, open_database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.tables import Case, Debtor, User
from tests.support.databases import copy_sqlite

pytestmark = pytest.mark.slow  # the demo takes a few seconds to load, once per run

KEYS = ["case_id", "case_ref", "allowed", "reasons", "local_time", "next_allowed"]
MORNING_CN = "2026-11-27T02:00:00Z"  # Friday 10:00 in Shanghai; 21:00 the day before in New York
NIGHT_CN = "2026-11-27T14:00:00Z"  # 22:00 in Shanghai


@pytest.fixture(scope="module")
def demo_url(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return copy_sqlite(demo_db_file, tmp_path_factory.mktemp("cases") / "demo.db")


@pytest.fixture
def demo(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", demo_url)
    if cases_cmd not in cli._COMMAND_MODULES:  # until the command is registered for good
        monkeypatch.setattr(cli, "_COMMAND_MODULES", (*cli._COMMAND_MODULES, cases_cmd))
    db = open_database(demo_url)
    yield db
    db.close()


def _cases(db: Database) -> dict[int, tuple[str, str, str, str | None]]:
    """Every case: id → (status, language, time zone, assigned username)."""
    query = (
        select(Case.id, Case.status, Debtor.language, Debtor.time_zone, User.username)
        .join(Debtor, Debtor.id == Case.debtor_id)
        .outerjoin(User, User.id == Case.assigned_user_id)
    )
    with db.session() as session:
        return {row[0]: tuple(row[1:]) for row in session.execute(query)}  # type: ignore[misc]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, Any]], str]:
    code = main(["cases", *argv])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()] if code == 0 else [], err


def _codes(line: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in line["reasons"]]


def test_check_every_open_case(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _run(capsys, "check", "--at", MORNING_CN)

    assert code == 0
    cases = _cases(demo)
    assert [line["case_id"] for line in lines] == sorted(
        case_id for case_id, (status, *_) in cases.items() if status != "closed"
    )
    for line in lines:
        assert list(line) == KEYS
        status, language, _zone, _user = cases[line["case_id"]]
        codes, local = _codes(line), datetime.fromisoformat(line["local_time"])
        assert line["allowed"] == (not codes)
        assert all(reason["message"] for reason in line["reasons"])
        if status != "active":  # the status first; only a status change unblocks it
            assert codes[0] == f"status.{status}"
            assert line["next_allowed"] is None
        else:
            assert line["next_allowed"] is not None
        assert ("outside_hours" in codes) == (not time(8) <= local.time() < time(21))
        if language == "zh-CN":
            assert local.isoformat() == "2026-11-27T10:00:00+08:00"
    # The demo has debtors all over the US: at 21:00 in New York, Los Angeles is still open.
    us = [line for line in lines if line["case_ref"].startswith("DEMO-US-")]
    assert {"outside_hours" in _codes(line) for line in us} == {True, False}


def test_a_collector_sees_their_own_cases(
    demo: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = _run(capsys, "check", "--at", MORNING_CN, "--as", "li.na")

    assert code == 0
    own = {
        case_id
        for case_id, (status, _, _, user) in _cases(demo).items()
        if user == "li.na" and status != "closed"
    }
    assert {line["case_id"] for line in lines} == own


def test_cases_by_id_and_reference(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    cases = _cases(demo)
    cn = _case_of(demo, "zhang.wei", "active")
    us = min(case_id for case_id, (s, lang, _, _) in cases.items() if lang == "en-US")
    with demo.session() as session:
        us_ref = session.scalar(select(Case.external_ref).where(Case.id == us))
    assert us_ref is not None

    _, lines, _ = _run(capsys, "check", "--at", NIGHT_CN, us_ref, str(cn))

    assert [line["case_id"] for line in lines] == [us, cn]
    assert lines[0]["case_ref"] == us_ref
    assert "outside_hours" in _codes(lines[1])
    assert lines[1]["next_allowed"] == "2026-11-28T00:00:00+00:00"  # Saturday 08:00 in Shanghai


def test_check_someone_elses_case(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(
        capsys, "check", "--as", "li.na", str(_case_of(demo, "zhang.wei", "active"))
    )

    assert code == 2
    assert "assigned to another collector" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "--at", "2026-11-27T10:00"], "has no offset"),
        (["check", "--at", "tomorrow"], "is not an ISO time"),
        (["check", "--as", "nobody"], "no active user named 'nobody'"),
        (["check", "99999"], "no case 99999"),
    ],
)
def test_check_errors(
    demo: Database, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = _run(capsys, *argv)

    assert code == 2
    assert err.startswith("agent-assist: ")
    assert message in err


def _case_of(demo: Database, username: str, status: str) -> int:
    return min(
        case_id
        for case_id, (s, language, _, user) in _cases(demo).items()
        if (s, language, user) == (status, "zh-CN", username)
    )


def _overrides(demo: Database, case_id: int) -> list[dict[str, Any]]:
    entries = read_audit(demo, SYSTEM, limit=1000)
    return [
        json.loads(e.detail)
        for e in entries
        if e.action == "override_block" and e.target_id == str(case_id)
    ]


def test_override_a_blocked_case(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    case_id = _case_of(demo, "zhang.wei", "active")
    why = "债务人来电要求今晚十点后回电"

    code = main(["cases", "override", str(case_id), "--at", NIGHT_CN, "--as", "zhang.wei",
                 "--reason", why])  # fmt: skip

    assert code == 0
    assert capsys.readouterr().out.startswith("override recorded for case DEMO-CN-")
    assert _overrides(demo, case_id) == [{"reasons": ["outside_hours"], "reason": why}]


@pytest.mark.parametrize(
    ("status", "extra", "message"),
    [
        ("active", ["--at", NIGHT_CN, "--as", "zhang.wei"], "--reason TEXT"),
        ("active", ["--at", NIGHT_CN, "--as", "zhang.wei", "--reason", "ok"], "at least 10"),
        ("active", ["--at", NIGHT_CN, "--reason", "the debtor asked us to"], "--as USERNAME"),
        ("active", ["--at", MORNING_CN, "--as", "zhang.wei", "--reason", "the debtor asked"],
         "is not blocked now"),
        ("active", ["--at", NIGHT_CN, "--as", "li.na", "--reason", "the debtor asked"],
         "assigned to another collector"),
        ("cease_requested", ["--at", MORNING_CN, "--as", "lead.chen", "--reason",
                             "the debtor asked us to"], "status.cease_requested cannot be"),
    ],
)  # fmt: skip
def test_override_refusals(
    demo: Database,
    capsys: pytest.CaptureFixture[str],
    status: str,
    extra: list[str],
    message: str,
) -> None:
    case_id = _case_of(demo, "zhang.wei", status) if status == "active" else min(
        case_id for case_id, (s, lang, _, _) in _cases(demo).items()
        if (s, lang) == (status, "zh-CN")
    )  # fmt: skip
    before = _overrides(demo, case_id)

    code = main(["cases", "override", str(case_id), *extra])

    assert code == 2
    assert message in capsys.readouterr().err
    assert _overrides(demo, case_id) == before
