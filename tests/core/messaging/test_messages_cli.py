"""``agent-assist messages`` end to end, on a SQLite database holding the demo data."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from agent_assist import cli
from agent_assist.cli import messages_cmd
from agent_assist.paths import resources_dir
from agent_assist.publishing.bundle import bundle
from agent_assist.store.audit import read_audit
from agent_assist.store.database import open_database
from agent_assist.store.library_repo import LibraryRepository
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from tests.core.messaging.gateway_server import fake_gateway
from tests.support.databases import copy_sqlite

DAY_IN_CHINA = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
NIGHT_IN_CHINA = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 23:00
BANK = ("--bank", "华信银行", "--hotline", "95588")


@pytest.fixture
def db_path(demo_db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "store.db"  # each test works on a copy of the demo data set
    copy_sqlite(demo_db_file, path)
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", f"sqlite:///{path}")
    if messages_cmd not in cli._COMMAND_MODULES:  # until it is registered with the others
        monkeypatch.setattr(cli, "_COMMAND_MODULES", (*cli._COMMAND_MODULES, messages_cmd))
    at(monkeypatch, DAY_IN_CHINA)
    return path


def at(monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    monkeypatch.setattr(messages_cmd, "_now", lambda: when)


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    db = open_database(f"sqlite:///{path}")
    try:
        with db.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        db.close()


def a_case(
    path: Path, *, user: str, status: str = "active", stages: tuple[str, ...] = ("M1",)
) -> int:
    listed = ", ".join(f"'{stage}'" for stage in stages)
    found = rows(
        path,
        "SELECT c.id FROM cases c JOIN users u ON u.id = c.assigned_user_id "
        f"WHERE u.username = '{user}' AND c.status = '{status}' AND c.stage IN ({listed}) "
        "ORDER BY c.id",
    )
    assert found, (user, status, stages)
    case_id = found[0][0]
    assert isinstance(case_id, int)
    return case_id


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["messages", *args])
    out, err = capsys.readouterr()
    return code, out, err


def queue_args(case_id: int, template: str = "zh.sms.early.reminder") -> tuple[str, ...]:
    return ("queue", str(case_id), "--template", template, "--due-date", "2026-12-01", *BANK)


def queued(capsys: pytest.CaptureFixture[str], case_id: int, template: str) -> int:
    code, out, err = run(capsys, *queue_args(case_id, template), "--as", "zhang.wei")
    assert code == 0, err
    message_id = json.loads(out)["id"]
    assert isinstance(message_id, int)
    return message_id


def statuses(path: Path) -> dict[int, tuple[object, ...]]:
    found = rows(path, "SELECT id, status, gateway_ref, error FROM outbox_messages")
    return {int(str(row[0])): row[1:] for row in found}


def test_a_collector_queues_a_reminder_for_an_own_case(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = a_case(db_path, user="zhang.wei")
    ((name, product, amount),) = rows(
        db_path,
        "SELECT d.name, c.product, c.overdue_amount FROM cases c "
        f"JOIN debtors d ON d.id = c.debtor_id WHERE c.id = {case_id}",
    )

    code, out, err = run(capsys, *queue_args(case_id), "--as", "zhang.wei")

    assert (code, err) == (0, "")
    record = json.loads(out)
    assert (record["case_id"], record["status"], record["language"]) == (case_id, "queued", "zh-CN")
    assert record["text"] == (
        f"【华信银行】尊敬的{name}，您的{product}账户已逾期，应还金额"
        f"¥{Decimal(str(amount)):,.2f}，请于2026年12月1日前还款。如已还款请忽略本短信。"
        "如有疑问请致电95588。"
    )
    code, out, _ = run(capsys, "list", "--as", "zhang.wei")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [record["id"]]
    assert run(capsys, "list", "--as", "li.na")[1] == ""  # a colleague does not see it
    db = open_database(f"sqlite:///{db_path}")
    try:
        actions = [(e.action, e.target_id) for e in read_audit(db, SYSTEM, limit=5)]
    finally:
        db.close()
    assert ("queue_message", str(case_id)) in actions


def test_a_refusal_lists_every_reason_and_queues_nothing(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = a_case(
        db_path,
        user="zhang.wei",
        status="cease_requested",
        stages=("M2", "M3", "M4", "M5", "M6", "M6+"),
    )
    at(monkeypatch, NIGHT_IN_CHINA)

    code, out, err = run(capsys, *queue_args(case_id), "--as", "zhang.wei")

    assert (code, out) == (cli.EXIT_USER_ERROR, "")
    assert err.startswith("agent-assist: message not queued for case DEMO-CN-")
    codes = [line.strip().split(":")[0] for line in err.splitlines()[1:]]
    assert codes == ["status_blocked", "outside_hours", "wrong_stage"]
    assert rows(db_path, "SELECT count(*) FROM outbox_messages") == [(0,)]


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (("--template", "zh.sms.nope"), "no message template 'zh.sms.nope'; known: en.sms."),
        (("--as", "nobody"), "no active user named 'nobody'"),
        (("--as", "li.na"), "this case is assigned to another collector or team"),
        (("--as", "trainer.wu"), "this case is assigned to another collector or team"),
        (("--hotline", ""), "{hotline}: the bank's hotline is not set"),
    ],
)
def test_what_cannot_be_queued_says_why(
    db_path: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], fragment: str
) -> None:
    args = (*queue_args(a_case(db_path, user="zhang.wei")), "--as", "zhang.wei", *extra)

    code, out, err = run(capsys, *args)

    assert (code, out) == (cli.EXIT_USER_ERROR, "")
    assert fragment in err
    assert err.count("\n") == 1


def test_a_promise_confirmation_takes_the_cases_pending_promise(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ((case_id, amount),) = rows(
        db_path,
        "SELECT p.case_id, p.amount FROM promises p JOIN cases c ON c.id = p.case_id "
        "JOIN users u ON u.id = c.assigned_user_id WHERE p.status = 'pending' "
        "AND c.status = 'active' AND u.username = 'zhang.wei' ORDER BY p.id DESC LIMIT 1",
    )
    args = ("queue", str(case_id), "--template", "zh.sms.promise_confirmation", *BANK)

    code, out, err = run(capsys, *args, "--as", "lead.chen")

    assert code == 0, err
    assert f"还款¥{Decimal(str(amount)):,.2f}，请按时还款" in json.loads(out)["text"]


def test_export_writes_a_new_csv_once_and_marks_the_messages_sent(
    db_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case_id = a_case(db_path, user="zhang.wei")
    first = queued(capsys, case_id, "zh.sms.early.reminder")
    second = queued(capsys, case_id, "zh.sms.repayment_plan")
    out_file = tmp_path / "to-bank.csv"

    code, out, err = run(capsys, "export", "--out", str(out_file))

    assert (code, out) == (0, "")
    assert err == f"2 messages exported to {out_file}\n"
    with out_file.open(encoding="utf-8", newline="") as stream:
        exported = list(csv.DictReader(stream))
    assert [(row["template_id"], row["language"]) for row in exported] == [
        ("zh.sms.early.reminder", "zh-CN"),
        ("zh.sms.repayment_plan", "zh-CN"),
    ]
    assert {row["case_ref"] for row in exported} == {
        rows(db_path, f"SELECT external_ref FROM cases WHERE id = {case_id}")[0][0]
    }
    assert statuses(db_path) == {
        first: ("sent", "export:to-bank.csv", None),
        second: ("sent", "export:to-bank.csv", None),
    }
    code, _, err = run(capsys, "export", "--out", str(out_file))
    assert code == cli.EXIT_USER_ERROR
    assert "exists already" in err


def test_export_at_night_leaves_the_messages_waiting(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    message_id = queued(capsys, a_case(db_path, user="zhang.wei"), "zh.sms.early.reminder")
    at(monkeypatch, NIGHT_IN_CHINA)

    code, out, err = run(capsys, "export")

    assert (code, out) == (0, "")
    assert err.splitlines() == [
        f"message {message_id} waits: it is 23:00 for the debtor (Asia/Shanghai); messages "
        "may go out from 08:00 to 21:00 their time",
        "0 messages exported",
    ]
    assert statuses(db_path) == {message_id: ("queued", None, None)}


def test_send_posts_to_the_gateway_and_a_failure_is_retried(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = a_case(db_path, user="zhang.wei")
    message_id = queued(capsys, case_id, "zh.sms.early.reminder")

    with fake_gateway() as gateway:
        gateway.answer_with(500, b"busy")
        failed = run(capsys, "send", "--gateway-url", gateway.url, "--as", "lead.chen")
        gateway.answer_with(200, b'{"id": "bank-77"}')
        sent = run(capsys, "send", "--gateway-url", gateway.url, "--as", "lead.chen")

    host = gateway.url.split("/")[2]
    assert failed[0] == 1
    assert failed[2].splitlines() == [
        f"message {message_id} failed: the SMS gateway at {host} answered 500 "
        "Internal Server Error: busy",
        "0 sent, 1 failed (they stay to be retried)",
    ]
    assert sent[:2] == (0, "")
    assert statuses(db_path) == {message_id: ("sent", "bank-77", None)}
    assert [post.body["template_id"] for post in gateway.posted] == ["zh.sms.early.reminder"] * 2
    assert "phone" not in json.dumps([post.body for post in gateway.posted])


def test_send_to_a_gateway_that_is_down(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.core.messaging.gateway_server import closed_port

    message_id = queued(capsys, a_case(db_path, user="zhang.wei"), "zh.sms.early.reminder")

    with closed_port() as url:
        code, _, err = run(capsys, "send", "--gateway-url", url)

    assert code == 1
    assert "connection refused" in err.splitlines()[0]
    assert statuses(db_path)[message_id][0] == "failed"


def test_cancel(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    message_id = queued(capsys, a_case(db_path, user="zhang.wei"), "zh.sms.early.reminder")

    code, _, err = run(capsys, "cancel", str(message_id), "--reason", "paid", "--as", "zhang.wei")

    assert (code, err) == (0, f"message {message_id} cancelled\n")
    assert statuses(db_path) == {message_id: ("cancelled", None, "paid")}


def test_a_published_script_library_changes_the_message(
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "zh-CN"
    shutil.copytree(resources_dir() / "scripts" / "zh-CN", folder)
    messages = folder / "messages.yaml"
    wording = "如已还款请忽略本短信。"
    assert wording in messages.read_text(encoding="utf-8")
    messages.write_text(
        messages.read_text(encoding="utf-8").replace(wording, "已还款的请勿理会。", 1),
        encoding="utf-8",
    )
    db = open_database(f"sqlite:///{db_path}")
    try:
        trainer = PeopleRepository(db).find("trainer.wu")
        assert trainer is not None
        LibraryRepository(db).publish(
            trainer.as_actor(), "script_library", "zh-CN", "2026.12", bundle(folder)
        )
    finally:
        db.close()

    code, out, err = run(
        capsys, *queue_args(a_case(db_path, user="zhang.wei")), "--as", "zhang.wei"
    )

    assert (code, err) == (0, "")
    text = json.loads(out)["text"]
    assert "已还款的请勿理会。" in text
    assert wording not in text
